// One tokenizer for the two regex dialects Kong runs a route regex through:
// PCRE2 (the schema's check) and Rust's `regex` crate (the ATC router). They
// share most syntax; where they differ the dialect decides (Rust nests `[...]`
// inside classes and always reads `{` as a repetition; PCRE reads a `{` that
// is not a valid quantifier as a literal and knows `\Q...\E`, possessive `+`).

export type Dialect = 'pcre' | 'rust';

export type TokenKind =
  | 'literal' // one character (code point) that is not a metacharacter
  | 'dot' // .
  | 'anchor' // ^ or $
  | 'alt' // |
  | 'escape' // \d, \x{41}, \p{L}, \Q...\E, \1 ...
  | 'class' // [...]
  | 'open' // ( (?: (?i: (?P<n> (?<n> (?= (?! (?<= (?<! (?> (?|
  | 'flags' // (?i) (?-s)
  | 'special' // (?#...) (?P=n) (?R) (?1): PCRE-only constructs that are not groups
  | 'close' // )
  | 'quantifier'; // * + ? {n} {n,} {n,m}, with a lazy `?` (and PCRE's possessive `+`)

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

export type LexErrorKind =
  | 'trailing-backslash'
  | 'unclosed-class'
  | 'unclosed-brace-escape'
  | 'bad-group-syntax'
  | 'unclosed-counted-repetition'
  | 'bad-counted-repetition';

export interface LexError {
  kind: LexErrorKind;
  /** Where the offending construct starts. */
  offset: number;
}

export type LexResult = { tokens: Token[] } | { error: LexError };

const QUANTIFIER = /^\{(\d+)(,(\d*))?\}/;
const HEX = /^[0-9A-Fa-f]/;

class Lexer {
  pos = 0;
  readonly tokens: Token[] = [];

  constructor(readonly src: string, readonly dialect: Dialect) {}

  private char(at = this.pos): string {
    const cp = this.src.codePointAt(at);
    return cp === undefined ? '' : String.fromCodePoint(cp);
  }

  private push(kind: TokenKind, start: number): void {
    this.tokens.push({ kind, text: this.src.slice(start, this.pos), start, end: this.pos });
  }

  run(): LexResult {
    while (this.pos < this.src.length) {
      const error = this.next();
      if (error) return { error };
    }
    return { tokens: this.tokens };
  }

  private next(): LexError | null {
    const start = this.pos;
    const c = this.char();
    switch (c) {
      case '\\': return this.escape();
      case '[': return this.characterClass();
      case '(': return this.group();
      case ')': this.pos++; this.push('close', start); return null;
      case '|': this.pos++; this.push('alt', start); return null;
      case '.': this.pos++; this.push('dot', start); return null;
      case '^': case '$': this.pos++; this.push('anchor', start); return null;
      case '*': case '+': case '?': this.pos++; this.quantifierSuffix(); this.push('quantifier', start); return null;
      case '{': return this.brace();
      default: this.pos += c.length; this.push('literal', start); return null;
    }
  }

  private quantifierSuffix(): void {
    const next = this.src[this.pos];
    if (next === '?' || (next === '+' && this.dialect === 'pcre')) this.pos++;
  }

  private brace(): LexError | null {
    const start = this.pos;
    const m = QUANTIFIER.exec(this.src.slice(start));
    if (m) {
      this.pos += m[0].length;
      this.quantifierSuffix();
      this.push('quantifier', start);
      return null;
    }
    if (this.dialect === 'pcre') {
      this.pos++;
      this.push('literal', start);
      return null;
    }
    const close = this.src.indexOf('}', start);
    return { kind: close < 0 ? 'unclosed-counted-repetition' : 'bad-counted-repetition', offset: start };
  }

  /** Reads `{...}` right after the escape letter; false when unterminated. */
  private braced(): boolean {
    const close = this.src.indexOf('}', this.pos);
    if (close < 0) return false;
    this.pos = close + 1;
    return true;
  }

  private escape(): LexError | null {
    const start = this.pos;
    this.pos++;
    const c = this.char();
    if (c === '') return { kind: 'trailing-backslash', offset: start };
    this.pos += c.length;
    const error = this.dialect === 'pcre' ? this.pcreEscapeTail(c) : this.rustEscapeTail(c);
    if (error) return { kind: error, offset: start };
    this.push('escape', start);
    return null;
  }

  /** `\p{..}` `\pL` `\x{..}` `\xHH` (and Rust's `\u{..}` `\uHHHH` `\UHHHHHHHH`). */
  private propertyOrHex(c: string): LexErrorKind | null {
    if (this.src[this.pos] === '{') return this.braced() ? null : 'unclosed-brace-escape';
    if (c === 'p' || c === 'P') {
      if (this.pos < this.src.length) this.pos += this.char().length;
      return null;
    }
    const width = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
    for (let n = 0; n < width && HEX.test(this.src[this.pos] ?? ''); n++) this.pos++;
    return null;
  }

  private rustEscapeTail(c: string): LexErrorKind | null {
    if (c === 'b' && /^\{[a-z-]+\}/.test(this.src.slice(this.pos))) {
      this.braced(); // \b{start}, \b{end}, ...
      return null;
    }
    return 'pPxuU'.includes(c) ? this.propertyOrHex(c) : null;
  }

  private pcreEscapeTail(c: string): LexErrorKind | null {
    const next = this.src[this.pos];
    if (c === 'Q') {
      const end = this.src.indexOf('\\E', this.pos);
      this.pos = end < 0 ? this.src.length : end + 2;
    } else if ('pPxN'.includes(c)) {
      return c === 'N' && next !== '{' ? null : this.propertyOrHex(c);
    } else if ((c === 'k' || c === 'g') && next !== undefined && '<{\''.includes(next)) {
      const close = { '<': '>', '{': '}', '\'': '\'' }[next] ?? '>';
      const end = this.src.indexOf(close, this.pos + 1);
      if (end < 0) return 'unclosed-brace-escape';
      this.pos = end + 1;
    } else if (c === 'c') {
      if (this.pos < this.src.length) this.pos += this.char().length;
    } else if (/[0-9]/.test(c)) {
      while (/[0-9]/.test(this.src[this.pos] ?? '')) this.pos++;
    }
    return null;
  }

  private characterClass(): LexError | null {
    const start = this.pos;
    this.pos++;
    let depth = 1;
    let first = true;
    while (depth > 0) {
      if (this.pos >= this.src.length) return { kind: 'unclosed-class', offset: start };
      if (first && this.src[this.pos] === '^') this.pos++;
      // A `]` first in a class is a literal in both dialects.
      if (first && this.src[this.pos] === ']') {
        this.pos++;
        first = false;
        continue;
      }
      first = false;
      const c = this.src[this.pos];
      const posix = /^\[:\^?[A-Za-z]+:\]/.exec(this.src.slice(this.pos));
      if (c === '\\') {
        const saved = this.tokens.length;
        const err = this.escape();
        this.tokens.length = saved;
        if (err) return err.kind === 'trailing-backslash' ? { kind: 'unclosed-class', offset: start } : err;
      } else if (posix) {
        this.pos += posix[0].length;
      } else if (c === '[' && this.dialect === 'rust') {
        this.pos++;
        depth++;
        first = true;
      } else if (c === ']') {
        this.pos++;
        depth--;
      } else {
        this.pos += this.char().length;
      }
    }
    this.push('class', start);
    return null;
  }

  private group(): LexError | null {
    const start = this.pos;
    const rest = this.src.slice(start);
    if (!rest.startsWith('(?')) {
      this.pos++;
      this.push('open', start);
      return null;
    }
    const simple = /^\(\?(?::|=|!|<=|<!|>|\|)/.exec(rest)
      ?? /^\(\?P?<[^>=!]*>/.exec(rest)
      ?? /^\(\?'[^']*'/.exec(rest)
      ?? /^\(\?[A-Za-z-]*:/.exec(rest);
    if (simple) {
      this.pos += simple[0].length;
      this.push('open', start);
      return null;
    }
    const flags = /^\(\?[A-Za-z-]*\)/.exec(rest);
    if (flags) {
      this.pos += flags[0].length;
      this.push('flags', start);
      return null;
    }
    const special = /^\(\?(?:#[^)]*|P=[^)]*|P>[^)]*|&[^)]*|[+-]?\d+)\)/.exec(rest);
    if (special) {
      this.pos += special[0].length;
      this.push('special', start);
      return null;
    }
    return { kind: 'bad-group-syntax', offset: start };
  }
}

/** Splits a pattern into tokens of the given dialect, or says where it cannot. */
export function lexRegex(pattern: string, dialect: Dialect): LexResult {
  return new Lexer(pattern, dialect).run();
}

/** The body of a class token: between `[`/`[^` and the final `]`. */
export function classBody(text: string): { negated: boolean; body: string } {
  const negated = text.startsWith('[^');
  return { negated, body: text.slice(negated ? 2 : 1, -1) };
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11, e: 27 };

/**
 * The character a literal escape stands for (`\n`, `\x41`, `\x{e9}`, `\u00e9`, `\-`);
 * null for escapes that are sets or assertions (`\d`, `\p{L}`, `\b`) or not literals.
 */
export function escapeCodePoint(text: string, dialect: Dialect): number | null {
  const c = text[1] ?? '';
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined && (c !== 'e' || dialect === 'pcre')) return simple;
  const hex = /^\\(?:x\{([0-9A-Fa-f]+)\}|x([0-9A-Fa-f]{1,2})|[uU]\{([0-9A-Fa-f]+)\}|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))$/.exec(text);
  if (hex) return parseInt(hex.slice(1).find((g) => g !== undefined) ?? '', 16);
  if (/^\\[^0-9A-Za-z]$/u.test(text)) return text.codePointAt(1) ?? null;
  return null;
}

export type ClassItem =
  | { kind: 'char'; cp: number; start: number; end: number }
  | { kind: 'set'; text: string; start: number; end: number } // \d \w \p{L} ...
  | { kind: 'escape'; text: string; start: number; end: number } // any other escape
  | { kind: 'posix'; name: string; negated: boolean; start: number; end: number }
  | { kind: 'range'; from: ClassItem; to: ClassItem; start: number; end: number }
  | { kind: 'nested'; text: string; start: number; end: number } // Rust: [a[bc]]
  | { kind: 'operator'; text: string; start: number; end: number }; // Rust: && -- ~~

const SET_ESCAPE = /^\\[dDwWsShHvVNRX]$|^\\[pP]/;

function classAtom(body: string, i: number, dialect: Dialect, base: number): ClassItem {
  const rest = body.slice(i);
  const posix = /^\[:(\^?)([A-Za-z]+):\]/.exec(rest);
  if (posix) {
    return { kind: 'posix', name: posix[2] ?? '', negated: posix[1] === '^', start: base + i, end: base + i + posix[0].length };
  }
  if (rest.startsWith('\\')) {
    const lexed = lexRegex(rest, dialect);
    const text = 'tokens' in lexed ? lexed.tokens[0]?.text ?? rest : rest.slice(0, 2);
    const end = base + i + text.length;
    if (SET_ESCAPE.test(text) && !(dialect === 'rust' && /^\\[vNRXhH]$/.test(text))) return { kind: 'set', text, start: base + i, end };
    const cp = escapeCodePoint(text, dialect);
    return cp === null ? { kind: 'escape', text, start: base + i, end } : { kind: 'char', cp, start: base + i, end };
  }
  const cp = body.codePointAt(i) ?? 0;
  return { kind: 'char', cp, start: base + i, end: base + i + String.fromCodePoint(cp).length };
}

function nestedEnd(body: string, i: number): number {
  const lexed = lexRegex(body.slice(i), 'rust');
  const first = 'tokens' in lexed ? lexed.tokens[0] : undefined;
  return first?.kind === 'class' ? i + first.text.length : body.length;
}

/** The items of a class body; `base` is the body's offset in the pattern. */
export function classItems(body: string, dialect: Dialect, base: number): ClassItem[] {
  const items: ClassItem[] = [];
  let i = 0;
  while (i < body.length) {
    const op = dialect === 'rust' ? /^(?:&&|--|~~)/.exec(body.slice(i)) : null;
    if (op) {
      items.push({ kind: 'operator', text: op[0], start: base + i, end: base + i + 2 });
      i += 2;
      continue;
    }
    if (dialect === 'rust' && body[i] === '[' && !/^\[:\^?[A-Za-z]+:\]/.test(body.slice(i))) {
      const end = nestedEnd(body, i);
      items.push({ kind: 'nested', text: body.slice(i, end), start: base + i, end: base + end });
      i = end;
      continue;
    }
    const atom = classAtom(body, i, dialect, base);
    i = atom.end - base;
    const isRange = body[i] === '-' && i + 1 < body.length && body[i + 1] !== ']'
      && !(dialect === 'rust' && body[i + 1] === '-');
    if (isRange && atom.kind !== 'posix') {
      const to = classAtom(body, i + 1, dialect, base);
      items.push({ kind: 'range', from: atom, to, start: atom.start, end: to.end });
      i = to.end - base;
      continue;
    }
    items.push(atom);
  }
  return items;
}
