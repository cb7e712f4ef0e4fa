// PURE: which watches the controller needs for the settings it serves. The plan
// is recomputed on every sync pass, so MeshDoor edits and new TLS references
// start (or stop) watches without a restart.
import type { V1Ingress, V1IngressClass } from '@kubernetes/client-node';
import type { MeshDoorSettings } from '../config/index.ts';
import type { WatchSpec } from '../kube/index.ts';
import { CREDENTIAL_LABEL } from '../plugins/index.ts';
import { indexSnapshot, isIngressServed, listChanges, snapshotOf, SOURCE_KINDS, type ClassOwnership } from '../translate/index.ts';

export type SecretWatchScope = 'namespace' | 'cluster';

export interface NamespacedName {
  namespace: string;
  name: string;
}

export interface WatchPlanInput {
  settings: MeshDoorSettings;
  meshdoorName: string;
  /** Limit Ingress/Service/EndpointSlice/Secret watches to these namespaces (empty: all). */
  watchNamespaces: readonly string[];
  /** TLS Secrets are read only through watches with this label selector. */
  secretLabelSelector?: string;
  /** One TLS Secret watch per namespace holding referenced Secrets (default), or one cluster-wide. */
  secretWatch?: SecretWatchScope;
  /** Secrets referenced by served Ingresses' TLS sections. */
  secretRefs: readonly NamespacedName[];
  /** Credential Secrets named by served KongConsumers (plugin-secret-refs.ts). */
  credentialSecretRefs?: readonly NamespacedName[];
  /** Secrets named by the configFrom / configPatches of plugins in use. */
  pluginSecretRefs?: readonly NamespacedName[];
  /** matchLabels selector of the gateway Deployment's pods, once the Deployment is known. */
  gatewayPodSelector?: string;
  /** Static Kong admin URLs (flags or MeshDoor): no discovery watch needed. */
  staticAdminUrls: boolean;
  /** Static status addresses (flags or MeshDoor): no publish Service watch needed. */
  staticPublishAddresses: boolean;
}

export function splitNamespacedName(value: string | undefined): NamespacedName | undefined {
  if (!value) return undefined;
  const [namespace, name, ...rest] = value.split('/');
  if (!namespace || !name || rest.length > 0) return undefined;
  return { namespace, name };
}

export function meshdoorWatchSpec(name: string): WatchSpec {
  return { role: 'meshdoor', kind: 'MeshDoor', fieldSelector: `metadata.name=${name}`, gate: 'hard' };
}

function perNamespace(base: Omit<WatchSpec, 'namespace'>, namespaces: readonly string[]): WatchSpec[] {
  if (namespaces.length === 0) return [base];
  return [...new Set(namespaces)].sort().map((namespace) => ({ ...base, namespace }));
}

/** The API server's field selector for TLS Secrets (the only type the translator accepts). */
export const TLS_SECRET_FIELD_SELECTOR = 'type=kubernetes.io/tls';

/** What one class of referenced Secrets is watched through. */
interface SecretClass {
  refs: readonly NamespacedName[];
  fieldSelector?: string;
  labelSelector?: string;
  /** The label selector was asked for by the user: the watch must work (hard gate). */
  userSelector: boolean;
}

/**
 * Referenced Secrets with a number of watches that does not grow with the
 * number of Secrets. By default one watch per namespace that holds a referenced
 * Secret; with `--secret-watch cluster` (or, for TLS Secrets,
 * `--secret-label-selector`), one cluster-wide watch (under
 * `--watch-namespace`, one per watched namespace holding a referenced Secret:
 * RBAC may be granted per namespace). Either way the watch keeps only the
 * referenced Secrets and drops every other on arrival.
 */
function secretSpecsOf(input: WatchPlanInput, secrets: SecretClass): WatchSpec[] {
  const watched = new Set(input.watchNamespaces);
  const byNamespace = new Map<string, string[]>();
  for (const ref of secrets.refs) {
    if (watched.size > 0 && !watched.has(ref.namespace)) continue;
    byNamespace.set(ref.namespace, [...(byNamespace.get(ref.namespace) ?? []), `${ref.namespace}/${ref.name}`]);
  }
  const base = {
    role: 'secrets', kind: 'Secret',
    ...(secrets.fieldSelector ? { fieldSelector: secrets.fieldSelector } : {}),
    ...(secrets.labelSelector ? { labelSelector: secrets.labelSelector } : {}),
  } as const;
  // One unreadable namespace must not block every other route (a label-selected watch was asked for: it must work).
  const gate = secrets.userSelector ? 'hard' : 'soft';
  if ((secrets.userSelector || input.secretWatch === 'cluster') && watched.size === 0) {
    const keep = [...new Set([...byNamespace.values()].flat())].sort();
    return keep.length === 0 ? [] : [{ ...base, keep, gate }];
  }
  return [...byNamespace.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([namespace, keys]) => ({
    ...base, namespace, keep: [...new Set(keys)].sort(), gate,
  }));
}

/**
 * TLS Secrets (typed kubernetes.io/tls, or carrying `--secret-label-selector`),
 * credential Secrets of KongConsumers (labelled konghq.com/credential, as the
 * Kong Ingress Controller requires) and Secrets a plugin's configuration
 * names (any type: the plugin object names them one by one).
 */
function secretSpecs(input: WatchPlanInput): WatchSpec[] {
  const selector = input.secretLabelSelector;
  return [
    ...secretSpecsOf(input, { refs: input.secretRefs, fieldSelector: TLS_SECRET_FIELD_SELECTOR, ...(selector ? { labelSelector: selector } : {}), userSelector: Boolean(selector) }),
    ...secretSpecsOf(input, { refs: input.credentialSecretRefs ?? [], labelSelector: CREDENTIAL_LABEL, userSelector: false }),
    ...secretSpecsOf(input, { refs: input.pluginSecretRefs ?? [], userSelector: false }),
  ];
}

/**
 * The Kong plugin and consumer resources, read-only. Their CRDs may not be
 * installed: such a watch counts as synced and empty (nothing can reference a
 * KongPlugin that cannot exist) and looks again in the background. Otherwise
 * they gate the push like every input: a global plugin not listed yet must
 * not let routes out without it.
 */
function kongResourceSpecs(namespaces: readonly string[]): WatchSpec[] {
  return [
    ...perNamespace({ role: 'kongPlugins', kind: 'KongPlugin', gate: 'hard', optionalResource: true }, namespaces),
    { role: 'kongClusterPlugins', kind: 'KongClusterPlugin', gate: 'hard', optionalResource: true },
    ...perNamespace({ role: 'kongConsumers', kind: 'KongConsumer', gate: 'hard', optionalResource: true }, namespaces),
  ];
}

function gatewaySpecs(input: WatchPlanInput): WatchSpec[] {
  const { gateway, kongAdmin, publishService } = input.settings;
  const specs: WatchSpec[] = [
    { role: 'gatewayDeployment', kind: 'Deployment', namespace: gateway.namespace, fieldSelector: `metadata.name=${gateway.deployment}`, gate: 'hard' },
    { role: 'gatewayNamespace', kind: 'Namespace', fieldSelector: `metadata.name=${gateway.namespace}`, gate: 'hard' },
  ];
  if (input.gatewayPodSelector) {
    specs.push({ role: 'gatewayPods', kind: 'Pod', namespace: gateway.namespace, labelSelector: input.gatewayPodSelector, gate: 'hard' });
  }
  if (input.watchNamespaces.length > 0 && !input.watchNamespaces.includes(gateway.namespace)) {
    // The gateway's mesh identity comes from the Services selecting its pods.
    specs.push({ role: 'gatewayServices', kind: 'Service', namespace: gateway.namespace, gate: 'hard' });
  }
  const admin = splitNamespacedName(kongAdmin.service);
  if (!input.staticAdminUrls && admin) {
    specs.push({ role: 'adminEndpoints', kind: 'EndpointSlice', namespace: admin.namespace, labelSelector: `kubernetes.io/service-name=${admin.name}`, gate: 'hard' });
  }
  specs.push(...adminTlsSecretSpecs(input.settings));
  const publish = splitNamespacedName(publishService);
  if (!input.staticPublishAddresses && publish) {
    specs.push({ role: 'publishService', kind: 'Service', namespace: publish.namespace, fieldSelector: `metadata.name=${publish.name}`, gate: 'hard' });
  }
  return specs;
}

/**
 * The admin mutual-TLS Secrets in the gateway's namespace, one name-selected
 * watch each (own role: they never reach the translation). The CA Secret only
 * when meshdoor manages the certificates.
 */
function adminTlsSecretSpecs(settings: MeshDoorSettings): WatchSpec[] {
  const { tls } = settings.kongAdmin;
  if (tls.certificates === 'off') return [];
  const names = tls.certificates === 'managed' ? [tls.caSecret, tls.servingSecret, tls.clientSecret] : [tls.servingSecret, tls.clientSecret];
  return [...new Set(names)].map((name) => ({
    role: 'adminTlsSecrets', kind: 'Secret', namespace: settings.gateway.namespace, fieldSelector: `metadata.name=${name}`, gate: 'hard',
  }));
}

export function desiredWatchSpecs(input: WatchPlanInput): WatchSpec[] {
  const ns = input.watchNamespaces;
  return [
    meshdoorWatchSpec(input.meshdoorName),
    { role: 'ingressClasses', kind: 'IngressClass', gate: 'hard' },
    // Every source kind, watched whole (under the role its description names).
    ...SOURCE_KINDS.flatMap((source) => (source.namespaced ? perNamespace({ role: source.watchRole, kind: source.kind, gate: 'hard' }, ns) : [{ role: source.watchRole, kind: source.kind, gate: 'hard' } as const])),
    ...perNamespace({ role: 'services', kind: 'Service', gate: 'hard' }, ns),
    ...(input.settings.upstreamMode === 'endpoints'
      ? perNamespace({ role: 'endpointSlices', kind: 'EndpointSlice', gate: 'hard' }, ns)
      // Not translated in the other modes (not in the snapshot, so endpoint churn costs no translation), only reported on.
      : perNamespace({ role: 'backendEndpoints', kind: 'EndpointSlice', gate: 'soft' }, ns)),
    ...kongResourceSpecs(ns),
    ...secretSpecs(input),
    ...gatewaySpecs(input),
  ];
}

/**
 * referencedSecrets over the watch caches, once per change that can matter: an
 * edit of Ingresses none of which has a tls section (in either version) names
 * the same Secrets, so the last answer stands (the plan runs on every sync).
 */
export class ReferencedSecretsPlan {
  private last: { ingresses: readonly V1Ingress[]; classes: readonly V1IngressClass[]; own: ClassOwnership; refs: NamespacedName[] } | undefined;

  refs(ingresses: readonly V1Ingress[], classes: readonly V1IngressClass[], own: ClassOwnership): NamespacedName[] {
    const last = this.last;
    if (last && last.classes === classes && sameOwnership(last.own, own) && noTlsChanged(last.ingresses, ingresses)) {
      last.ingresses = ingresses;
      return last.refs;
    }
    const refs = referencedSecrets(ingresses, classes, own);
    this.last = { ingresses, classes, own: { ingressClass: own.ingressClass, controllerName: own.controllerName }, refs };
    return refs;
  }
}

/** Whether two settings own the same class (the fields class ownership reads). */
export function sameOwnership(a: ClassOwnership, b: ClassOwnership): boolean {
  return a.ingressClass === b.ingressClass && a.controllerName === b.controllerName;
}

/** Whether none of the Ingresses that left or joined the list has a tls section. */
function noTlsChanged(before: readonly V1Ingress[], after: readonly V1Ingress[]): boolean {
  if (before === after) return true;
  const { removed, added } = listChanges(before, after);
  return [...removed, ...added].every((ingress) => (ingress.spec?.tls?.length ?? 0) === 0);
}

/** Secrets named in the TLS sections of the Ingresses this bridge serves, sorted and unique. */
export function referencedSecrets(
  ingresses: readonly V1Ingress[], ingressClasses: readonly V1IngressClass[], own: ClassOwnership,
): NamespacedName[] {
  const index = indexSnapshot(snapshotOf({ Ingress: ingresses, IngressClass: ingressClasses }));
  const refs = new Map<string, NamespacedName>();
  for (const ingress of ingresses) {
    const namespace = ingress.metadata?.namespace;
    if (!namespace || !isIngressServed(ingress, own, index)) continue;
    for (const tls of ingress.spec?.tls ?? []) {
      if (tls.secretName) refs.set(`${namespace}/${tls.secretName}`, { namespace, name: tls.secretName });
    }
  }
  return [...refs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, ref]) => ref);
}
