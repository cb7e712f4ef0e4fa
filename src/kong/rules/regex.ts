// Kong's rules for a route regex, as Kong 3.9 applies them: the schema asks
// PCRE2 first (a field error), then the ATC router compiles the regex with
// Rust's `regex` crate (an entity error), and at request time the regex runs
// with Rust semantics against the percent-decoded path.
import { LRUCache } from 'lru-cache';
import { RE2JS } from 're2js';
import { formatPcreError, pcreError } from './pcre.ts';
import type { EngineError } from './pcre.ts';
import { rustRegex } from './rust-regex.ts';
import type { RustResult } from './rust-regex.ts';

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
  return errorOf(rustRegex(pattern));
}

function errorOf(result: RustResult): EngineError | null {
  return result.ok ? null : result.error;
}

/** `pcre2_compile() failed: ... in "<re>"`, or null when PCRE2 compiles the pattern. */
export function pcreCompileError(pattern: string): string | null {
  const err = pcreError(pattern);
  return err ? formatPcreError(pattern, err) : null;
}

/**
 * Kong's verdict on the regex of a route path `~<re>` (pass `<re>`): PCRE2
 * first, then Rust on the `^<re>` the router builds from it.
 */
export function checkRouteRegex(re: string): RegexVerdict {
  return routeVerdict(re, rustRegex);
}

function routeVerdict(re: string, rustOf: (pattern: string) => RustResult): RegexVerdict {
  const pcre = pcreError(re);
  if (pcre) {
    return { ok: false, engine: 'pcre', error: pcre, message: `invalid regex: '${re}' (PCRE returned: ${formatPcreError(re, pcre)})` };
  }
  const anchored = `^${re}`;
  const rust = errorOf(rustOf(anchored));
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

/**
 * Compiles a regex as Kong's ATC router does. Throws KongRegexError with
 * regex-syntax's message when Rust refuses it, or when it uses a construct
 * this engine cannot evaluate exactly (named in the message).
 */
export function compileKongRegex(pattern: string): KongRegex {
  return compileWith(pattern, rustRegex(pattern));
}

function compileWith(pattern: string, result: RustResult): KongRegex {
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
  return regex;
}

/** Kong's regex rules, remembering their answers: one per translator (or other long-lived user), never shared. */
export interface KongRegexRules {
  readonly checkRouteRegex: (re: string) => RegexVerdict;
  readonly compileKongRegex: (pattern: string) => KongRegex;
  readonly rustRegexError: (pattern: string) => EngineError | null;
}

export function createKongRegexRules(): KongRegexRules {
  // Checking compiles the pattern with RE2 (tens of µs): a configuration
  // validated again and again repeats the same patterns.
  const rust = lazyCache<RustResult>(50_000);
  const verdicts = lazyCache<RegexVerdict>(50_000);
  const compiled = lazyCache<KongRegex>(4000);
  const rustOf = (pattern: string): RustResult => remembered(rust(), pattern, rustRegex);
  return {
    checkRouteRegex: (re) => remembered(verdicts(), re, (r) => routeVerdict(r, rustOf)),
    compileKongRegex: (pattern) => remembered(compiled(), pattern, (p) => compileWith(p, rustOf(p))),
    rustRegexError: (pattern) => errorOf(rustOf(pattern)),
  };
}

/** An LRU made on first use: it allocates its full size up front, and many translators never check a regex. */
function lazyCache<V extends object>(max: number): () => LRUCache<string, V> {
  let cache: LRUCache<string, V> | undefined;
  return () => (cache ??= new LRUCache<string, V>({ max }));
}

function remembered<V extends object>(cache: LRUCache<string, V>, key: string, compute: (key: string) => V): V {
  const cached = cache.get(key);
  if (cached) return cached;
  const value = compute(key);
  cache.set(key, value);
  return value;
}
