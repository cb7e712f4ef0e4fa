// Errors from the Kong Admin API, parsed into a typed shape. Messages name the
// gateway, method and path, never request headers (the admin token).

/** One entry of Kong's `flattened_errors` (POST /config?flatten_errors=1). */
export interface FlattenedEntityError {
  entity_type: string;
  entity_id?: string;
  entity_name?: string;
  entity_tags?: string[];
  entity?: Record<string, unknown>;
  errors: { type: 'field' | 'entity'; field?: string; message: string; messages?: string[] }[];
}

/** Kong's error body: `{code, name, message, fields, flattened_errors}`. */
export interface KongErrorBody {
  code?: number;
  name?: string;
  message?: string;
  fields?: Record<string, unknown>;
  flattened_errors?: FlattenedEntityError[];
}

/** Kong's setting for the admin body limit, and its environment variable. */
export const BODY_LIMIT_SETTING = 'nginx_admin_client_max_body_size';
export const BODY_LIMIT_ENV = 'KONG_NGINX_ADMIN_CLIENT_MAX_BODY_SIZE';

/** An HTTP answer from Kong that is not the expected 2xx (a redirect included). */
export class KongAdminError extends Error {
  readonly status: number;
  readonly code: number | undefined;
  readonly fields: Record<string, unknown> | undefined;
  readonly flattenedErrors: FlattenedEntityError[] | undefined;
  /** Seconds from a `Retry-After` header (429/503). */
  readonly retryAfterSec: number | undefined;
  readonly method: string;
  readonly path: string;
  /** Where a 3xx answer pointed (credentials removed). */
  readonly location: string | undefined;

  constructor(init: { status: number; method: string; path: string; gateway: string; body: KongErrorBody; retryAfterSec?: number; location?: string }) {
    super(`${init.method} ${init.gateway}${init.path}: ${init.status} ${errorDetail(init.status, init.body, init.location)}`);
    this.name = init.body.name ?? 'KongAdminError';
    this.location = init.location === undefined ? undefined : redactLocation(init.location);
    this.status = init.status;
    this.code = init.body.code;
    this.fields = init.body.fields;
    this.flattenedErrors = init.body.flattened_errors;
    this.retryAfterSec = init.retryAfterSec;
    this.method = init.method;
    this.path = init.path;
  }
}

/** The gateway could not be reached or did not answer in time. */
export class KongNetworkError extends Error {
  /** Node's error code (ECONNREFUSED, ECONNRESET, ETIMEDOUT, ...). */
  readonly code: string;

  constructor(init: { method: string; path: string; gateway: string; code: string; detail: string }) {
    super(`${init.method} ${init.gateway}${init.path}: ${init.detail}`);
    this.name = 'KongNetworkError';
    this.code = init.code;
  }
}

/**
 * What an error says: Kong's error name with its message (`unique constraint
 * violation: UNIQUE violation detected on '{name="s1"}'`) and the fields it
 * names, or where a redirect points.
 */
function errorDetail(status: number, body: KongErrorBody, location: string | undefined): string {
  if (status >= 300 && status < 400) return `redirect to ${location === undefined ? '(no Location)' : redactLocation(location)}; point --kong-admin-url at the Admin API itself`;
  const message = body.message ?? body.name ?? `HTTP ${status}`;
  const named = body.name !== undefined && body.message !== undefined && !body.message.includes(body.name) ? `${body.name}: ${message}` : message;
  const fields = body.fields !== undefined && body.code === 5 ? ` (fields: ${fieldList(body.fields)})` : '';
  return `${named}${fields}`;
}

function fieldList(fields: Record<string, unknown>): string {
  return Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
}

/** The text of an HTML page's <title>, or its first heading. */
function htmlTitle(text: string): string | undefined {
  const match = /<title[^>]*>([^<]*)<\/title>/i.exec(text) ?? /<h1[^>]*>([^<]*)<\/h1>/i.exec(text);
  return match?.[1]?.trim().replace(/\s+/g, ' ') || undefined;
}

/**
 * Parses an error body. Kong's JSON is kept as it is; anything else (nginx's
 * HTML error pages, a proxy's text) is summarised to one short line, so no
 * page ends up in a condition, a log line or /readyz.
 */
export function parseKongErrorBody(text: string, contentType = ''): KongErrorBody {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {
    // not JSON: fall through
  }
  if (/html/i.test(contentType) || /^\s*</.test(text)) return { message: `${htmlTitle(text) ?? 'HTML error page'} (HTML page)` };
  const line = text.trim().split('\n')[0] ?? '';
  return { message: line.length > 200 ? `${line.slice(0, 200)}…` : line };
}

/** A Location value safe to print: user info removed from absolute URLs. */
function redactLocation(location: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) ? redactUrl(location, { keepQuery: true }) : location;
}

/** Kong refused the body for its size (HTML or JSON 413). */
export function isBodyTooLarge(error: unknown): error is KongAdminError {
  return error instanceof KongAdminError && error.status === 413;
}

/** "configuration too large", with the body size, the gateway's limit when known, and the setting to raise. */
export function configTooLargeMessage(gateway: string, bytes: number, limitBytes?: number): string {
  const mib = (n: number): string => `${(n / 2 ** 20).toFixed(2)} MiB`;
  const limit = limitBytes === undefined ? 'its admin body limit' : `its limit of ${limitBytes} bytes (${mib(limitBytes)})`;
  return `configuration too large: the body is ${bytes} bytes (${mib(bytes)}), over ${limit} at ${gateway}; `
    + `raise Kong's ${BODY_LIMIT_SETTING} (env ${BODY_LIMIT_ENV}, e.g. 32m) and nginx_admin_client_body_buffer_size with it`;
}

/** Parses an nginx size (`10m`, `512k`, `1g`, bytes) as Kong's configuration shows it. */
export function parseNginxSize(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const match = /^(\d+)([kKmMgG]?)$/.exec(String(value).trim());
  if (match === null) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(match[2] ?? '').toLowerCase()] ?? 1;
  return Number(match[1]) * unit;
}

/** A URL safe to print: no user info, and no query unless asked. */
export function redactUrl(url: string, options: { keepQuery?: boolean } = {}): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    if (options.keepQuery !== true) parsed.search = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '<invalid url>';
  }
}
