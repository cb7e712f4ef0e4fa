// Ingress paths → Kong route paths with exact Kubernetes semantics (kic.md §1.3,
// kubernetes.md §1.2). Kong prefix paths are string prefixes, so Prefix `/foo`
// becomes `/foo/` (sub-paths) plus the anchored regex `~/foo$` (the path itself);
// `/foobar` matches neither.

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

// RFC 3986 pchar plus `/`; `%` is checked separately for valid escapes.
const SAFE_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

/** Escapes a literal for Kong's regex engines (PCRE and Rust) and JS alike. */
export function escapeRegexLiteral(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}

export function collapseSlashes(path: string): string {
  return path.replace(/\/{2,}/g, '/');
}

/** Kong's normal form: decode escaped unreserved characters, upper-case the other escapes. */
function normalisePercent(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (_all, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

function checkLiteralPath(path: string): string | null {
  if (!SAFE_PATH.test(path)) {
    return 'must start with / and contain only URL path characters (RFC 3986)';
  }
  if (BAD_ESCAPE.test(path)) return 'has a % that does not start a %XX escape';
  if (/%2f/i.test(path)) return 'must not contain an encoded slash (%2F)';
  if (/\/\.\.?(\/|$)/.test(normalisePercent(path))) return 'must not contain . or .. segments';
  return null;
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

const UNSUPPORTED_REGEX = /\(\?<?[=!]|\\[1-9]/;

function checkRegex(regex: string): string | null {
  if (!regex.startsWith('/')) return 'regex paths must start with / after the regex marker';
  if (UNSUPPORTED_REGEX.test(regex)) return 'look-around and back-references are not supported by Kong\'s router';
  if (/[\s"]/.test(regex)) return 'regex paths must not contain whitespace or double quotes';
  try {
    new RegExp(regex);
  } catch (err) {
    return `is not a valid regular expression (${err instanceof Error ? err.message : String(err)})`;
  }
  return null;
}

function translateImplementationSpecific(path: string, regexPrefix: string): TranslatedPath | { error: string } {
  if (path.startsWith(regexPrefix)) {
    const regex = path.slice(regexPrefix.length);
    const error = checkRegex(regex);
    if (error) return { error };
    return {
      pathType: 'ImplementationSpecific',
      match: { kind: 'regex', regex },
      kongPaths: [`~${regex}`],
      conflictKey: `ImplementationSpecific ${path}`,
      length: regex.length,
    };
  }
  const error = checkLiteralPath(path);
  if (error) return { error };
  const literal = normalisePercent(path);
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
): TranslatedPath | { error: string } {
  const path = collapseSlashes(rawPath === undefined || rawPath === '' ? '/' : rawPath);
  const pathType = rawType ?? 'ImplementationSpecific';
  if (pathType === 'ImplementationSpecific') return translateImplementationSpecific(path, regexPrefix);
  if (pathType !== 'Exact' && pathType !== 'Prefix') {
    return { error: `pathType '${pathType}' is not one of Exact, Prefix, ImplementationSpecific` };
  }
  const error = checkLiteralPath(path);
  if (error) return { error };
  const literal = normalisePercent(path);
  return pathType === 'Exact' ? translateExact(literal) : translatePrefix(literal);
}
