// The validator's and router model's entry points to Kong's regex rules. The
// rules themselves (PCRE2 validity, Rust validity and Rust matching) live in
// src/kong/rules; this file keeps the older API and the traditional router's
// PCRE matching, which JavaScript's RegExp approximates.
import { LRUCache } from 'lru-cache';
import {
  compileKongRegex,
  formatRustRegexError as formatRust,
  KongRegexError,
  pcreCompileError as pcreError,
  rustRegexError as rustError,
} from '../rules/index.ts';
import type { EngineError } from '../rules/index.ts';

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

/** What `ngx.re.find("", re, "aj")` reports for a bad pattern; null when PCRE2 accepts it. */
export function pcreCompileError(pattern: string): string | null {
  return pcreError(pattern);
}

export type RustRegexError = EngineError;

/** Why Rust's regex crate (the ATC router) refuses the pattern, or null. */
export function rustRegexError(pattern: string): RustRegexError | null {
  return rustError(pattern);
}

/** regex-syntax's Display for a single-line pattern. */
export function formatRustRegexError(pattern: string, err: RustRegexError): string {
  return formatRust(pattern, err);
}

/** A RegExp whose matching is done by the Rust-semantics engine. */
class KongRegExp extends RegExp {
  constructor(private readonly find: (text: string) => { index: number; text: string } | null) {
    super('(?:)');
  }

  override exec(text: string): RegExpExecArray | null {
    const m = this.find(text);
    if (!m) return null;
    return Object.assign([m.text], { index: m.index, input: text, groups: undefined }) as RegExpExecArray;
  }
}

function jsRegExp(pattern: string, extraFlags = ''): RegExp {
  const { source, flags } = toJsSource(pattern);
  try {
    return new RegExp(source, flags + extraFlags);
  } catch {
    return new RegExp(source, flags.replace('u', '') + extraFlags);
  }
}

const rustCache = new LRUCache<string, RegExp>({ max: 2000 });

/** Compiles a pattern the ATC router would accept; throws with the Rust-style message otherwise. */
export function compileRustRegex(pattern: string): RegExp {
  const cached = rustCache.get(pattern);
  if (cached) return cached;
  const err = rustRegexError(pattern);
  if (err) throw new Error(formatRustRegexError(pattern, err));
  let re: RegExp;
  try {
    const kong = compileKongRegex(pattern);
    re = new KongRegExp((text) => kong.find(text));
  } catch (e) {
    // A construct the engine cannot evaluate exactly (class set operations):
    // JavaScript's reading is the closest one left.
    if (!(e instanceof KongRegexError)) throw e;
    re = jsRegExp(pattern);
  }
  rustCache.set(pattern, re);
  return re;
}

/** A PCRE pattern as the traditional router runs it (`anchored`: sticky at 0); null if invalid. */
export function compilePcre(pattern: string, anchored: boolean): RegExp | null {
  if (pcreCompileError(pattern) !== null) return null;
  try {
    return jsRegExp(pattern, anchored ? 'y' : '');
  } catch {
    return null;
  }
}
