// PURE checks of offline manifests, each returning messages to print: why a
// document is skipped, shapes the translator cannot read, and annotations that
// look like meshdoor's but are unknown or on the wrong kind of object.
import { TRANSLATED_KINDS } from '../translate/index.ts';

/** The kinds the translator reads, by kind, with the one apiVersion it reads them in. */
export const INPUT_KINDS: Readonly<Record<string, string>> = Object.fromEntries([
  ...TRANSLATED_KINDS.map((k) => [k.kind, k.apiVersion] as const),
  ['MeshDoor', 'meshdoor.dev/v1alpha1'] as const,
]);

// The annotations meshdoor reads (README "Annotations"), by the object they belong on.
const K = 'konghq.com/';
export const INGRESS_ANNOTATIONS = new Set([
  ...['strip-path', 'preserve-host', 'protocols', 'methods', 'https-redirect-status-code', 'regex-priority', 'regex-prefix',
    'host-aliases', 'headers-separator', 'path-handling', 'request-buffering', 'response-buffering', 'snis', 'plugins'].map((a) => K + a),
  'ingress.kubernetes.io/force-ssl-redirect',
]);
export const SERVICE_ANNOTATIONS = new Set([
  ...['path', 'protocol', 'connect-timeout', 'read-timeout', 'write-timeout', 'retries', 'host-header', 'plugins'].map((a) => K + a),
  'ingress.kubernetes.io/service-upstream',
]);

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

function closest(word: string, candidates: Iterable<string>, maxDistance: number): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const d = editDistance(word.toLowerCase(), name.toLowerCase());
    if (d <= maxDistance && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** Why a document of this kind and apiVersion is skipped, or undefined when it is read. */
export function skipReason(apiVersion: unknown, kind: unknown): string | undefined {
  if (typeof kind !== 'string' || kind === '') return 'it has no kind';
  const wanted = INPUT_KINDS[kind];
  if (wanted === apiVersion) return undefined;
  if (wanted) return `${kind} ${String(apiVersion)} is not read: meshdoor reads ${kind} ${wanted}`;
  const near = closest(kind, Object.keys(INPUT_KINDS), 2);
  if (near) return `kind ${kind} is not one meshdoor reads (did you mean ${near}?)`;
  return `meshdoor does not read ${kind} objects`;
}

const isList = (v: unknown): boolean => v === undefined || v === null || Array.isArray(v);
const isObject = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v));
const got = (v: unknown): string => JSON.stringify(v);

/** The first field whose shape the translator cannot read, as "field must be ... (got ...)". */
export function shapeProblem(kind: string, object: Record<string, unknown>): string | undefined {
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!isObject(object.metadata)) return `metadata must be an object (got ${got(object.metadata)})`;
  if (!isObject(spec)) return `spec must be an object (got ${got(spec)})`;
  if (kind === 'Ingress') return ingressShape(spec ?? {});
  if (kind === 'Service' && !isList(spec?.ports)) return `spec.ports must be a list (got ${got(spec?.ports)})`;
  if (kind === 'EndpointSlice') {
    for (const field of ['endpoints', 'ports'] as const) if (!isList(object[field])) return `${field} must be a list (got ${got(object[field])})`;
  }
  if (kind === 'Secret' && !isObject(object.data)) return `data must be a map (got ${got(object.data)})`;
  return undefined;
}

function ingressShape(spec: Record<string, unknown>): string | undefined {
  if (!isList(spec.rules)) return `spec.rules must be a list (got ${got(spec.rules)})`;
  if (!isList(spec.tls)) return `spec.tls must be a list (got ${got(spec.tls)})`;
  if (!isObject(spec.defaultBackend)) return `spec.defaultBackend must be an object (got ${got(spec.defaultBackend)})`;
  const rules = (spec.rules ?? []) as unknown[];
  for (const [i, rule] of rules.entries()) {
    const problem = ruleShape(`spec.rules[${i}]`, rule);
    if (problem) return problem;
  }
  for (const [i, tls] of ((spec.tls ?? []) as unknown[]).entries()) {
    if (!isObject(tls) || tls === null) return `spec.tls[${i}] must be an object (got ${got(tls)})`;
    const hosts = (tls as Record<string, unknown>).hosts;
    if (!isList(hosts)) return `spec.tls[${i}].hosts must be a list (got ${got(hosts)})`;
  }
  return undefined;
}

function ruleShape(field: string, rule: unknown): string | undefined {
  if (!isObject(rule) || rule === null) return `${field} must be an object (got ${got(rule)})`;
  const http = (rule as Record<string, unknown>).http as Record<string, unknown> | undefined;
  if (!isObject(http)) return `${field}.http must be an object (got ${got(http)})`;
  if (!isList(http?.paths)) return `${field}.http.paths must be a list (got ${got(http?.paths)})`;
  for (const [j, path] of ((http?.paths ?? []) as unknown[]).entries()) {
    if (!isObject(path) || path === null) return `${field}.http.paths[${j}] must be an object (got ${got(path)})`;
    const backend = (path as Record<string, unknown>).backend;
    if (!isObject(backend)) return `${field}.http.paths[${j}].backend must be an object (got ${got(backend)})`;
  }
  return undefined;
}

/** Messages about annotations that look like meshdoor's but are unknown or misplaced. */
export function annotationProblems(kind: string, annotations: Readonly<Record<string, unknown>>): string[] {
  const own = kind === 'Ingress' ? INGRESS_ANNOTATIONS : kind === 'Service' ? SERVICE_ANNOTATIONS : undefined;
  if (!own) return [];
  const other = kind === 'Ingress' ? SERVICE_ANNOTATIONS : INGRESS_ANNOTATIONS;
  const otherKind = kind === 'Ingress' ? 'Service' : 'Ingress';
  const problems: string[] = [];
  for (const name of Object.keys(annotations)) {
    if (!name.startsWith(K) && !name.startsWith('ingress.kubernetes.io/')) continue;
    if (own.has(name) || (kind === 'Ingress' && name.startsWith(`${K}headers.`))) continue;
    if (other.has(name)) {
      problems.push(`annotation ${name} belongs on the ${otherKind}, not on ${kind === 'Ingress' ? 'an' : 'a'} ${kind}; ignored here`);
      continue;
    }
    const near = closest(name, own, 2);
    problems.push(near ? `unknown annotation ${name} (did you mean ${near}?); ignored` : `annotation ${name} is not one meshdoor reads; ignored`);
  }
  return problems;
}
