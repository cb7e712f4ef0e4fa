// The YAML text of a Kong config, byte for byte what the `yaml` library's
// stringify gives (lineWidth 0, no aliases), written directly: at 20k
// Ingresses the library's document model cost two seconds for 38 MB of
// output. Only the common shapes are written here (plain scalars, block maps
// and sequences); any scalar the library would quote or write as a block is
// rendered by the library itself, and any other shape falls back to it for
// the whole entity, so the output never differs.
import { Document, stringify } from 'yaml';

export const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

// The library's own tests of what a plain scalar would be read back as (null, bool, int, float).
const RESOLVING_TAGS: readonly RegExp[] = new Document(null, YAML_OPTIONS).schema.tags
  .filter((tag) => tag.default === true && tag.tag !== 'tag:yaml.org,2002:str' && tag.test !== undefined)
  .map((tag) => tag.test as RegExp);

// Indicators and spacing that keep a string from being plain (the library's rule, single-line case).
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;

const resolvesToOtherType = (value: string): boolean => RESOLVING_TAGS.some((test) => test.test(value));

// Names, ids, hosts, paths, tags: no indicator, space or trailing colon, and
// a letter or slash first, so only a word of five letters at most (true,
// FALSE, null) can read back as something else.
const SIMPLE_PLAIN = /^[A-Za-z/][\w./~*-]*(?::[\w./~*-]+)*$/;

/** True when the library writes `value` as is, unquoted. */
function isPlain(value: string): boolean {
  if (SIMPLE_PLAIN.test(value)) return value.length > 5 || !resolvesToOtherType(value);
  return value !== '' && !value.includes('\n') && !NOT_PLAIN.test(value) && !DOCUMENT_MARKER.test(value)
    && !resolvesToOtherType(value);
}

/** Simple keys only: anything else sends the entity to the library. */
const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// Entity keys are few (plugin configs add their own): remember the good ones, up to a bound.
const checkedKeys = new Set<string>();
const CHECKED_KEYS_LIMIT = 4096;

function checkKey(key: string): void {
  if (checkedKeys.has(key)) return;
  if (!SIMPLE_KEY.test(key) || resolvesToOtherType(key)) throw new Unsupported();
  if (checkedKeys.size < CHECKED_KEYS_LIMIT) checkedKeys.add(key);
}

class Unsupported extends Error {}

/** The library's rendering of one scalar after `prefix` (`k: ` or `- `), its continuation lines moved to `indent`. */
function libraryScalar(value: unknown, inSequence: boolean, indent: string): string {
  const text = inSequence ? stringify([value], YAML_OPTIONS) : stringify({ k: value }, YAML_OPTIONS);
  const body = text.slice(inSequence ? 2 : 3, -1);
  return indent === '' ? body : body.replace(/\n(?=.)/g, `\n${indent}`);
}

function scalar(value: unknown, inSequence: boolean, indent: string): string {
  if (typeof value === 'string') return isPlain(value) ? value : libraryScalar(value, inSequence, indent);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
  if (value === null) return 'null';
  if (value === undefined) throw new Unsupported();
  return libraryScalar(value, inSequence, indent);
}

const isCollection = (value: unknown): value is object => typeof value === 'object' && value !== null;

/** A map and its keys that have a value (the library leaves out undefined ones). */
interface Fields {
  map: Record<string, unknown>;
  keys: string[];
}

function fieldsOf(value: object): Fields {
  const map = value as Record<string, unknown>;
  const keys: string[] = [];
  for (const key in map) {
    if (!Object.hasOwn(map, key) || map[key] === undefined) continue;
    checkKey(key);
    keys.push(key);
  }
  return { map, keys };
}

/** `firstLinePrefix`: the `- ` line a map in a list starts on. */
function writeMap({ map, keys }: Fields, indent: string, out: string[], firstLinePrefix?: string): void {
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    out.push(i === 0 && firstLinePrefix !== undefined ? firstLinePrefix : indent, key, ':');
    writeValue(map[key], indent, out);
  }
}

/** A map value: after `key:` on the same line when inline, else nested below. */
function writeValue(value: unknown, indent: string, out: string[]): void {
  if (!isCollection(value)) {
    out.push(' ', scalar(value, false, indent), '\n');
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) { out.push(' []\n'); return; }
    out.push('\n');
    writeSequence(value, `${indent}  `, out);
    return;
  }
  const fields = fieldsOf(value);
  if (fields.keys.length === 0) { out.push(' {}\n'); return; }
  out.push('\n');
  writeMap(fields, `${indent}  `, out);
}

function writeSequence(items: readonly unknown[], indent: string, out: string[]): void {
  for (const item of items) {
    if (!isCollection(item)) {
      out.push(indent, '- ', scalar(item, true, indent), '\n');
    } else if (Array.isArray(item)) {
      if (item.length > 0) throw new Unsupported();
      out.push(indent, '- []\n');
    } else {
      const fields = fieldsOf(item);
      if (fields.keys.length === 0) out.push(indent, '- {}\n');
      else writeMap(fields, `${indent}  `, out, `${indent}- `);
    }
  }
}

/** One item of a top-level list, as it stands under `key:` in the whole document. */
export function yamlListItem(item: unknown): string {
  try {
    const out: string[] = [];
    writeSequence([item], '  ', out);
    return out.join('');
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
    return stringify([item], YAML_OPTIONS).replace(/^(?=.)/gm, '  ');
  }
}
