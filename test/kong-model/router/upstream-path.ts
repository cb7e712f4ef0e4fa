// kong/router/utils.lua get_upstream_uri (path_handling v0) and the postfix
// sanitising the ATC router applies before it.

function sanitizePostfix(postfix: string): string {
  if (postfix === '.' || postfix === '..') return '';
  if (postfix.startsWith('./')) return postfix.slice(2);
  if (postfix.startsWith('../')) return postfix.slice(3);
  return postfix;
}

function joinStripped(base: string, postfix: string, requestPath: string): string {
  if (base.endsWith('/')) {
    if (postfix === '') {
      if (base === '/') return '/';
      return requestPath.endsWith('/') ? base : base.slice(0, -1);
    }
    return postfix.startsWith('/') ? base.slice(0, -1) + postfix : base + postfix;
  }
  if (postfix === '') return requestPath.length > 1 && requestPath.endsWith('/') ? `${base}/` : base;
  return postfix.startsWith('/') ? base + postfix : `${base}/${postfix}`;
}

function joinUnstripped(base: string, requestPath: string): string {
  if (base.endsWith('/')) return base + requestPath.slice(1);
  return requestPath === '/' ? base : base + requestPath;
}

/**
 * The upstream path for a request: `servicePath` (null → `/`), the path the
 * route matched (undefined when it has no paths), the normalized request path.
 */
export function upstreamPath(
  servicePath: string | null | undefined, matchedPath: string | undefined, requestPath: string, stripPath: boolean,
): string {
  const base = servicePath ?? '/';
  if (!stripPath) return joinUnstripped(base, requestPath);
  const postfix = sanitizePostfix(matchedPath === undefined ? requestPath.slice(1) : requestPath.slice(matchedPath.length));
  return joinStripped(base, postfix, requestPath);
}
