// The body of a DB-less POST /config: the config as canonical JSON (object
// keys sorted), minus what Kong fills in by itself, which was over half of it
// (a 10k-Ingress config went past Kong's 10 MiB admin body limit):
// - ids Kong derives the same way (kong-admin-api §4 generate_ids): services,
//   routes, upstreams and SNIs from their names, targets from their upstream
//   and target; certificates have no name and keep theirs;
// - fields equal to Kong's schema default (§1.x tables);
// - the ownership tag: a DB-less gateway runs meshdoor's config and nothing else.
// The text of each service, upstream and certificate the translator reused
// (deep-frozen) is remembered, so a pass that changed one Ingress serializes
// about one service.
import type { KongCertificate, KongConfig, KongRoute, KongService, KongUpstream } from './declarative.ts';
import { OWNERSHIP_TAG } from './declarative.ts';
import { canonicalJson } from './config-hash.ts';
import { isDeeplyFrozen } from './frozen.ts';

type Fields = Record<string, unknown>;

const SERVICE_DEFAULTS: Fields = { protocol: 'http', port: 80, retries: 5, connect_timeout: 60000, read_timeout: 60000, write_timeout: 60000 };
const ROUTE_DEFAULTS: Fields = {
  preserve_host: false, regex_priority: 0, path_handling: 'v0', https_redirect_status_code: 426,
  request_buffering: true, response_buffering: true,
};
const HTTP_ROUTE_DEFAULTS: Fields = { ...ROUTE_DEFAULTS, strip_path: true };
const UPSTREAM_DEFAULTS: Fields = { algorithm: 'round-robin' };
const TARGET_DEFAULTS: Fields = { weight: 100 };

const texts = new WeakMap<object, string>();

/** The entity's text, remembered when the entity can never change. */
function remembered<T extends object>(entity: T, write: (entity: T) => string): string {
  const frozen = isDeeplyFrozen(entity);
  if (frozen) {
    const known = texts.get(entity);
    if (known !== undefined) return known;
  }
  const text = write(entity);
  if (frozen) texts.set(entity, text);
  return text;
}

/** `{...}` with keys sorted; `children` are already-written texts. */
function objectText(fields: Fields, children: Record<string, string> = {}): string {
  const parts: string[] = [];
  for (const key of [...Object.keys(fields), ...Object.keys(children)].sort()) {
    const child = children[key];
    const text = child ?? (fields[key] === undefined ? undefined : canonicalJson(fields[key]));
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && canonicalJson(a) === canonicalJson(b));
}

/** The fields Kong needs: no derived id, no default, no ownership tag, no children. */
function ownFields(entity: Fields, defaults: Fields, omit: readonly string[]): Fields {
  const fields: Fields = {};
  for (const [key, value] of Object.entries(entity)) {
    if (omit.includes(key) || (key in defaults && sameValue(value, defaults[key]))) continue;
    fields[key] = key === 'tags' && Array.isArray(value) ? value.filter((tag) => tag !== OWNERSHIP_TAG) : value;
  }
  return fields;
}

const list = (items: readonly string[]): string => `[${items.join(',')}]`;

// Not remembered on its own: its service's text holds it, and keeping both
// doubled what the cache held.
function routeText(route: KongRoute): string {
  const http = route.protocols[0] === 'http' || route.protocols[0] === 'https';
  const defaults = http ? HTTP_ROUTE_DEFAULTS : ROUTE_DEFAULTS;
  const fields = ownFields(route as unknown as Fields, defaults, ['id']);
  if (http && sameProtocols(route.protocols, ['http', 'https'])) delete fields['protocols'];
  return objectText(fields);
}

function sameProtocols(actual: readonly string[], expected: readonly string[]): boolean {
  return actual.length === expected.length && expected.every((p) => actual.includes(p));
}

function serviceText(service: KongService): string {
  return remembered(service, (s) => objectText(ownFields(s as unknown as Fields, SERVICE_DEFAULTS, ['id', 'routes']), {
    routes: list(s.routes.map(routeText)),
  }));
}

function upstreamText(upstream: KongUpstream): string {
  return remembered(upstream, (u) => objectText(ownFields(u as unknown as Fields, UPSTREAM_DEFAULTS, ['id', 'targets']), {
    targets: list(u.targets.map((t) => objectText(ownFields(t as unknown as Fields, TARGET_DEFAULTS, ['id'])))),
  }));
}

function certificateText(certificate: KongCertificate): string {
  return remembered(certificate, (c) => objectText(ownFields(c as unknown as Fields, {}, ['snis']), {
    snis: list(c.snis.map((sni) => objectText(ownFields(sni as unknown as Fields, {}, ['id'])))),
  }));
}

/** The POST /config body for `config`: same config, same bytes. */
export function dblessBody(config: KongConfig): string {
  return objectText({ _format_version: config._format_version }, {
    certificates: list(config.certificates.map(certificateText)),
    services: list(config.services.map(serviceText)),
    upstreams: list(config.upstreams.map(upstreamText)),
  });
}
