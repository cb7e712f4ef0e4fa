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
 * The text cut before each `---` line, or undefined when cutting could change
 * what is read: a directive (`%YAML`) belongs to the document after it.
 */
function documentPieces(text: string): string[] | undefined {
  if (/^%/m.test(text)) return undefined;
  const pieces: string[] = [];
  let start = 0;
  for (const match of text.matchAll(DOCUMENT_START)) {
    if (match.index > start) pieces.push(text.slice(start, match.index));
    start = match.index;
  }
  pieces.push(text.slice(start));
  return pieces;
}

/**
 * A document at a time: one call over a whole 30 MiB file held twice the
 * memory (600 MiB peak against 290 at 20k Ingresses), for the same documents.
 */
function loadDocuments(text: string): unknown[] {
  const pieces = documentPieces(text);
  if (!pieces) return loadAll(text);
  const documents: unknown[] = [];
  for (const piece of pieces) for (const document of loadAll(piece)) documents.push(document);
  return documents;
}

function syntaxError(source: string, text: string, err: YAMLException & { mark: NonNullable<YAMLException['mark']> }): ManifestSyntaxError {
  const { line, column, position, snippet } = err.mark;
  const where = `${source} (document ${documentIndexAt(text, position) + 1})`;
  return new ManifestSyntaxError(`${where}: invalid YAML: ${err.reason} at line ${line + 1}, column ${column + 1}${snippet ? `:\n\n${snippet}\n` : ''}`, { cause: err });
}

/**
 * The documents of `text` in order (an empty document is null). Throws a
 * ManifestSyntaxError naming `source`, the document, line and column.
 */
export function parseManifestDocuments(source: string, text: string): unknown[] {
  const json = jsonValue(text);
  if (json) return [json.value];
  try {
    return loadDocuments(text);
  } catch (err) {
    if (!(err instanceof YAMLException)) throw err;
    // A piece counts lines from its own start: read the whole text for the error as it stands in the file.
    try {
      return loadAll(text);
    } catch (whole) {
      if (!(whole instanceof YAMLException) || !whole.mark) throw whole;
      throw syntaxError(source, text, whole as YAMLException & { mark: NonNullable<YAMLException['mark']> });
    }
  }
}
