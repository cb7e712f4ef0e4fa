// Kong's URI normalization (kong/tools/uri.lua `normalize`), which both router
// flavors apply to the request path before matching, and which the schema
// requires of a plain route path: percent-decode everything except reserved
// characters (reserved escapes are upper-cased), resolve `.`/`..` segments and
// optionally merge `//`. Works on UTF-8 bytes, like the Lua original.

const RESERVED = new Set([..."!*'();:@&=+$,/?%#[]"].map((c) => c.charCodeAt(0)));

function toBytes(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

function fromBytes(s: string): string {
  return Buffer.from(s, 'latin1').toString('utf8');
}

function decodeUnreserved(uri: string): string {
  return uri.replace(/%([0-9A-Fa-f]{2})/g, (whole, hex: string) => {
    const code = parseInt(hex, 16);
    return RESERVED.has(code) ? whole.toUpperCase() : String.fromCharCode(code);
  });
}

function removeDotSegments(input: string, mergeSlashes: boolean): string {
  let uri = input;
  const out: string[] = [];
  while (uri.length > 0) {
    if (uri === '/.') {
      uri = '/';
    } else if (uri === '/..') {
      uri = '/';
      out.pop();
    } else if (uri === '.' || uri === '..') {
      uri = '';
    } else if (uri.startsWith('../')) {
      uri = uri.slice(3);
    } else if (uri.startsWith('./')) {
      uri = uri.slice(2);
    } else if (uri.startsWith('/./')) {
      uri = uri.slice(2);
    } else if (uri.startsWith('/../')) {
      uri = uri.slice(3);
      out.pop();
    } else if (mergeSlashes && uri.startsWith('//')) {
      uri = uri.slice(1);
    } else {
      const i = uri.indexOf('/', 1);
      out.push(i >= 0 ? uri.slice(0, i) : uri);
      uri = i >= 0 ? uri.slice(i) : '';
    }
  }
  return out.join('');
}

/** Kong's normalize(uri, merge_slashes). */
export function normalizeUri(uri: string, mergeSlashes = true): string {
  if (uri === '' || uri === '/') return uri;
  let bytes = toBytes(uri);
  if (bytes.includes('%')) bytes = decodeUnreserved(bytes);
  if (!bytes.includes('.') && (!mergeSlashes || !bytes.includes('//'))) return fromBytes(bytes);
  return fromBytes(removeDotSegments(bytes, mergeSlashes));
}

/** The request path the router sees: query string removed, then normalized. */
export function routerRequestPath(requestUri: string): string {
  const q = requestUri.indexOf('?', 1);
  return normalizeUri(q >= 0 ? requestUri.slice(0, q) : requestUri, true);
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Control characters, which no request path carries once decoded. */
function hasControlCharacter(text: string): boolean {
  return [...text].some((c) => c < ' ' || c === '\x7f');
}

/**
 * Kong's percent-decoding of a route path (the first step of `normalize`), for
 * emitting paths in the form Kong compares: null-free, valid UTF-8, or an error
 * that says which escape breaks it.
 */
export function decodePathEscapes(path: string): { decoded: string } | { error: string } {
  const bad = /%(?![0-9A-Fa-f]{2})/.exec(path);
  if (bad) return { error: `has a % that does not start a %XX escape (at '${path.slice(bad.index, bad.index + 3)}')` };
  let decoded: string;
  try {
    decoded = STRICT_UTF8.decode(Buffer.from(decodeUnreserved(toBytes(path)), 'latin1'));
  } catch {
    return { error: 'has percent-encoded bytes that do not form UTF-8 text' };
  }
  if (hasControlCharacter(decoded)) return { error: 'decodes to a control character' };
  return { decoded };
}
