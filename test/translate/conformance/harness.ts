// Runs Ingress conformance scenarios (kubernetes-sigs/ingress-controller-
// conformance, features/*.feature @ f91a7996) without a cluster: the
// scenario's Ingress is translated, Kong's schema validator loads the
// result, and each request is evaluated by the model of Kong's router.
import { readFileSync } from 'node:fs';
import type {
  V1EndpointSlice, V1Ingress, V1IngressBackend, V1Secret, V1Service,
} from '@kubernetes/client-node';
import { expect } from 'chai';
import { parse } from 'yaml';
import { DEFAULT_SETTINGS } from '../../../src/config/settings.ts';
import type { MeshDoorSettings } from '../../../src/config/settings.ts';
import type { KongConfig, RouterFlavor } from '../../../src/model/index.ts';
import { buildRouter, resolveBackend } from '../../kong-model/router/index.ts';
import type { Backend, RouteMatch, Router, RouterEntities } from '../../kong-model/router/index.ts';
import { validateDeclarativeConfig } from '../../kong-model/validate/index.ts';
import { createTranslator, snapshotOf } from '../../../src/translate/index.ts';
import type { TranslateResult } from '../../../src/translate/types.ts';

export const NAMESPACE = 'conformance';

export interface Request {
  method?: string;
  /** `http://host/path` or `https://host/path`, as the feature files write them. */
  url: string;
}

export interface Response {
  status: number;
  /** The Kubernetes Service that served the request (from the Kong service's k8s-name tag). */
  service?: string;
  match?: RouteMatch;
  backend?: Backend | null;
}

export interface Scenario {
  result: TranslateResult;
  config: KongConfig;
  entities: RouterEntities;
  send(request: Request): Response;
}

export interface ScenarioOptions {
  flavor?: RouterFlavor;
  settings?: Partial<MeshDoorSettings>;
  secrets?: V1Secret[];
  endpointSlices?: V1EndpointSlice[];
}

function backendsOf(ingress: V1Ingress): V1IngressBackend[] {
  const paths = (ingress.spec?.rules ?? []).flatMap((rule) => rule.http?.paths ?? []).map((p) => p.backend);
  return ingress.spec?.defaultBackend ? [ingress.spec.defaultBackend, ...paths] : paths;
}

/**
 * The harness's echo Services: one per backend, port 8080 (by name when the
 * Ingress refers to it by name), as the conformance suite creates them.
 */
export function echoServices(ingress: V1Ingress): V1Service[] {
  const byName = new Map<string, V1Service>();
  for (const backend of backendsOf(ingress)) {
    const name = backend.service?.name ?? '';
    const port = backend.service?.port;
    const service = byName.get(name) ?? { metadata: { name, namespace: NAMESPACE }, spec: { type: 'ClusterIP', ports: [] } };
    const ports = service.spec?.ports ?? [];
    if (port?.name !== undefined) ports.push({ name: port.name, port: 8080, targetPort: 3000 });
    else ports.push({ port: port?.number ?? 8080, targetPort: 3000 });
    byName.set(name, service);
  }
  return [...byName.values()];
}

/** The feature's Ingress YAML, in the scenario namespace; the class is filled in as the suite does. */
export function ingressFrom(yaml: string): V1Ingress {
  const ingress = parse(yaml) as V1Ingress;
  ingress.metadata = { ...ingress.metadata, namespace: NAMESPACE };
  if (ingress.spec && ingress.spec.ingressClassName === undefined) ingress.spec.ingressClassName = 'kong';
  return ingress;
}

function tagValue(tags: unknown, key: string): string | undefined {
  const tag = (Array.isArray(tags) ? tags as string[] : []).find((t) => t.startsWith(`${key}:`));
  return tag?.slice(key.length + 1);
}

function sender(router: Router, entities: RouterEntities): Scenario['send'] {
  return ({ method = 'GET', url }) => {
    const parsed = new URL(url);
    const scheme = parsed.protocol === 'https:' ? 'https' : 'http';
    const request = { method, host: parsed.host, path: `${parsed.pathname}${parsed.search}`, scheme } as const;
    const match = router.match(scheme === 'https' ? { ...request, sni: parsed.hostname } : request);
    if (!match) return { status: 404 };
    if (match.httpsRequired) return { status: match.httpsRequired.status, match };
    const service = tagValue(match.service?.['tags'], 'k8s-name');
    return { status: 200, match, backend: resolveBackend(match, entities), ...(service ? { service } : {}) };
  };
}

/** Translates the Ingress with its echo Services and loads the result into the router model. */
export function scenario(ingress: V1Ingress, options: ScenarioOptions = {}): Scenario {
  const flavor = options.flavor ?? 'traditional_compatible';
  const settings: MeshDoorSettings = { ...DEFAULT_SETTINGS, ...options.settings, routerFlavor: flavor };
  const result = createTranslator().translate(snapshotOf({
    Ingress: [ingress],
    Service: echoServices(ingress),
    EndpointSlice: options.endpointSlices ?? [],
    Secret: options.secrets ?? [],
  }), { settings });
  const verdict = validateDeclarativeConfig(structuredClone(result.config), { routerFlavor: flavor, flattenErrors: true });
  if (!verdict.ok) expect.fail(`Kong rejects the translated config: ${JSON.stringify(verdict.body)}`);
  const entities: RouterEntities = verdict.entities;
  return { result, config: result.config, entities, send: sender(buildRouter(entities, { flavor }), entities) };
}

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
}

export const FLAVORS: readonly RouterFlavor[] = ['traditional_compatible', 'traditional', 'expressions'];
