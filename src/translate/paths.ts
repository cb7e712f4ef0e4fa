// Ingress paths → Kong route paths with exact Kubernetes semantics (docs/ingress.md#paths,
// docs/kic-compatibility.md#paths). Kong prefix paths are string prefixes, so Prefix `/foo`
// becomes `/foo/` (sub-paths) plus the anchored regex `~/foo$` (the path itself);
// `/foobar` matches neither. Paths are emitted percent-decoded and regexes
// checked by Kong's own rules, because that is what Kong accepts and matches.
import { checkRouteRegex, decodePathEscapes, lexRegex } from '../kong/index.ts';
import type { RegexToken, RegexVerdict } from '../kong/index.ts';
import { freezeDeep } from '../model/index.ts';
import { TwoGenerations } from './two-generations.ts';

/** Kong's verdict on a route regex: a translator passes its remembering one. */
export type RouteRegexCheck = (re: string) => RegexVerdict;

export type IngressPathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

/** How a translated path matches, independent of the router flavor. */
export type PathMatch =
  | { kind: 'exact'; path: string }
  | { kind: 'prefix'; path: string } // element-wise prefix (Kubernetes Prefix)
  | { kind: 'stringPrefix'; path: string } // plain string prefix (ImplementationSpecific)
  | { kind: 'regex'; regex: string };

export interface TranslatedPath {
  pathType: IngressPathType;
  match: PathMatch;
  /** Kong `paths` for the traditional(_compatible) router. */
  kongPaths: string[];
  /** Identity for conflict detection (together with the host). */
  conflictKey: string;
  /** Length of the matched literal, for precedence (longest wins). */
  length: number;
}

export const DEFAULT_REGEX_PREFIX = '/~';

// RFC 3986 pchar plus `/`, and raw non-ASCII text (Kong matches decoded UTF-8);
// `%` is checked separately for valid escapes.
const SAFE_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%\u{80}-\u{10FFFF}]*$/u;
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

/** Escapes a literal for Kong's regex engines (PCRE and Rust) and JS alike. */
export function escapeRegexLiteral(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}

export function collapseSlashes(path: string): string {
  return path.replace(/\/{2,}/g, '/');
}

/**
 * A literal path in the form Kong compares: Kong matches the percent-decoded
 * request path and refuses a route path that is not in that form, so
 * `/caf%C3%A9` must be emitted as `/café` (reserved escapes such as `%2B` stay).
 */
function kongLiteralPath(path: string): { literal: string } | { error: string } {
  if (!SAFE_PATH.test(path)) {
    return { error: 'must start with / and contain only URL path characters (RFC 3986) or non-ASCII text; percent-encode anything else (a space as %20)' };
  }
  if (/%2f/i.test(path)) return { error: 'must not contain an encoded slash (%2F)' };
  const decoded = decodePathEscapes(path);
  if ('error' in decoded) return decoded;
  if (/\/\.\.?(\/|$)/.test(decoded.decoded)) return { error: 'must not contain . or .. segments' };
  return { literal: decoded.decoded };
}

function translateExact(path: string): TranslatedPath {
  return {
    pathType: 'Exact',
    match: { kind: 'exact', path },
    kongPaths: [`~${escapeRegexLiteral(path)}$`],
    conflictKey: `Exact ${path}`,
    length: path.length,
  };
}

function translatePrefix(path: string): TranslatedPath {
  // The trailing slash of a Prefix path is ignored: /foo and /foo/ are the same rule.
  const base = path === '/' ? '/' : path.replace(/\/+$/, '');
  const kongPaths = base === '/' ? ['/'] : [`${base}/`, `~${escapeRegexLiteral(base)}$`];
  return {
    pathType: 'Prefix',
    match: { kind: 'prefix', path: base },
    kongPaths,
    conflictKey: `Prefix ${base}`,
    length: base.length,
  };
}

/** Where in the regex an engine points, for naming what it refused. */
function snippet(text: string, start: number, length: number): string {
  return start >= text.length ? 'the end' : `'${text.slice(start, start + Math.max(1, length))}'`;
}

function kongRegexProblem(regex: string, check: RouteRegexCheck): string | null {
  const verdict = check(regex);
  if (verdict.ok) return null;
  const { message, offset, length } = verdict.error;
  // Rust offsets count the `^` Kong's router puts in front of the regex.
  const at = verdict.engine === 'pcre' ? snippet(regex, offset, length) : snippet(`^${regex}`, offset, length);
  const engine = verdict.engine === 'pcre' ? 'PCRE2' : "its router's Rust regex engine";
  return `is a regex Kong refuses: ${engine} reports '${message}' at ${at}`;
}

function checkRegex(regex: string, check: RouteRegexCheck): string | null {
  if (!regex.startsWith('/')) return 'regex paths must start with / after the regex marker';
  // Kong embeds the regex in a raw string `r#"..."#`, and request paths hold no other whitespace.
  if (/["\t\n\r\f\v]/.test(regex)) return 'regex paths must not contain double quotes or whitespace other than spaces';
  return kongRegexProblem(regex, check);
}

/**
 * Kong runs a regex against the percent-decoded path, where `%C3%A9` is `é`:
 * percent-escapes written in the regex are decoded as Kong decodes the path,
 * or refused where decoding would change what a quantifier applies to.
 */
function decodeRegexEscapes(regex: string): { regex: string } | { error: string } {
  const lexed = lexRegex(regex, 'rust');
  if ('error' in lexed) return { regex };
  const tokens = lexed.tokens;
  let out = '';
  let i = 0;
  while (i < tokens.length) {
    let j = i;
    while (j + 2 < tokens.length && isEscapeAt(tokens, j)) j += 3;
    if (j === i) {
      out += tokens[i]?.text ?? '';
      i++;
      continue;
    }
    const encoded = tokens.slice(i, j).map((t) => t.text).join('');
    if (tokens[j]?.kind === 'quantifier') {
      return { error: `has a quantifier after the percent-encoded '${encoded}'; Kong matches the decoded path, so write the decoded text in a group` };
    }
    const decoded = decodePathEscapes(encoded);
    if ('error' in decoded) return { error: `'${encoded}' ${decoded.error}` };
    out += escapeRegexLiteral(decoded.decoded);
    i = j;
  }
  return { regex: out };
}

function isEscapeAt(tokens: readonly RegexToken[], at: number): boolean {
  const [pct, hi, lo] = [tokens[at], tokens[at + 1], tokens[at + 2]];
  return pct?.kind === 'literal' && pct.text === '%'
    && hi?.kind === 'literal' && /^[0-9A-Fa-f]$/.test(hi.text)
    && lo?.kind === 'literal' && /^[0-9A-Fa-f]$/.test(lo.text);
}

function translateImplementationSpecific(path: string, regexPrefix: string, check: RouteRegexCheck): TranslatedPath | { error: string } {
  if (path.startsWith(regexPrefix)) {
    const decoded = decodeRegexEscapes(path.slice(regexPrefix.length));
    if ('error' in decoded) return decoded;
    const { regex } = decoded;
    const error = checkRegex(regex, check);
    if (error) return { error };
    return {
      pathType: 'ImplementationSpecific',
      match: { kind: 'regex', regex },
      kongPaths: [`~${regex}`],
      conflictKey: `ImplementationSpecific ${regexPrefix}${regex}`,
      length: regex.length,
    };
  }
  const checked = kongLiteralPath(path);
  if ('error' in checked) return checked;
  const { literal } = checked;
  return {
    pathType: 'ImplementationSpecific',
    match: { kind: 'stringPrefix', path: literal },
    kongPaths: [literal],
    conflictKey: `ImplementationSpecific ${literal}`,
    length: literal.length,
  };
}

/**
 * Translates one Ingress path; `{ error }` names what is wrong with it.
 * A missing pathType is ImplementationSpecific, an empty path is `/` (as KIC).
 */
export function translatePath(
  rawPath: string | undefined,
  rawType: string | undefined,
  regexPrefix: string = DEFAULT_REGEX_PREFIX,
  check: RouteRegexCheck = checkRouteRegex,
): TranslatedPath | { error: string } {
  const path = collapseSlashes(rawPath === undefined || rawPath === '' ? '/' : rawPath);
  const pathType = rawType ?? 'ImplementationSpecific';
  if (pathType === 'ImplementationSpecific') return translateImplementationSpecific(path, regexPrefix, check);
  if (pathType !== 'Exact' && pathType !== 'Prefix') {
    return { error: `pathType '${pathType}' is not one of Exact, Prefix, ImplementationSpecific` };
  }
  const checked = kongLiteralPath(path);
  if ('error' in checked) return checked;
  return pathType === 'Exact' ? translateExact(checked.literal) : translatePrefix(checked.literal);
}

type PathResult = TranslatedPath | { error: string };

const DEFAULT_MARKER_SCOPE = `ImplementationSpecific ${DEFAULT_REGEX_PREFIX}`;

/** Translations kept per generation (two-generations.ts: in-use entries are copied forward). */
const PATH_GENERATION_SIZE = 50_000;

/**
 * A translator's translated paths, by pathType, regex marker and path as
 * written: the same few paths (`/`, `/api`) recur across Ingresses, and a
 * translation is pure, so equal inputs share one (never mutated) result.
 */
export class TranslatedPaths {
  private readonly translations = new TwoGenerations<PathResult>(PATH_GENERATION_SIZE);

  constructor(private readonly check: RouteRegexCheck) {}

  translate(rawPath: string | undefined, rawType: string | undefined, regexPrefix: string): PathResult {
    // A missing pathType is ImplementationSpecific, which is the only type reading the marker.
    const scope = rawType !== undefined && rawType !== 'ImplementationSpecific' ? rawType
      : regexPrefix === DEFAULT_REGEX_PREFIX ? DEFAULT_MARKER_SCOPE : `ImplementationSpecific ${regexPrefix}`;
    // Frozen: claims of many Ingresses share it.
    const key = rawPath ?? '';
    return this.translations.find(scope, key) ?? this.translations.remember(scope, key, freezeDeep(translatePath(rawPath, rawType, regexPrefix, this.check)));
  }
}
