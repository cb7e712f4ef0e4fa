// Lua patterns, as Kong's schemas write `match` validators, turned into
// JavaScript regular expressions. Covers what plugin schemas use: character
// classes (%a %d %l %p %s %u %w %x), escapes (%. %* %%), sets, anchors and
// the quantifiers * + ? and - (lazy).

const CLASSES: Record<string, string> = {
  a: 'A-Za-z', c: '\\x00-\\x1f\\x7f', d: '0-9', l: 'a-z', s: '\\s', u: 'A-Z', w: 'A-Za-z0-9', x: '0-9A-Fa-f',
  p: '!-/:-@\\[-`{-~',
};

const JS_ONLY_SPECIALS = new Set(['{', '}', '|', '/', '\\']);

function escapeForSet(char: string): string {
  return char === '\\' || char === ']' || char === '[' || char === '^' || char === '-' ? `\\${char}` : char;
}

function classOrLiteral(next: string, inSet: boolean): string {
  const cls = CLASSES[next];
  if (cls !== undefined) return inSet ? cls : `[${cls}]`;
  return inSet ? escapeForSet(next) : `\\${next}`;
}

const QUANTIFIERS = new Set(['*', '+', '?', '-']);

/** Outside a set: a quantifier only right after an item (Lua's `-` is the lazy `*?`). */
function outsideSet(char: string, afterItem: boolean): { text: string; item: boolean } {
  if (QUANTIFIERS.has(char) && afterItem) return { text: char === '-' ? '*?' : char, item: false };
  if (QUANTIFIERS.has(char) || JS_ONLY_SPECIALS.has(char)) return { text: `\\${char}`, item: true };
  return { text: char, item: char !== '^' && char !== '$' };
}

export function luaPatternToRegExp(pattern: string): RegExp {
  let out = '';
  let inSet = false;
  let afterItem = false;
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i] ?? '';
    if (char === '%' && i + 1 < pattern.length) {
      i += 1;
      out += classOrLiteral(pattern[i] ?? '', inSet);
      afterItem = !inSet;
    } else if (inSet) {
      out += char === ']' ? ']' : char === '\\' ? '\\\\' : char;
      inSet = char !== ']';
      afterItem = !inSet;
    } else if (char === '[') {
      inSet = true;
      out += char;
      if (pattern[i + 1] === '^') { out += '^'; i += 1; }
    } else {
      const next = outsideSet(char, afterItem);
      out += next.text;
      afterItem = next.item;
    }
  }
  return new RegExp(out);
}

const compiled = new Map<string, RegExp>();

/** A pattern this translation cannot read (a custom plugin's) passes: Kong still checks it. */
function compileOrMatchAll(pattern: string): RegExp {
  try {
    return luaPatternToRegExp(pattern);
  } catch {
    return /(?:)/;
  }
}

/** Compiled once per pattern: schemas repeat the same few. Never throws. */
export function luaMatch(pattern: string, value: string): boolean {
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = compileOrMatchAll(pattern);
    compiled.set(pattern, re);
  }
  return re.test(value);
}
