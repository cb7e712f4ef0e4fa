// Manifest text → the documents in it. YAML through js-yaml (YAML 1.2 core
// schema, as the `yaml` package reads it by default: dates and `yes` stay
// strings, duplicate keys are errors), several times faster than a parser that
// builds a document tree with source ranges first, and still with a line and
// column for every error. A file that is one JSON value skips YAML altogether.
import { loadAll, YAMLException } from 'js-yaml';

/** A `---` line: the start of a document (its content may follow on the same line). */
const DOCUMENT_START = /^---(?=[ \t\r\n]|$)/gm;
/** What may stand before the first `---` without being a document of its own. */
const PREAMBLE_LINE = /^\s*(?:#.*|%.*)?$/;

/** The 0-based index of the document holding `position` (directives and comments before the first `---` are none). */
export function documentIndexAt(text: string, position: number): number {
  const starts = [...text.slice(0, position).matchAll(DOCUMENT_START)].map((m) => m.index);
  const first = starts[0];
  if (first === undefined) return 0;
  const implicitFirst = !text.slice(0, first).split('\n').every((line) => PREAMBLE_LINE.test(line));
  return implicitFirst ? starts.length : starts.length - 1;
}

function jsonValue(text: string): { value: unknown } | undefined {
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    // Not JSON after all (a YAML flow mapping, or broken): YAML reads it, or says where it breaks.
    return undefined;
  }
}

/** A parse error as `<where> (document N): invalid YAML: <reason> at line L, column C:` and the lines around it. */
export class ManifestSyntaxError extends Error {}

/**
 * The documents of `text` in order (an empty document is null). Throws a
 * ManifestSyntaxError naming `source`, the document, line and column.
 */
export function parseManifestDocuments(source: string, text: string): unknown[] {
  const json = jsonValue(text);
  if (json) return [json.value];
  try {
    return loadAll(text);
  } catch (err) {
    if (!(err instanceof YAMLException) || !err.mark) throw err;
    const { line, column, position, snippet } = err.mark;
    const where = `${source} (document ${documentIndexAt(text, position) + 1})`;
    throw new ManifestSyntaxError(`${where}: invalid YAML: ${err.reason} at line ${line + 1}, column ${column + 1}${snippet ? `:\n\n${snippet}\n` : ''}`, { cause: err });
  }
}
