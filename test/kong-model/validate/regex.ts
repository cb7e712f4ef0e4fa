// Regex checks standing in for the engines Kong uses: PCRE2 (typedef dry-run
// of route paths) and Rust's `regex` crate (the ATC router). Both are
// approximated with JavaScript's RegExp; the constructs the engines disagree
// on (look-around, backreferences) are decided explicitly.
import { LRUCache } from 'lru-cache';

/** Rust-only or PCRE-only syntax translated to its JavaScript spelling. */
function toJsSource(pattern: string): { source: string; flags: string } {
  let source = pattern.replaceAll('(?P<', '(?<');
  let flags = 'u';
  const inline = /^\(\?([ims]+)\)/.exec(source);
  if (inline?.[1]) {
    flags += inline[1];
    source = source.slice(inline[0].length);
  }
  return { source, flags };
}

const jsCache = new LRUCache<string, string | true>({ max: 2000 });

/** Compiles with JavaScript's RegExp; returns the engine's message on failure. */
export function jsCompileError(pattern: string): string | null {
  const cached = jsCache.get(pattern);
  if (cached !== undefined) return cached === true ? null : cached;
  let result: string | true = true;
  try {
    const { source, flags } = toJsSource(pattern);
    new RegExp(source, flags);
  } catch (e) {
    result = e instanceof Error ? e.message : String(e);
  }
  jsCache.set(pattern, result);
  return result === true ? null : result;
}

const PCRE_MESSAGES: readonly [RegExp, string][] = [
  [/Unterminated group/i, 'missing closing parenthesis'],
  [/Unmatched '\)'/i, 'unmatched closing parenthesis'],
  [/Nothing to repeat/i, 'quantifier does not follow a repeatable item'],
  [/Unterminated character class/i, 'missing terminating ] for character class'],
  [/\\ at end of pattern/i, '\\ at end of pattern'],
  [/numbers out of order/i, 'numbers out of order in {} quantifier'],
  [/range out of order/i, 'range out of order in character class'],
];

/**
 * What `ngx.re.find("", re, "aj")` reports for a bad pattern, e.g.
 * `pcre2_compile() failed: missing closing parenthesis in "/users/(foo"`.
 * Null when PCRE would accept the pattern (look-around and backreferences are fine).
 */
export function pcreCompileError(pattern: string): string | null {
  const err = jsCompileError(pattern);
  if (err === null) return null;
  const mapped = PCRE_MESSAGES.find(([re]) => re.test(err))?.[1];
  // JavaScript rejects a few things PCRE allows (e.g. `\-` outside a class in
  // unicode mode); retry without the unicode flag before reporting.
  if (!mapped) {
    try {
      new RegExp(toJsSource(pattern).source);
      return null;
    } catch {
      // fall through
    }
  }
  return `pcre2_compile() failed: ${mapped ?? err} in "${pattern}"`;
}

export interface RustRegexError {
  /** Offset of the offending construct in the pattern. */
  offset: number;
  length: number;
  message: string;
}

const LOOK_AROUND = /\(\?(?:=|!|<=|<!|P<=|P<!)/;
const BACKREFERENCE = /\\[1-9]/;

/** Rust regex (as used by the ATC router): no look-around, no backreferences. */
export function rustRegexError(pattern: string): RustRegexError | null {
  const look = LOOK_AROUND.exec(pattern);
  if (look) {
    return { offset: look.index, length: look[0].length,
      message: 'look-around, including look-ahead and look-behind, is not supported' };
  }
  const back = BACKREFERENCE.exec(pattern);
  if (back && !isEscaped(pattern, back.index)) {
    return { offset: back.index, length: 2, message: 'backreferences are not supported' };
  }
  const err = jsCompileError(pattern);
  return err === null ? null : { offset: 0, length: pattern.length, message: err };
}

function isEscaped(pattern: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && pattern[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** regex-syntax's Display for a single-line pattern. */
export function formatRustRegexError(pattern: string, err: RustRegexError): string {
  const carets = '^'.repeat(Math.max(1, err.length));
  return `regex parse error:\n    ${pattern}\n    ${' '.repeat(err.offset)}${carets}\nerror: ${err.message}`;
}

const rustCache = new LRUCache<string, RegExp>({ max: 2000 });

/** Compiles a pattern the ATC router would accept; throws with the Rust-style message otherwise. */
export function compileRustRegex(pattern: string): RegExp {
  const cached = rustCache.get(pattern);
  if (cached) return cached;
  const err = rustRegexError(pattern);
  if (err) throw new Error(formatRustRegexError(pattern, err));
  const { source, flags } = toJsSource(pattern);
  const re = new RegExp(source, flags);
  rustCache.set(pattern, re);
  return re;
}

/** A PCRE pattern as the traditional router runs it (`anchored`: sticky at 0); null if invalid. */
export function compilePcre(pattern: string, anchored: boolean): RegExp | null {
  if (pcreCompileError(pattern) !== null) return null;
  const { source, flags } = toJsSource(pattern);
  const sticky = anchored ? 'y' : '';
  try {
    return new RegExp(source, flags + sticky);
  } catch {
    return new RegExp(source, flags.replace('u', '') + sticky);
  }
}
