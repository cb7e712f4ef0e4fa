// The check Kong's schema runs on a regex path before anything else:
// `ngx.re.find("", re, "aj")`, i.e. PCRE2's compiler. Only what makes PCRE2
// refuse a pattern matters here; messages use PCRE2 10.42's wording.
import { classBody, classItems, lexRegex } from './regex-lexer.ts';
import type { ClassItem, LexError, Token } from './regex-lexer.ts';
import { jsKnowsProperty, propertyCandidates } from './unicode-names.ts';

export interface EngineError {
  message: string;
  /** Offset in the pattern the engine points at. */
  offset: number;
  length: number;
}

const LEX_MESSAGES: Record<LexError['kind'], string> = {
  'trailing-backslash': '\\ at end of pattern',
  'unclosed-class': 'missing terminating ] for character class',
  'unclosed-brace-escape': 'missing closing brace',
  'bad-group-syntax': 'unrecognized character after (? or (?-',
  'unclosed-counted-repetition': 'missing closing brace',
  'bad-counted-repetition': 'missing closing brace',
};

const KNOWN_ESCAPE_LETTERS = new Set('aAbBcCdDeEfgGhHkKnNopPQrRsStvVwWxXzZ'.split(''));
const UNSUPPORTED_ESCAPES = new Set(['u', 'U', 'l', 'L', 'F']);
const ASSERTIONS = new Set(['b', 'B', 'A', 'z', 'Z', 'G', 'K']);
const POSIX_CLASSES = new Set(['alpha', 'digit', 'alnum', 'space', 'lower', 'upper', 'punct', 'print',
  'graph', 'cntrl', 'xdigit', 'word', 'blank', 'ascii']);
const PCRE_ONLY_PROPERTIES = new Set(['Any', 'L&', 'Xan', 'Xps', 'Xsp', 'Xwd', 'Xuc']);
const FLAG_LETTERS = /^\(\?\^?[imnsxJU]*(?:-[imnsxJU]*)?[:)]$/;

function err(message: string, offset: number, length = 1): EngineError {
  return { message, offset, length };
}

/** PCRE2 (10.40 on) reads property names loosely, as Rust does. */
function knownProperty(rawName: string): boolean {
  const name = rawName.replace(/^\^/, '');
  return PCRE_ONLY_PROPERTIES.has(name) || propertyCandidates(name).some(jsKnowsProperty);
}

interface Walk {
  groups: number;
  names: Set<string>;
  backrefs: { n: number; offset: number }[];
  nameRefs: { name: string; offset: number }[];
}

function escapeError(tok: Token, walk: Walk): EngineError | null {
  const c = tok.text[1] ?? '';
  if (/[1-9]/.test(c)) {
    walk.backrefs.push({ n: Number(tok.text.slice(1)), offset: tok.start + 1 });
    return null;
  }
  if (c === 'N' && tok.text[2] === '{') return err('PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u', tok.start + 2);
  if (UNSUPPORTED_ESCAPES.has(c)) return err('PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u', tok.start + 2);
  if (/[A-Za-z]/.test(c) && !KNOWN_ESCAPE_LETTERS.has(c)) return err('unrecognized character follows \\', tok.start + 2);
  if (c === 'p' || c === 'P') {
    const name = tok.text.startsWith(`\\${c}{`) ? tok.text.slice(3, -1) : tok.text.slice(2);
    if (!knownProperty(name)) return err('unknown property name after \\P or \\p', tok.end);
  }
  if (c === 'k' || c === 'g') {
    const name = tok.text.slice(3, -1);
    if (/^\d+$/.test(name)) walk.backrefs.push({ n: Number(name), offset: tok.start + 3 });
    else walk.nameRefs.push({ name, offset: tok.start + 3 });
  }
  return null;
}

function classItemError(item: ClassItem): EngineError | null {
  if (item.kind === 'posix' && !POSIX_CLASSES.has(item.name)) return err('unknown POSIX class name', item.start);
  if (item.kind === 'escape') {
    const c = item.text[1] ?? '';
    if (UNSUPPORTED_ESCAPES.has(c)) return err('PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u', item.start + 2);
    if (/[A-Za-z]/.test(c) && !KNOWN_ESCAPE_LETTERS.has(c)) return err('unrecognized character follows \\', item.start + 2);
  }
  if (item.kind !== 'range') return null;
  const { from, to } = item;
  if (from.kind !== 'char' || to.kind !== 'char') {
    // A literal escape like \b (backspace) may bound a range; a set cannot.
    if (from.kind === 'set' || to.kind === 'set' || to.kind === 'posix') return err('invalid range in character class', to.end);
    return null;
  }
  return from.cp > to.cp ? err('range out of order in character class', to.end) : null;
}

function classError(tok: Token): EngineError | null {
  const { negated, body } = classBody(tok.text);
  if (/^\[:\^?[A-Za-z]+:\]$/.test(tok.text)) return err('POSIX named classes are supported only within a class', tok.start);
  for (const item of classItems(body, 'pcre', tok.start + (negated ? 2 : 1))) {
    const e = classItemError(item);
    if (e) return e;
  }
  return null;
}

function quantifierError(tok: Token): EngineError | null {
  const m = /^\{(\d+)(?:,(\d*))?\}/.exec(tok.text);
  if (!m) return null;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[2] === '' ? Infinity : Number(m[2]);
  if (min > 65535 || (max !== Infinity && max > 65535)) return err('number too big in {} quantifier', tok.end - 1);
  return min > max ? err('numbers out of order in {} quantifier', tok.end - 1) : null;
}

function openError(tok: Token, walk: Walk): EngineError | null {
  const named = /^\(\?(?:P?<([^>]*)>|'([^']*)')$/.exec(tok.text);
  if (named) {
    const name = named[1] ?? named[2] ?? '';
    if (/^\d/.test(name)) return err('subpattern name must start with a non-digit', tok.start + 3);
    if (!/^\w+$/.test(name)) return err('syntax error in subpattern name (missing terminator?)', tok.start + 3);
    if (walk.names.has(name)) return err('two named subpatterns have the same name (PCRE2_DUPNAMES not set)', tok.end - 1);
    walk.names.add(name);
    walk.groups++;
    return null;
  }
  if (tok.text === '(') walk.groups++;
  else if (/^\(\?[A-Za-z^-]*:$/.test(tok.text) && !FLAG_LETTERS.test(tok.text)) {
    return err('unrecognized character after (? or (?-', tok.start + 2);
  }
  return null;
}

interface Step { error: EngineError | null; repeatable: boolean }

function step(tok: Token, walk: Walk, stack: number[], repeatable: boolean): Step {
  switch (tok.kind) {
    case 'literal': case 'dot': return { error: null, repeatable: true };
    case 'class': return { error: classError(tok), repeatable: true };
    case 'escape': return { error: escapeError(tok, walk), repeatable: !ASSERTIONS.has(tok.text[1] ?? '') };
    case 'anchor': case 'alt': return { error: null, repeatable: false };
    case 'open': stack.push(tok.start); return { error: openError(tok, walk), repeatable: false };
    case 'flags':
      return { error: FLAG_LETTERS.test(tok.text) ? null : err('unrecognized character after (? or (?-', tok.start + 2), repeatable: false };
    case 'special': {
      const ref = /^\(\?P=(.*)\)$/.exec(tok.text);
      if (ref) walk.nameRefs.push({ name: ref[1] ?? '', offset: tok.start + 4 });
      return { error: null, repeatable: tok.text.startsWith('(?#') ? repeatable : true };
    }
    case 'close':
      if (stack.pop() === undefined) return { error: err('unmatched closing parenthesis', tok.start), repeatable: false };
      return { error: null, repeatable: true };
    case 'quantifier':
      if (!repeatable) return { error: err('quantifier does not follow a repeatable item', tok.start), repeatable: false };
      return { error: quantifierError(tok), repeatable: false };
  }
}

function referenceError(walk: Walk): EngineError | null {
  const badNumber = walk.backrefs.find((r) => r.n > walk.groups);
  if (badNumber) return err('reference to non-existent subpattern', badNumber.offset);
  const badName = walk.nameRefs.find((r) => !walk.names.has(r.name));
  return badName ? err('reference to non-existent subpattern', badName.offset) : null;
}

/** Why PCRE2 refuses the pattern, or null when it compiles. */
export function pcreError(pattern: string): EngineError | null {
  const lexed = lexRegex(pattern, 'pcre');
  if ('error' in lexed) {
    const atEnd = lexed.error.kind === 'trailing-backslash' || lexed.error.kind === 'unclosed-class';
    return err(LEX_MESSAGES[lexed.error.kind], atEnd ? pattern.length : lexed.error.offset);
  }
  const walk: Walk = { groups: 0, names: new Set(), backrefs: [], nameRefs: [] };
  const stack: number[] = [];
  let repeatable = false;
  for (const tok of lexed.tokens) {
    const next = step(tok, walk, stack, repeatable);
    if (next.error) return next.error;
    repeatable = next.repeatable;
  }
  if (stack.length > 0) return err('missing closing parenthesis', pattern.length);
  return referenceError(walk);
}

/** lua-nginx-module's wording: `pcre2_compile() failed: <why> in "<re>" at "<rest>"`. */
export function formatPcreError(pattern: string, error: EngineError): string {
  const at = error.offset < pattern.length ? ` at "${pattern.slice(error.offset)}"` : '';
  return `pcre2_compile() failed: ${error.message} in "${pattern}"${at}`;
}
