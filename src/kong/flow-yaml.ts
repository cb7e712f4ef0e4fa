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

/** A mapping's members as written: sorted keys (undefined left out), its flags (booleans and numbers) and the rest. */
interface Layout { keys: string[]; flags: string | undefined; rest: string[] }

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

/**
 * One chunk: its values counted, then written. Each mapping's layout and each
 * string's scalar are made once per chunk (counting and writing both need them).
 */
class ChunkWriter {
  // Strings, scalar lists (by their JSON) and flag sets apart: a string is its own
  // key (its hash is kept on it), no prefixed copy per lookup. `order` keeps the
  // order they were first seen in, which numbers the anchors.
  private readonly strings = new Map<string, Shared>();
  private readonly lists = new Map<string, Shared>();
  private readonly merges = new Map<string, Shared>();
  private readonly order: Shared[] = [];
  private readonly layouts = new Map<Mapping, Layout>();
  private readonly scalars = new Map<string, string>();

  text(items: readonly Value[]): string {
    for (const item of items) this.count(item);
    this.nameAnchors();
    return items.map((item) => this.write(item)).join(',');
  }

  private scalar(text: string): string {
    let written = this.scalars.get(text);
    if (written === undefined) {
      written = yamlString(text);
      this.scalars.set(text, written);
    }
    return written;
  }

  private layout(mapping: Mapping): Layout {
    let layout = this.layouts.get(mapping);
    if (layout === undefined) {
      const keys = Object.keys(mapping).filter((k) => mapping[k] !== undefined).sort();
      const flagKeys = keys.filter((k) => isFlag(mapping[k]));
      const flags = flagKeys.length === 0 ? undefined : this.members(mapping, flagKeys, (v) => JSON.stringify(v));
      layout = { keys, flags, rest: flagKeys.length === 0 ? keys : keys.filter((k) => !isFlag(mapping[k])) };
      this.layouts.set(mapping, layout);
    }
    return layout;
  }

  private members(mapping: Mapping, keys: readonly string[], text: (value: Value) => string): string {
    return keys.map((k) => `${this.scalar(k)}: ${text(mapping[k])}`).join(',');
  }

  private note(shared: Map<string, Shared>, key: string, plain: () => number): boolean {
    const known = shared.get(key);
    if (known !== undefined) {
      known.uses += 1;
      return true;
    }
    const entry: Shared = { uses: 1, plain: plain(), merge: shared === this.merges };
    shared.set(key, entry);
    this.order.push(entry);
    return false;
  }

  /**
   * Visits the values in writing order. A shared list seen before is not
   * entered again (its alias stands for it), so counts match what is written.
   */
  private count(value: Value): void {
    if (typeof value === 'string') {
      this.note(this.strings, value, () => this.scalar(value).length);
    } else if (isScalarList(value)) {
      if (!this.note(this.lists, JSON.stringify(value), () => this.plainText(value).length)) for (const item of value) this.count(item);
    } else if (Array.isArray(value)) {
      for (const item of value) this.count(item);
    } else if (isMapping(value)) {
      const { flags, rest } = this.layout(value);
      if (flags !== undefined) this.note(this.merges, flags, () => flags.length);
      for (const k of rest) this.count(value[k]);
    }
  }

  /** Names the values worth an anchor: written once plus aliases must be shorter than written each time. */
  private nameAnchors(): void {
    let next = 0;
    for (const entry of this.order) {
      if (entry.uses < 2) continue;
      const name = anchorName(next);
      if (anchoredCost(entry, name) >= entry.uses * entry.plain) continue;
      entry.name = name;
      next += 1;
    }
  }

  private plainText(value: Value): string {
    if (typeof value === 'string') return this.scalar(value);
    if (Array.isArray(value)) return `[${value.map((item) => this.plainText(item)).join(',')}]`;
    return JSON.stringify(value);
  }

  private write(value: Value): string {
    const entry = typeof value === 'string' ? this.strings.get(value) : isScalarList(value) ? this.lists.get(JSON.stringify(value)) : undefined;
    if (entry?.name === undefined) return this.body(value);
    if (entry.written === true) return `*${entry.name}`;
    entry.written = true;
    return `&${entry.name} ${this.body(value)}`;
  }

  private mappingText(mapping: Mapping): string {
    const { keys, flags, rest } = this.layout(mapping);
    const entry = flags === undefined ? undefined : this.merges.get(flags);
    if (entry?.name === undefined) return `{${this.members(mapping, keys, (v) => this.write(v))}}`;
    const merge = entry.written === true ? `<<: *${entry.name}` : `<<: &${entry.name} {${flags}}`;
    entry.written = true;
    return `{${[merge, ...(rest.length > 0 ? [this.members(mapping, rest, (v) => this.write(v))] : [])].join(',')}}`;
  }

  private body(value: Value): string {
    if (typeof value === 'string') return this.scalar(value);
    if (Array.isArray(value)) return `[${value.map((item) => this.write(item)).join(',')}]`;
    if (isMapping(value)) return this.mappingText(value);
    return JSON.stringify(value);
  }
}

/** The items as YAML flow nodes joined by `,`, sharing repeated values within them. */
export function flowChunk(items: readonly Value[]): string {
  return new ChunkWriter().text(items);
}
