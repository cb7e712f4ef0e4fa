// kong/router/transform.lua `get_expression`: a traditional route's fields as
// the ATC expression the traditional_compatible router compiles. Regex
// predicates are reported with their position so errors can point at them.

export interface RegexPredicate {
  /** The regex as the ATC router compiles it (already anchored for paths). */
  regex: string;
  /** Offset and length of the regex literal within the expression. */
  offset: number;
  length: number;
}

export interface CompatExpression {
  expression: string;
  regexes: RegexPredicate[];
}

type Route = Record<string, unknown>;

const STREAM = new Set(['tcp', 'udp', 'tls', 'tls_passthrough']);

export function isEmptyField(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

export function isStreamRoute(route: Route): boolean {
  const protocols = route['protocols'];
  return Array.isArray(protocols) && STREAM.has(String(protocols[0]));
}

/** escape_str: a raw string unless the value contains `"#`. */
export function escapeAtcString(s: string): string {
  if (!s.includes('"#')) return `r#"${s}"#`;
  return `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

export function isRegexPath(path: string): boolean {
  return path.startsWith('~');
}

/** `~/re` → `^/re` with `(?<name>` spelled `(?P<name>` for Rust. */
export function atcPathRegex(path: string): string {
  return `^${path.slice(1).replaceAll('?<', '?P<')}`;
}

/** Kong's split_host_port: only a numeric suffix after the first `:` is a port. */
export function splitHostPort(h: string): { host: string; port: number | undefined } {
  const p = h.indexOf(':');
  const rest = p < 0 ? '' : h.slice(p + 1);
  return /^\s*\d+\s*$/.test(rest) ? { host: h.slice(0, p), port: Number(rest) } : { host: h, port: undefined };
}

class Builder {
  parts: string[] = [];
  regexes: RegexPredicate[] = [];
  private length = 0;

  /** Appends a parenthesised OR-group, `&&`-joined to what came before. */
  group(items: { text: string; regex?: string }[]): void {
    if (items.length === 0) return;
    let text = this.parts.length > 0 ? ' && (' : '(';
    items.forEach((item, i) => {
      if (i > 0) text += ' || ';
      if (item.regex !== undefined) {
        // The router reports a bad regex at its string literal, the predicate's right-hand side.
        const literal = escapeAtcString(item.regex).length;
        this.regexes.push({ regex: item.regex, offset: this.length + text.length + item.text.length - literal, length: literal });
      }
      text += item.text;
    });
    text += ')';
    this.parts.push(text);
    this.length += text.length;
  }
}

function sniItem(sni: string): { text: string } {
  let op = '==';
  let v = sni;
  if (v.startsWith('*')) op = '=^';
  else if (v.endsWith('*')) op = '^=';
  if (op === '^=') v = v.slice(0, -1);
  else {
    if (v.length > 1 && v.endsWith('.')) v = v.slice(0, -1);
    if (op === '=^') v = v.slice(1);
  }
  return { text: `tls.sni ${op} ${escapeAtcString(v)}` };
}

function hostItem(h: string): { text: string } {
  const { host, port } = splitHostPort(h);
  let op = '==';
  let v = host;
  if (v.startsWith('*')) { op = '=^'; v = v.slice(1); } else if (v.endsWith('*')) { op = '^='; v = v.slice(0, -1); }
  const exp = `http.host ${op} r#"${v}"#`;
  return { text: port === undefined ? exp : `(${exp} && net.dst.port == ${port})` };
}

function pathItem(p: string): { text: string; regex?: string } {
  if (!isRegexPath(p)) return { text: `http.path ^= ${escapeAtcString(p)}` };
  const regex = atcPathRegex(p);
  return { text: `http.path ~ ${escapeAtcString(regex)}`, regex };
}

function headerItems(name: string, values: string[]): { text: string; regex?: string }[] {
  const lhs = `any(lower(http.headers.${name.replaceAll('-', '_').toLowerCase()}))`;
  return values.map((value) => {
    if (value.startsWith('~*')) {
      const regex = value.slice(2).toLowerCase();
      return { text: `${lhs} ~ ${escapeAtcString(regex)}`, regex };
    }
    return { text: `${lhs} == ${escapeAtcString(value.toLowerCase())}` };
  });
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function compatExpression(route: Route): CompatExpression {
  const b = new Builder();
  const snis = strings(route['snis']);
  if (snis.length > 0) {
    const proto = isStreamRoute(route) ? 'tls' : 'https';
    const items = snis.map(sniItem);
    b.group([{ text: `net.protocol != r#"${proto}"#` }, { text: `(${items.map((i) => i.text).join(' || ')})` }]);
  }
  if (!isStreamRoute(route)) {
    b.group(strings(route['methods']).map((m) => ({ text: `http.method == ${escapeAtcString(m)}` })));
    b.group(strings(route['hosts']).map(hostItem));
    b.group(strings(route['paths']).map(pathItem));
    const headers = route['headers'];
    if (headers && typeof headers === 'object' && !Array.isArray(headers)) {
      for (const [name, values] of Object.entries(headers)) b.group(headerItems(name, strings(values)));
    }
  }
  return { expression: b.parts.join(''), regexes: b.regexes };
}
