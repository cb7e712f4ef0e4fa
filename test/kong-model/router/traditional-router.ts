// The `traditional` router (kong/router/traditional.lua), modelled from its
// sorting rules: one entry per path, ordered by category (criteria bit set),
// then submatch weight, header count, regex_priority, prefix length and
// created_at; the first entry matching all its criteria wins.
import { pcreCompileError } from '../../../src/kong/rules/index.ts';
import type { KongRegex } from '../../../src/kong/rules/index.ts';
import { regexRules } from '../regex-rules.ts';
import { isEmptyField, isRegexPath, splitHostPort } from './compat-expression.ts';
import { routerRequestPath } from './uri-normalize.ts';
import type { KongEntity, RouterRequest } from './types.ts';

const HOST = 0x40;
const HEADER = 0x20;
const URI = 0x10;
const METHOD = 0x08;
const SNI = 0x04;

interface HostRule { host: string; port: number | undefined; wildcard: 'none' | 'prefix' | 'suffix' }

export interface TraditionalEntry {
  route: KongEntity;
  service: KongEntity | null;
  path: string | undefined;
  regex: KongRegex | undefined;
  hosts: HostRule[];
  methods: string[];
  headers: { name: string; values: string[]; regex: KongRegex | undefined }[];
  snis: string[];
  category: number;
  submatch: number;
  regexPriority: number;
  createdAt: number;
}

export interface TraditionalHit {
  entry: TraditionalEntry;
  requestPath: string;
  matchedPath: string | undefined;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const bitCount = (n: number): number => n.toString(2).replaceAll('0', '').length;

function hostRule(h: string): HostRule {
  const { host, port } = splitHostPort(h);
  if (host.startsWith('*')) return { host: host.slice(1), port, wildcard: 'suffix' };
  if (host.endsWith('*')) return { host: host.slice(0, -1), port, wildcard: 'prefix' };
  return { host, port, wildcard: 'none' };
}

function headerRules(route: KongEntity): TraditionalEntry['headers'] {
  const headers = route['headers'];
  if (isEmptyField(headers) || typeof headers !== 'object') return [];
  return Object.entries(headers as Record<string, unknown>).map(([name, raw]) => {
    const values = strings(raw);
    // Only a single `~*` value is a regex in the traditional router.
    const only = values.length === 1 ? values[0] : undefined;
    const regex = only?.startsWith('~*') ? compiled(only.slice(2), false) ?? undefined : undefined;
    return { name: name.toLowerCase(), values: values.map((v) => v.toLowerCase()), regex };
  });
}

/**
 * PCRE-only syntax (look-around, backreferences) that Rust's engine refuses:
 * JavaScript's RegExp, which has it, stands in for PCRE's matcher.
 */
function pcreOnly(pattern: string): KongRegex | null {
  try {
    const re = new RegExp(pattern.replaceAll('(?P<', '(?<'), 'u');
    const find = (text: string): { index: number; text: string } | null => {
      const m = re.exec(text);
      return m ? { index: m.index, text: m[0] } : null;
    };
    return { pattern, find, test: (text) => find(text) !== null };
  } catch {
    return null;
  }
}

/**
 * A regex as the traditional router runs it (anchored at the start for paths);
 * null when PCRE2 refuses it. Matching uses the shared Kong regex engine: PCRE
 * and Rust differ only at the edges (e.g. Unicode `\w`), which this flavor's
 * model does not claim to reproduce.
 */
function compiled(pattern: string, anchored: boolean): KongRegex | null {
  if (pcreCompileError(pattern) !== null) return null;
  const source = anchored ? `^(?:${pattern})` : pattern;
  try {
    return regexRules.compileKongRegex(source);
  } catch {
    return pcreOnly(source);
  }
}

function entry(route: KongEntity, service: KongEntity | null, path: string | undefined): TraditionalEntry | null {
  const regex = path !== undefined && isRegexPath(path) ? compiled(path.slice(1), true) : undefined;
  if (regex === null) return null;
  const hosts = strings(route['hosts']).map(hostRule);
  const headers = headerRules(route);
  const methods = strings(route['methods']);
  const snis = strings(route['snis']);
  const category = (hosts.length ? HOST : 0) | (headers.length ? HEADER : 0) | (path !== undefined ? URI : 0)
    | (methods.length ? METHOD : 0) | (snis.length ? SNI : 0);
  const wildcardWithPort = hosts.some((h) => h.wildcard !== 'none' && h.port !== undefined);
  const plainOnly = hosts.length > 0 && hosts.every((h) => h.wildcard === 'none');
  const submatch = (wildcardWithPort ? 4 : 0) | (plainOnly ? 2 : 0) | (regex ? 1 : 0);
  return { route, service, path, regex, hosts, methods, headers, snis, category, submatch,
    regexPriority: regex ? Number(route['regex_priority'] ?? 0) : 0,
    createdAt: Number(route['created_at'] ?? 0) };
}

function compareEntries(a: TraditionalEntry, b: TraditionalEntry): number {
  const keys: [number, number][] = [
    [bitCount(b.category), bitCount(a.category)], [b.category, a.category], [b.submatch, a.submatch],
    [b.headers.length, a.headers.length], [b.regexPriority, a.regexPriority],
    [b.regex ? 0 : (b.path?.length ?? 0), a.regex ? 0 : (a.path?.length ?? 0)], [a.createdAt, b.createdAt],
  ];
  for (const [x, y] of keys) if (x !== y) return x - y;
  return 0;
}

export function buildTraditionalEntries(
  routes: readonly KongEntity[], serviceOf: (route: KongEntity) => KongEntity | null,
): TraditionalEntry[] {
  const out: TraditionalEntry[] = [];
  for (const route of routes) {
    const paths = strings(route['paths']);
    for (const p of paths.length ? paths : [undefined]) {
      const e = entry(route, serviceOf(route), p);
      if (e) out.push(e);
    }
  }
  return out.sort(compareEntries);
}

function hostMatches(rules: HostRule[], req: RouterRequest): boolean {
  if (rules.length === 0) return true;
  const { host, port } = splitHostPort(req.host);
  const reqPort = port ?? (req.scheme === 'https' ? 443 : 80);
  return rules.some((r) => {
    if (r.port !== undefined && r.port !== reqPort) return false;
    if (r.wildcard === 'suffix') return host.endsWith(r.host);
    if (r.wildcard === 'prefix') return host.startsWith(r.host);
    return host === r.host;
  });
}

function headersMatch(rules: TraditionalEntry['headers'], req: RouterRequest): boolean {
  const lower = new Map<string, string[]>();
  for (const [k, v] of Object.entries(req.headers ?? {})) {
    lower.set(k.toLowerCase(), (typeof v === 'string' ? [v] : [...v]).map((x) => x.toLowerCase()));
  }
  return rules.every((rule) => {
    const got = lower.get(rule.name) ?? [];
    return got.some((v) => {
      if (!rule.regex) return rule.values.includes(v);
      return rule.regex.test(v);
    });
  });
}

function pathMatch(e: TraditionalEntry, path: string): { ok: boolean; matched?: string } {
  if (e.path === undefined) return { ok: true };
  if (e.regex) {
    const m = e.regex.find(path);
    return m ? { ok: true, matched: m.text } : { ok: false };
  }
  return path.startsWith(e.path) ? { ok: true, matched: e.path } : { ok: false };
}

export function matchTraditional(entries: readonly TraditionalEntry[], req: RouterRequest): TraditionalHit | null {
  const requestPath = routerRequestPath(req.path);
  for (const e of entries) {
    if (e.methods.length && !e.methods.includes(req.method)) continue;
    if (!hostMatches(e.hosts, req) || !headersMatch(e.headers, req)) continue;
    if (e.snis.length && req.scheme === 'https' && !e.snis.includes(req.sni ?? '')) continue;
    const p = pathMatch(e, requestPath);
    if (p.ok) return { entry: e, requestPath, matchedPath: p.matched };
  }
  return null;
}
