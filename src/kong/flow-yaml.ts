// A list chunk of the DB-less body as YAML flow collections with anchors:
// the tags, hosts and names that repeat from one entity to the next are
// written once (`&a "k8s-namespace:shop"`) and then referred to (`*a`).
// Kong reads a body that is not JSON with its YAML parser, which resolves
// aliases; the MD5 of the text is still its configuration_hash. Anchors are
// scoped to the chunk (a later chunk redefines the names), so a chunk's text
// stays valid wherever it lands and can be reused while its entities are the same.
//
// Only strings and lists of scalars are shared: an aliased mapping would be
// one table for two entities in Kong. A string is written plain only when it
// starts with a letter or `/` and holds nothing but letters, digits and
// `._/-`, and is not a YAML 1.1 boolean or null word: then neither YAML 1.1
// (Kong's parser) nor 1.2 can read it as anything but that string. Everything
// else is double-quoted.

type Value = unknown;

const PLAIN_SAFE = /^[A-Za-z/][A-Za-z0-9._/-]*$/;
const YAML_WORDS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);
// JSON.stringify leaves these as they are; YAML reads U+0085/U+2028/U+2029 as
// line breaks (folded to a space in a quoted scalar) and refuses the others.
const NOT_YAML_PRINTABLE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

/** A double-quoted YAML scalar holding exactly `text`. */
export function yamlQuoted(text: string): string {
  return JSON.stringify(text).replace(NOT_YAML_PRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A YAML flow scalar holding exactly `text`: plain when that is safe, else quoted. */
export function yamlString(text: string): string {
  return PLAIN_SAFE.test(text) && !YAML_WORDS.has(text.toLowerCase()) ? text : yamlQuoted(text);
}

const isScalarList = (value: Value): value is readonly Value[] =>
  Array.isArray(value) && value.length > 0 && value.every((item) => item === null || typeof item !== 'object');

type Mapping = Record<string, Value>;
const isMapping = (value: Value): value is Mapping => value !== null && typeof value === 'object' && !Array.isArray(value);
const isFlag = (value: Value): boolean => typeof value === 'boolean' || typeof value === 'number';

const membersText = (mapping: Mapping, keys: readonly string[], text: (value: Value) => string): string =>
  keys.map((k) => `${yamlString(k)}: ${text(mapping[k])}`).join(',');

/** Sorted keys of the members that are not undefined. */
const keysOf = (mapping: Mapping): string[] => Object.keys(mapping).filter((k) => mapping[k] !== undefined).sort();

/** A mapping's boolean and number members (`preserve_host: true,strip_path: false`): shared through a `<<` merge key. */
function flagsText(mapping: Mapping): string | undefined {
  const keys = keysOf(mapping).filter((k) => isFlag(mapping[k]));
  return keys.length === 0 ? undefined : membersText(mapping, keys, (v) => JSON.stringify(v));
}

/**
 * How a repeated value is written: `plain` each time, or once with an anchor
 * and then as aliases. Strings and lists: `&n value` / `*n`; flags: merged
 * into their mapping with `<<: &n {…}` / `<<: *n` (YAML 1.1's merge key,
 * which Kong's parser applies).
 */
interface Shared { uses: number; plain: number; merge: boolean; name?: string; written?: boolean }

const anchoredCost = (entry: Shared, name: string): number => (entry.merge
  ? entry.plain + name.length + 8 + (entry.uses - 1) * (name.length + 5)
  : entry.plain + name.length + 2 + (entry.uses - 1) * (name.length + 1));

/** Anchor names: 0-9a-z, then two characters, and so on (YAML 1.1 anchor characters). */
const anchorName = (index: number): string => index.toString(36);

function note(shared: Map<string, Shared>, key: string, plain: () => number, merge: boolean): boolean {
  const known = shared.get(key);
  if (known !== undefined) {
    known.uses += 1;
    return true;
  }
  shared.set(key, { uses: 1, plain: plain(), merge });
  return false;
}

/**
 * Visits the values in writing order. A shared list seen before is not
 * entered again (its alias stands for it), so counts match what is written.
 */
function count(value: Value, shared: Map<string, Shared>): void {
  if (typeof value === 'string') {
    note(shared, `s${value}`, () => yamlString(value).length, false);
  } else if (isScalarList(value)) {
    if (!note(shared, `l${JSON.stringify(value)}`, () => plainText(value).length, false)) for (const item of value) count(item, shared);
  } else if (Array.isArray(value)) {
    for (const item of value) count(item, shared);
  } else if (isMapping(value)) {
    const flags = flagsText(value);
    if (flags !== undefined) note(shared, `m${flags}`, () => flags.length, true);
    for (const k of keysOf(value)) if (!isFlag(value[k])) count(value[k], shared);
  }
}

/** Names the values worth an anchor: written once plus aliases must be shorter than written each time. */
function nameAnchors(shared: Map<string, Shared>): void {
  let next = 0;
  for (const entry of shared.values()) {
    if (entry.uses < 2) continue;
    const name = anchorName(next);
    if (anchoredCost(entry, name) >= entry.uses * entry.plain) continue;
    entry.name = name;
    next += 1;
  }
}

function plainText(value: Value): string {
  if (typeof value === 'string') return yamlString(value);
  if (Array.isArray(value)) return `[${value.map(plainText).join(',')}]`;
  return JSON.stringify(value);
}

function write(value: Value, shared: Map<string, Shared>): string {
  const key = typeof value === 'string' ? `s${value}` : isScalarList(value) ? `l${JSON.stringify(value)}` : undefined;
  const entry = key === undefined ? undefined : shared.get(key);
  if (entry?.name === undefined) return body(value, shared);
  if (entry.written === true) return `*${entry.name}`;
  entry.written = true;
  return `&${entry.name} ${body(value, shared)}`;
}

function mappingText(mapping: Mapping, shared: Map<string, Shared>): string {
  const flags = flagsText(mapping);
  const entry = flags === undefined ? undefined : shared.get(`m${flags}`);
  const keys = keysOf(mapping);
  if (entry?.name === undefined) return `{${membersText(mapping, keys, (v) => write(v, shared))}}`;
  const merge = entry.written === true ? `<<: *${entry.name}` : `<<: &${entry.name} {${flags}}`;
  entry.written = true;
  const rest = keys.filter((k) => !isFlag(mapping[k]));
  return `{${[merge, ...(rest.length > 0 ? [membersText(mapping, rest, (v) => write(v, shared))] : [])].join(',')}}`;
}

function body(value: Value, shared: Map<string, Shared>): string {
  if (typeof value === 'string') return yamlString(value);
  if (Array.isArray(value)) return `[${value.map((item) => write(item, shared)).join(',')}]`;
  if (isMapping(value)) return mappingText(value, shared);
  return JSON.stringify(value);
}

/** The items as YAML flow nodes joined by `,`, sharing repeated values within them. */
export function flowChunk(items: readonly Value[]): string {
  const shared = new Map<string, Shared>();
  for (const item of items) count(item, shared);
  nameAnchors(shared);
  return items.map((item) => write(item, shared)).join(',');
}
