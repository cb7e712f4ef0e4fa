// The body of a DB-less POST /config, minus what Kong fills in by itself,
// which was over half of it (a 10k-Ingress config went past Kong's 10 MiB
// admin body limit):
// - ids Kong derives the same way (kong-admin-api §4 generate_ids): services,
//   routes, upstreams and SNIs from their names, targets from their upstream
//   and target; certificates have no name and keep theirs;
// - fields equal to Kong's schema default (§1.x tables);
// - the ownership tag: a DB-less gateway runs meshdoor's config and nothing else.
// It is written as YAML flow collections (JSON-like, keys sorted) in which the
// tags, hosts and names an entity repeats from its neighbours are anchored
// once and aliased after (flow-yaml.ts): the k8s-* tags were over 40 % of it.
// Lists are written in chunks of entities, and the text of a chunk whose
// entities are the same (deep-frozen) entities as before is reused; the MD5
// goes on from the state after the unchanged leading pieces. So a pass that
// changed one Ingress serializes one chunk and hashes from there on.
import { OWNERSHIP_TAG, type KongCertificate, type KongConfig, type KongRoute, type KongService, type KongUpstream } from '../model/index.ts';
import { canonicalJson } from './config-hash.ts';
import { listParts, md5OfParts } from './body-chunks.ts';
import { flowChunk, yamlQuoted } from './flow-yaml.ts';

type Fields = Record<string, unknown>;

const SERVICE_DEFAULTS: Fields = { protocol: 'http', port: 80, retries: 5, connect_timeout: 60000, read_timeout: 60000, write_timeout: 60000 };
const ROUTE_DEFAULTS: Fields = {
  preserve_host: false, regex_priority: 0, path_handling: 'v0', https_redirect_status_code: 426,
  request_buffering: true, response_buffering: true,
};
const HTTP_ROUTE_DEFAULTS: Fields = { ...ROUTE_DEFAULTS, strip_path: true };
const UPSTREAM_DEFAULTS: Fields = { algorithm: 'round-robin' };
const TARGET_DEFAULTS: Fields = { weight: 100 };

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

function routeFields(route: KongRoute): Fields {
  const http = route.protocols[0] === 'http' || route.protocols[0] === 'https';
  const defaults = http ? HTTP_ROUTE_DEFAULTS : ROUTE_DEFAULTS;
  const fields = ownFields(route as unknown as Fields, defaults, ['id']);
  if (http && sameProtocols(route.protocols, ['http', 'https'])) delete fields['protocols'];
  return fields;
}

function sameProtocols(actual: readonly string[], expected: readonly string[]): boolean {
  return actual.length === expected.length && expected.every((p) => actual.includes(p));
}

function serviceFields(s: KongService): Fields {
  return { ...ownFields(s as unknown as Fields, SERVICE_DEFAULTS, ['id', 'routes']), routes: s.routes.map(routeFields) };
}

function upstreamFields(u: KongUpstream): Fields {
  const targets = u.targets.map((t) => ownFields(t as unknown as Fields, TARGET_DEFAULTS, ['id']));
  return { ...ownFields(u as unknown as Fields, UPSTREAM_DEFAULTS, ['id', 'targets']), targets };
}

function certificateFields(c: KongCertificate): Fields {
  return { ...ownFields(c as unknown as Fields, {}, ['snis']), snis: c.snis.map((sni) => ownFields(sni as unknown as Fields, {}, ['id'])) };
}

const chunkOf = <T>(fields: (entity: T) => Fields) => (items: readonly T[]): string => flowChunk(items.map(fields));

// One writer per list, the same on every push: the chunk cache is kept per writer.
const writeCertificates = chunkOf(certificateFields);
const writeServices = chunkOf(serviceFields);
const writeUpstreams = chunkOf(upstreamFields);

/**
 * The body in pieces, in order: `{_format_version: …,certificates: `, then
 * each list as `[`, chunks, `,` between them, `]`, with the keys between, in
 * the sorted order flowChunk writes keys in.
 */
function bodyParts(config: KongConfig): string[] {
  return [
    `{_format_version: ${yamlQuoted(config._format_version)},certificates: `, ...listParts(config.certificates, writeCertificates),
    ',services: ', ...listParts(config.services, writeServices),
    ',upstreams: ', ...listParts(config.upstreams, writeUpstreams),
    '}',
  ];
}
export interface DblessBody {
  text: string;
  /** Kong's configuration_hash for it: its MD5. */
  md5: string;
}

// Gateways share one config: its pieces and hash are made once. The joined
// text is not kept (the config outlives the push; ~10 MB at 10k Ingresses).
const bodies = new WeakMap<KongConfig, { parts: string[]; md5: string }>();

/** The POST /config body for `config` and its MD5: same config, same bytes. */
export function dblessBodyAndHash(config: KongConfig): DblessBody {
  let body = bodies.get(config);
  if (body === undefined) {
    const parts = bodyParts(config);
    body = { parts, md5: md5OfParts(parts) };
    bodies.set(config, body);
  }
  return { text: body.parts.join(''), md5: body.md5 };
}

/** The POST /config body for `config`. */
export function dblessBody(config: KongConfig): string {
  return dblessBodyAndHash(config).text;
}
