// Rust's `regex` crate, as Kong's ATC router compiles a path regex, checked
// and run through RE2 (re2js): the two share syntax and linear-time
// semantics. This file refuses what Rust refuses but RE2 takes (`a{`, `\Q`,
// `\0`), accepts Rust spellings RE2 lacks (`(?x)`, `\u00e9`, `\p{Letter}`,
// `a++`), and rewrites `\d \w \s` to Rust's Unicode meaning (RE2's are ASCII).
// Not run exactly (named in `unsupported`, still valid): class set operations
// (`&&` `--` `~~`), negated nested classes, Unicode properties RE2 lacks,
// repetition counts above 1000, `\<` `\>` `\b{..}`. Approximated: `\b` `\B` are
// ASCII word boundaries, `\W` `\S` inside a class keep their ASCII meaning.
import { RE2JS } from 're2js';
import { classBody, classItems, escapeCodePoint, lexRegex } from './regex-lexer.ts';
import { jsKnowsProperty, propertyCandidates } from './unicode-names.ts';
import type { ClassItem, LexError, Token } from './regex-lexer.ts';
import type { EngineError } from './pcre.ts';

/** RE2 source with Rust semantics; `unsupported` names what RE2 cannot evaluate. */
export interface Translation {
  source: string;
  unsupported?: string;
}

interface Flags { i: boolean; m: boolean; s: boolean; U: boolean; u: boolean; x: boolean; R: boolean }

const DEFAULT_FLAGS: Flags = { i: false, m: false, s: false, U: false, u: true, x: false, R: false };

// Rust's Unicode \w: Alphabetic, marks, decimal digits, connector punctuation, joiners.
const WORD = '\\p{L}\\p{M}\\p{Nd}\\p{Pc}\\p{Nl}\\x{200C}\\x{200D}';
const SPACE = '\\t\\n\\x{0B}\\f\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}';
const POSIX_CLASSES = new Set(['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print',
  'punct', 'space', 'upper', 'word', 'xdigit']);
const ASSERTION_LETTERS = new Set(['b', 'B', 'A', 'z', '<', '>']);
const SET_LETTERS = new Set(['d', 'D', 's', 'S', 'w', 'W', 'p', 'P']);


class RustError extends Error {
  constructor(readonly error: EngineError) { super(error.message); }
}

function fail(message: string, offset: number, length: number): never {
  throw new RustError({ message, offset, length });
}

const LEX_MESSAGES: Record<LexError['kind'], string> = {
  'trailing-backslash': 'incomplete escape sequence, reached end of pattern prematurely',
  'unclosed-class': 'unclosed character class',
  'unclosed-brace-escape': 'found a left brace without a matching right brace',
  'bad-group-syntax': 'unrecognized flag',
  'unclosed-counted-repetition': 'unclosed counted repetition',
  'bad-counted-repetition': 'repetition quantifier expects a valid decimal',
};

function re2Knows(source: string): boolean {
  try {
    RE2JS.compile(source);
    return true;
  } catch {
    return false;
  }
}

/**
 * `\p{Letter}`, `\p{sc=Greek}`, `\p{greek}` → the name RE2 spells (`L`, `Greek`).
 * A binary property Rust knows but RE2 lacks (`\p{Alphabetic}`) is valid; it is
 * reported through `unsupported` because RE2 cannot run it.
 */
function unicodeClass(tok: { text: string; start: number; end: number }, unsupported: (what: string) => void): string {
  const negated = tok.text[1] === 'P';
  const braced = tok.text[2] === '{';
  let name = braced ? tok.text.slice(3, -1) : tok.text.slice(2);
  let negate = negated;
  if (name.startsWith('^')) { negate = !negate; name = name.slice(1); }
  const candidates = propertyCandidates(name);
  const found = candidates.find((c) => re2Knows(`\\p{${c}}`));
  if (found) return `\\${negate ? 'P' : 'p'}{${found}}`;
  if (!candidates.some(jsKnowsProperty)) fail('Unicode property not found', tok.start, tok.end - tok.start);
  unsupported(`Unicode property ${tok.text}`);
  return '\\p{Any}';
}

/** A class member spelled for RE2, whatever it was in Rust. */
function literalChar(cp: number): string {
  const c = String.fromCodePoint(cp);
  return /[A-Za-z0-9]/.test(c) || cp > 0x7f ? c : `\\x{${cp.toString(16)}}`;
}

function checkScalar(cp: number, start: number, end: number): void {
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    fail('hexadecimal literal is not a Unicode scalar value', start, end - start);
  }
}

/** Validates one escape token; returns the code point for literal escapes, null for sets and assertions. */
function checkEscape(tok: { text: string; start: number; end: number }, inClass: boolean): number | null {
  const c = tok.text[1] ?? '';
  const len = tok.end - tok.start;
  if (/[0-9]/.test(c)) fail('backreferences are not supported', tok.start, len);
  if ((tok.text.codePointAt(1) ?? 0) > 0x7f) fail('unrecognized escape sequence', tok.start, len);
  const assertion = ASSERTION_LETTERS.has(c) || tok.text.startsWith('\\b{');
  if (assertion) {
    if (inClass) fail('invalid escape sequence found in character class', tok.start, len);
    return null;
  }
  if (/^\\[xuU]/.test(tok.text)) {
    const cp = escapeCodePoint(tok.text, 'rust');
    if (cp === null) fail(tok.text.length <= 2 ? 'hexadecimal literal empty' : 'invalid hexadecimal digit', tok.start, len);
    checkScalar(cp, tok.start, tok.end);
    return cp;
  }
  const cp = escapeCodePoint(tok.text, 'rust');
  if (cp !== null) return cp;
  if (SET_LETTERS.has(c)) return null;
  return fail('unrecognized escape sequence', tok.start, len);
}

function setEscape(text: string, flags: Flags, inClass: boolean): string {
  const c = text[1] ?? '';
  if (c === 'p' || c === 'P') return text;
  if (!flags.u) return text;
  switch (c) {
    case 'd': return '\\p{Nd}';
    case 'D': return '\\P{Nd}';
    case 'w': return inClass ? WORD : `[${WORD}]`;
    case 's': return inClass ? SPACE : `[${SPACE}]`;
    // Negated sets inside a class would need class subtraction, which RE2 lacks.
    case 'W': return inClass ? '\\W' : `[^${WORD}]`;
    case 'S': return inClass ? '\\S' : `[^${SPACE}]`;
    default: return text;
  }
}

interface ClassOut { body: string; unsupported?: string }

function classMember(item: ClassItem, flags: Flags, out: ClassOut): string {
  switch (item.kind) {
    case 'char': return literalChar(item.cp);
    case 'set':
      if (item.text[1] !== 'p' && item.text[1] !== 'P') return setEscape(item.text, flags, true);
      return unicodeClass(item, (what) => { out.unsupported ??= what; });
    case 'escape': {
      const cp = checkEscape(item, true);
      return cp === null ? '' : literalChar(cp);
    }
    case 'posix':
      if (!POSIX_CLASSES.has(item.name)) fail('invalid ASCII character class', item.start, item.end - item.start);
      return `[:${item.negated ? '^' : ''}${item.name}:]`;
    case 'range': return classRange(item);
    case 'nested': {
      const { negated, body } = classBody(item.text);
      const inner = translateClassBody(body, item.start + (negated ? 2 : 1), flags);
      if (negated) out.unsupported ??= `negated nested class ${item.text}`;
      out.unsupported ??= inner.unsupported;
      return inner.body;
    }
    case 'operator':
      out.unsupported ??= `class set operation '${item.text}'`;
      return '';
  }
}

function boundCodePoint(item: ClassItem): number {
  if (item.kind === 'char') return item.cp;
  if (item.kind === 'escape') {
    const cp = checkEscape(item, true);
    if (cp !== null) return cp;
  }
  return fail('invalid range boundary, must be a literal', item.start, item.end - item.start);
}

function classRange(item: Extract<ClassItem, { kind: 'range' }>): string {
  const from = boundCodePoint(item.from);
  const to = boundCodePoint(item.to);
  if (from > to) fail('invalid character class range, the start must be <= the end', item.start, item.end - item.start);
  return `${literalChar(from)}-${literalChar(to)}`;
}

function translateClassBody(body: string, base: number, flags: Flags): ClassOut {
  const out: ClassOut = { body: '' };
  for (const item of classItems(body, 'rust', base)) {
    if (flags.x && item.kind === 'char' && /\s/u.test(String.fromCodePoint(item.cp))) continue;
    out.body += classMember(item, flags, out);
  }
  return out;
}

function parseFlags(tok: Token, current: Flags): Flags {
  const letters = tok.text.slice(2, -1);
  const next = { ...current };
  const seen = new Set<string>();
  let negate = false;
  if (letters === '') fail('expected flag but got end of regex', tok.start, tok.end - tok.start);
  for (const [i, ch] of [...letters].entries()) {
    const at = tok.start + 2 + i;
    if (ch === '-') {
      if (negate) fail('flag negation operator cannot be repeated', at, 1);
      negate = true;
      if (i === letters.length - 1) fail('flag negation operator is dangling', at, 1);
      continue;
    }
    if (!(ch in DEFAULT_FLAGS)) fail('unrecognized flag', at, 1);
    if (seen.has(ch)) fail('duplicate flag', at, 1);
    seen.add(ch);
    next[ch as keyof Flags] = !negate;
  }
  return next;
}

/** RE2 spelling of Rust flags: i, m, s and U exist in both; x, u and R are handled here. */
function re2Flags(before: Flags, after: Flags): string {
  const on = (['i', 'm', 's', 'U'] as const).filter((f) => after[f] && !before[f]).join('');
  const off = (['i', 'm', 's', 'U'] as const).filter((f) => !after[f] && before[f]).join('');
  return on + (off ? `-${off}` : '');
}

const MAX_RE2_COUNT = 1000;
const GROUP_NAME = /^[_\p{Alphabetic}][_\p{Alphabetic}\p{Nd}.[\]]*$/u;

class Translator {
  readonly out: string[] = [];
  readonly scopes: { flags: Flags; outStart: number; start: number }[] = [];
  readonly names = new Set<string>();
  flags: Flags = { ...DEFAULT_FLAGS };
  /** Where the last repeatable item starts in `out`; null when a quantifier would have nothing to repeat. */
  lastAtom: number | null = null;
  lastWasQuantifier = false;
  inComment = false;
  unsupported: string | undefined;

  constructor(readonly pattern: string) {}

  atom(text: string): void {
    this.lastAtom = this.out.length;
    this.lastWasQuantifier = false;
    this.out.push(text);
  }

  token(tok: Token): void {
    if (this.inComment) {
      if (tok.kind === 'literal' && tok.text === '\n') this.inComment = false;
      return;
    }
    switch (tok.kind) {
      case 'literal': return this.literal(tok);
      case 'dot': return this.atom('.');
      case 'anchor': return this.atom(tok.text);
      case 'alt': this.out.push('|'); this.lastAtom = null; return;
      case 'escape': return this.escape(tok);
      case 'class': return this.characterClass(tok);
      case 'open': return this.open(tok);
      case 'flags': return this.setFlags(tok);
      case 'special': return fail('unrecognized flag', tok.start + 2, 1);
      case 'close': return this.close(tok);
      case 'quantifier': return this.quantifier(tok);
    }
  }

  literal(tok: Token): void {
    if (this.flags.x && /\s/u.test(tok.text)) return;
    if (this.flags.x && tok.text === '#') { this.inComment = true; return; }
    this.atom(/[A-Za-z0-9]/.test(tok.text) || (tok.text.codePointAt(0) ?? 0) > 0x7f ? tok.text : `\\${tok.text}`);
  }

  escape(tok: Token): void {
    const cp = checkEscape(tok, false);
    if (cp !== null) return this.atom(literalChar(cp));
    const c = tok.text[1] ?? '';
    if (c === 'p' || c === 'P') return this.atom(unicodeClass(tok, (what) => { this.unsupported ??= what; }));
    if (c === '<' || c === '>' || tok.text.startsWith('\\b{')) {
      this.unsupported ??= `word-boundary assertion ${tok.text}`;
      return this.atom('\\b');
    }
    this.atom(SET_LETTERS.has(c) ? setEscape(tok.text, this.flags, false) : tok.text);
  }

  characterClass(tok: Token): void {
    const { negated, body } = classBody(tok.text);
    const inner = translateClassBody(body, tok.start + (negated ? 2 : 1), this.flags);
    this.unsupported ??= inner.unsupported;
    this.atom(`[${negated ? '^' : ''}${inner.body}]`);
  }

  open(tok: Token): void {
    const text = tok.text;
    if (/^\(\?(?:=|!|<=|<!)/.test(text)) {
      fail('look-around, including look-ahead and look-behind, is not supported', tok.start, tok.end - tok.start);
    }
    let re2 = '(';
    const before = this.flags;
    const named = /^\(\?P?<(.*)>$/.exec(text);
    if (named) re2 = this.groupName(named[1] ?? '', tok);
    else if (text === '(?:') re2 = '(?:';
    else if (/^\(\?[A-Za-z-]*:$/.test(text)) {
      this.flags = parseFlags({ ...tok, text: `${text.slice(0, -1)})` }, before);
      const f = re2Flags(before, this.flags);
      re2 = f ? `(?${f}:` : '(?:';
    } else if (text !== '(') fail('unrecognized flag', tok.start + 2, 1);
    this.scopes.push({ flags: before, outStart: this.out.length, start: tok.start });
    this.out.push(re2);
    this.lastAtom = null;
  }

  groupName(name: string, tok: Token): string {
    if (name === '') fail('empty capture group name', tok.start, tok.end - tok.start);
    if (!GROUP_NAME.test(name)) fail('invalid capture group character', tok.start, tok.end - tok.start);
    if (this.names.has(name)) fail('duplicate capture group name', tok.start, tok.end - tok.start);
    this.names.add(name);
    // RE2 allows only word characters in names; the name itself never matters for matching.
    return `(?P<g${this.names.size}_${name.replace(/\W/g, '_')}>`;
  }

  setFlags(tok: Token): void {
    const before = this.flags;
    this.flags = parseFlags(tok, before);
    const f = re2Flags(before, this.flags);
    if (f) this.out.push(`(?${f})`);
    this.lastAtom = null;
    this.lastWasQuantifier = false;
  }

  close(tok: Token): void {
    const scope = this.scopes.pop();
    if (!scope) fail('unopened group', tok.start, 1);
    this.flags = scope.flags;
    this.out.push(')');
    this.lastAtom = scope.outStart;
    this.lastWasQuantifier = false;
  }

  quantifier(tok: Token): void {
    if (this.lastAtom === null) fail('repetition operator missing expression', tok.start, tok.end - tok.start);
    const range = /^\{(\d+)(?:,(\d*))?\}/.exec(tok.text);
    if (range && range[2] !== undefined && range[2] !== '' && Number(range[1]) > Number(range[2])) {
      fail('invalid repetition count range, the start must be <= the end', tok.start, tok.end - tok.start);
    }
    if (this.lastWasQuantifier) {
      // Rust repeats a repetition (`a++` is `(?:a+)+`); RE2 needs the group spelled out.
      this.out.splice(this.lastAtom, 0, '(?:');
      this.out.push(')');
    }
    this.out.push(this.re2Count(tok.text));
    this.lastWasQuantifier = true;
  }

  /** RE2 refuses counts above 1000, which Rust takes: checked at 1000, not run exactly. */
  re2Count(text: string): string {
    if (!/\d{4,}/.test(text) || !text.match(/\d+/g)?.some((n) => Number(n) > MAX_RE2_COUNT)) return text;
    this.unsupported ??= `repetition count above ${MAX_RE2_COUNT} in ${text}`;
    return text.replace(/\d+/g, (n) => String(Math.min(Number(n), MAX_RE2_COUNT)));
  }

  finish(): Translation {
    const open = this.scopes.at(-1);
    if (open) fail('unclosed group', open.start, 1);
    const source = this.out.join('');
    try {
      RE2JS.compile(source);
    } catch (e) {
      const message = e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e);
      fail(message, 0, this.pattern.length);
    }
    return this.unsupported ? { source, unsupported: this.unsupported } : { source };
  }
}

/** Translates a Rust regex to RE2; throws RustError when Rust's parser refuses it. */
function translate(pattern: string): Translation {
  const lexed = lexRegex(pattern, 'rust');
  if ('error' in lexed) {
    const { kind, offset } = lexed.error;
    fail(LEX_MESSAGES[kind], offset, 1);
  }
  const t = new Translator(pattern);
  for (const tok of lexed.tokens) t.token(tok);
  return t.finish();
}

export type RustResult = { ok: true; translation: Translation } | { ok: false; error: EngineError };

/** Rust's verdict on a pattern, with the RE2 source to run when it compiles. */
export function rustRegex(pattern: string): RustResult {
  try {
    return { ok: true, translation: translate(pattern) };
  } catch (e) {
    if (!(e instanceof RustError)) throw e;
    return { ok: false, error: e.error };
  }
}
