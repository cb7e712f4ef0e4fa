// Citations of repository files in comments and docs: which paths a text names,
// so a test can check that each one exists. Pure: the caller reads the files.
import ts from 'typescript';

export interface Citation {
  /** As written, without an `#anchor`. */
  path: string;
  anchor?: string;
  line: number;
}

// A file (with an extension) or folder (with a trailing slash) in the
// repository's own folders, or any name ending in `.md`; URLs are dropped
// first, so a link to another project never counts, nor `kubectl` names such
// as deploy/meshdoor.
const REPO_PATH = /(?<![\w./-])((?:\.\.?\/)*(?:src|test|e2e|bench|scripts|deploy|docs|examples|bin)\/(?:[\w./-]*\.\w+|(?:[\w.-]+\/)+))(?![\w/])/g;
const MARKDOWN = /(?<![\w.-])((?:[\w.-]+\/)*[\w.-]+\.md)(?:#([\w-]+))?/g;
const URL = /\b[a-z]+:\/\/\S+/g;

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Every repository path and markdown file a text names, and every section sign (a numbered section of some document). */
export function citationsIn(text: string): { citations: Citation[]; sections: number[] } {
  const plain = text.replace(URL, (url) => ' '.repeat(url.length));
  const citations = new Map<string, Citation>();
  for (const match of plain.matchAll(REPO_PATH)) {
    const path = match[1]!.replace(/\.$/, '');
    citations.set(`${match.index}`, { path, line: lineAt(plain, match.index) });
  }
  for (const match of plain.matchAll(MARKDOWN)) {
    const start = match.index + match[0].indexOf(match[1]!);
    const known = [...citations.entries()].find(([at, c]) => Number(at) <= start && start < Number(at) + c.path.length);
    if (known) citations.delete(known[0]);
    citations.set(`${start}`, { path: match[1]!, ...(match[2] ? { anchor: match[2] } : {}), line: lineAt(plain, start) });
  }
  const sections = [...plain.matchAll(/§/g)].map((m) => lineAt(plain, m.index));
  return { citations: [...citations.values()].sort((a, b) => a.line - b.line), sections };
}

/** The comments of a TypeScript or JavaScript file, blanked code around them so lines stay true. */
export function commentsOf(fileName: string, text: string): string {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const kept = text.replace(/[^\n]/g, ' ').split('');
  const seen = new Set<number>();
  const keep = (ranges: readonly ts.CommentRange[] | undefined): void => {
    for (const range of ranges ?? []) {
      if (seen.has(range.pos)) continue;
      seen.add(range.pos);
      for (let i = range.pos; i < range.end; i++) kept[i] = text[i]!;
    }
  };
  // Every token, not only every node: a comment before a closing brace belongs to no node.
  const visit = (node: ts.Node): void => {
    keep(ts.getLeadingCommentRanges(text, node.getFullStart()));
    keep(ts.getTrailingCommentRanges(text, node.getEnd()));
    for (const child of node.getChildren(source)) visit(child);
  };
  visit(source);
  return kept.join('');
}

/** GitHub's id for a markdown heading: lower case, punctuation dropped, spaces to dashes. */
export function headingAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

export function headingAnchors(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => headingAnchor(m[1]!)));
}
