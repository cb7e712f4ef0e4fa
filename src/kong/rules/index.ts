// Kong's own rules that meshdoor must follow to emit what Kong accepts and routes.
export {
  checkRouteRegex,
  compileKongRegex,
  formatRustRegexError,
  KongRegexError,
  pcreCompileError,
  rustRegexError,
} from './regex.ts';
export type { EngineError, KongRegex, RegexMatch, RegexVerdict } from './regex.ts';
