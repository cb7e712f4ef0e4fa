// Kong's own rules that meshdoor must follow to emit what Kong accepts and routes.
export {
  checkRouteRegex,
  compileKongRegex,
  createKongRegexRules,
  formatRustRegexError,
  KongRegexError,
  pcreCompileError,
  rustRegexError,
} from './regex.ts';
export type { EngineError, KongRegex, KongRegexRules, RegexMatch, RegexVerdict } from './regex.ts';
export { decodePathEscapes, normalizeUri, routerRequestPath } from './uri.ts';
export { lexRegex } from './regex-lexer.ts';
export type { Token as RegexToken } from './regex-lexer.ts';
