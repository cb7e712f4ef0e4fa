// Kong's rules for a route regex, as Kong 3.9 applies them: the schema asks
// PCRE2 first (a field error), then the ATC router compiles the regex with
// Rust's `regex` crate (an entity error), and at request time the regex runs
// with Rust semantics against the percent-decoded path.
import { LRUCache } from 'lru-cache';
import { RE2JS } from 're2js';
import { formatPcreError, pcreError } from './pcre.ts';
import type { EngineError } from './pcre.ts';
import { rustRegex } from './rust-regex.ts';

export type { EngineError };

export type RegexVerdict =
  | { ok: true }
  | { ok: false; engine: 'pcre'; error: EngineError; message: string }
  | { ok: false; engine: 'rust'; error: EngineError; message: string };

/** regex-syntax's rendering of a parse error in a single-line pattern. */
export function formatRustRegexError(pattern: string, err: EngineError): string {
  const carets = '^'.repeat(Math.max(1, err.length));
  return `regex parse error:\n    ${pattern}\n    ${' '.repeat(err.offset)}${carets}\nerror: ${err.message}`;
}

/** Why Rust's regex crate refuses the pattern, or null. */
export function rustRegexError(pattern: string): EngineError | null {
  const result = rustRegex(pattern);
  return result.ok ? null : result.error;
}

/** `pcre2_compile() failed: ... in "<re>"`, or null when PCRE2 compiles the pattern. */
export function pcreCompileError(pattern: string): string | null {
  const err = pcreError(pattern);
  return err ? formatPcreError(pattern, err) : null;
}

const verdicts = new LRUCache<string, RegexVerdict>({ max: 50_000 });

/**
 * Kong's verdict on the regex of a route path `~<re>` (pass `<re>`): PCRE2
 * first, then Rust on the `^<re>` the router builds from it.
 */
export function checkRouteRegex(re: string): RegexVerdict {
  const cached = verdicts.get(re);
  if (cached) return cached;
  const verdict = computeVerdict(re);
  verdicts.set(re, verdict);
  return verdict;
}

function computeVerdict(re: string): RegexVerdict {
  const pcre = pcreError(re);
  if (pcre) {
    return { ok: false, engine: 'pcre', error: pcre, message: `invalid regex: '${re}' (PCRE returned: ${formatPcreError(re, pcre)})` };
  }
  const anchored = `^${re}`;
  const rust = rustRegexError(anchored);
  if (rust) return { ok: false, engine: 'rust', error: rust, message: formatRustRegexError(anchored, rust) };
  return { ok: true };
}

export interface RegexMatch {
  /** UTF-16 offset of the match. */
  index: number;
  /** The matched text. */
  text: string;
}

/** A compiled regex with the Rust semantics Kong's router runs. */
export interface KongRegex {
  readonly pattern: string;
  /** The leftmost match anywhere in `text` (anchor with `^` in the pattern). */
  find(text: string): RegexMatch | null;
  test(text: string): boolean;
}

export class KongRegexError extends Error {
  constructor(readonly pattern: string, readonly error: EngineError, message: string) {
    super(message);
    this.name = 'KongRegexError';
  }
}

const compiled = new LRUCache<string, KongRegex>({ max: 4000 });

/**
 * Compiles a regex as Kong's ATC router does. Throws KongRegexError with
 * regex-syntax's message when Rust refuses it, or when it uses a construct
 * this engine cannot evaluate exactly (named in the message).
 */
export function compileKongRegex(pattern: string): KongRegex {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  const result = rustRegex(pattern);
  if (!result.ok) throw new KongRegexError(pattern, result.error, formatRustRegexError(pattern, result.error));
  const { source, unsupported } = result.translation;
  if (unsupported) {
    const error = { message: `${unsupported} cannot be evaluated exactly`, offset: 0, length: pattern.length };
    throw new KongRegexError(pattern, error, error.message);
  }
  const engine = RE2JS.compile(source);
  const regex: KongRegex = {
    pattern,
    find(text) {
      const m = engine.matcher(text);
      return m.find() ? { index: m.start(), text: m.group() ?? '' } : null;
    },
    test: (text) => engine.test(text),
  };
  compiled.set(pattern, regex);
  return regex;
}
