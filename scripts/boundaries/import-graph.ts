// The repository's import graph, from source text: which file imports which,
// by which specifier, on which line. Pure: the caller reads the files.
import ts from 'typescript';
import { posix } from 'node:path';

export interface ImportEdge {
  /** Importing file, repository-relative with forward slashes. */
  from: string;
  /** Imported file, resolved like `from` (only relative specifiers resolve). */
  to: string;
  /** The specifier as written, for messages. */
  specifier: string;
  line: number;
}

/** Every module specifier of a TypeScript file: static and dynamic imports, `export ... from`, `import type`. */
export function importSpecifiers(text: string): { specifier: string; line: number }[] {
  // preProcessFile reads only the import syntax: comments and strings never count.
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.map((file) => ({ specifier: file.fileName, line: lineAt(text, file.pos) }));
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

/** Relative specifiers resolve against the importing file; packages and `node:` builtins are outside the graph. */
export function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  return posix.normalize(posix.join(posix.dirname(from), specifier));
}

/** The edges between repository files, from each file's path and text. */
export function buildImportGraph(files: ReadonlyMap<string, string>): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const [from, text] of files) {
    for (const { specifier, line } of importSpecifiers(text)) {
      const to = resolveSpecifier(from, specifier);
      if (to !== undefined) edges.push({ from, to, specifier, line });
    }
  }
  return edges;
}
