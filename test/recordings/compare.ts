// Compares what the double answered with what Kong answered, field by field.
// Exact except for what Kong itself does not fix: timestamps (any number),
// ids Kong draws at random (UUID v4: any UUID), and text that comes from
// libraries linked into Kong (OpenSSL, PCRE2, libyaml), which another build
// words differently; the Kong-side wording around it stays exact.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMPS = new Set(['created_at', 'updated_at']);

const LIBRARY_TEXT: [RegExp, string][] = [
  // OpenSSL's reason, to the end of the message: `error:688010A:asn1 encoding routines:...:tasn_dec.c:375:`.
  [/error:[0-9A-F]{6,}:[^"\\)]*/g, 'error:<openssl>'],
  // PCRE2's description of the syntax error (nginx adds ` in "<regex>" at "<rest>"`).
  [/(pcre2_compile\(\) failed: ).*? in (\\*")/g, '$1<pcre2> in $2'],
  // libyaml: `2:11: did not find expected node content`.
  [/(failed parsing declarative configuration: )\d+:\d+: [^"\\}]*/g, '$1<libyaml>'],
];

export function withoutLibraryText(text: string): string {
  return LIBRARY_TEXT.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface CompareOptions {
  /** Rewrites both sides' strings before comparing (values Kong draws per install, e.g. its workspace id). */
  text?: (value: string) => string;
}

const isRandomId = (key: string): boolean => UUID.exec(key)?.[1] === '4';

/**
 * Maps keyed by id (POST /config's answer): an entity Kong gave a random id is
 * paired with the double's entry, under whatever id, that differs least.
 */
function randomKeyPairs(expected: Record<string, unknown>, actual: Record<string, unknown>, at: string, options: CompareOptions): Map<string, string> {
  const pairs = new Map<string, string>();
  const free = Object.keys(actual).filter((k) => !(k in expected) && UUID.test(k));
  for (const key of Object.keys(expected).filter((k) => !(k in actual) && isRandomId(k))) {
    let best: { key: string; count: number } | undefined;
    for (const candidate of free) {
      const count = differences(expected[key], actual[candidate], `${at}.${key}`, options).length;
      if (best === undefined || count < best.count) best = { key: candidate, count };
    }
    if (best === undefined) break;
    pairs.set(key, best.key);
    free.splice(free.indexOf(best.key), 1);
  }
  return pairs;
}

const mismatch = (at: string, expected: unknown, actual: unknown): string[] => [`${at}: expected ${describe(expected)}, got ${describe(actual)}`];

function stringDifferences(expected: string, actual: unknown, at: string, options: CompareOptions): string[] {
  if (typeof actual !== 'string') return mismatch(at, expected, actual);
  if (isRandomId(expected)) return UUID.test(actual) ? [] : [`${at}: expected a random UUID, got ${describe(actual)}`];
  const text = options.text ?? ((v: string): string => v);
  return withoutLibraryText(text(expected)) === withoutLibraryText(text(actual)) ? [] : mismatch(at, expected, actual);
}

function arrayDifferences(expected: unknown[], actual: unknown, at: string, options: CompareOptions): string[] {
  if (!Array.isArray(actual)) return [`${at}: expected an array ${describe(expected)}, got ${describe(actual)}`];
  const out = expected.length === actual.length ? [] : [`${at}: expected ${expected.length} items, got ${actual.length}: ${describe(actual)}`];
  const n = Math.min(expected.length, actual.length);
  for (let i = 0; i < n; i += 1) out.push(...differences(expected[i], actual[i], `${at}[${i}]`, options));
  return out;
}

function recordDifferences(expected: Record<string, unknown>, actual: unknown, at: string, options: CompareOptions): string[] {
  if (!isRecord(actual)) return [`${at}: expected an object ${describe(expected)}, got ${describe(actual)}`];
  const out: string[] = [];
  const pairs = randomKeyPairs(expected, actual, at, options);
  for (const k of Object.keys(expected)) {
    const other = pairs.get(k) ?? k;
    if (!(other in actual)) out.push(`${at}.${k}: missing (expected ${describe(expected[k])})`);
    else out.push(...differences(expected[k], actual[other], `${at}.${k}`, options));
  }
  const paired = new Set(pairs.values());
  for (const k of Object.keys(actual)) if (!(k in expected) && !paired.has(k)) out.push(`${at}.${k}: unexpected ${describe(actual[k])}`);
  return out;
}

/** Differences between Kong's value and the double's, as `path: expected … got …` lines. */
export function differences(expected: unknown, actual: unknown, at = '$', options: CompareOptions = {}): string[] {
  const key = at.slice(at.lastIndexOf('.') + 1);
  if (TIMESTAMPS.has(key) && typeof expected === 'number') {
    return typeof actual === 'number' ? [] : [`${at}: expected a timestamp, got ${describe(actual)}`];
  }
  if (typeof expected === 'string') return stringDifferences(expected, actual, at, options);
  if (Array.isArray(expected)) return arrayDifferences(expected, actual, at, options);
  if (isRecord(expected)) return recordDifferences(expected, actual, at, options);
  return Object.is(expected, actual) ? [] : mismatch(at, expected, actual);
}
