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

/** An HTTP answer from Kong with an error status. */
export class KongAdminError extends Error {
  readonly status: number;
  readonly code: number | undefined;
  readonly fields: Record<string, unknown> | undefined;
  readonly flattenedErrors: FlattenedEntityError[] | undefined;
  /** Seconds from a `Retry-After` header (429/503). */
  readonly retryAfterSec: number | undefined;
  readonly method: string;
  readonly path: string;

  constructor(init: { status: number; method: string; path: string; gateway: string; body: KongErrorBody; retryAfterSec?: number }) {
    const detail = init.body.message ?? (init.body.name ? init.body.name : `HTTP ${init.status}`);
    super(`${init.method} ${init.gateway}${init.path}: ${init.status} ${detail}`);
    this.name = init.body.name ?? 'KongAdminError';
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

/** Parses an error body; non-JSON bodies become `{message}`. */
export function parseKongErrorBody(text: string): KongErrorBody {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {
    // not JSON: fall through
  }
  return { message: text.slice(0, 200) };
}

/** A base URL safe to print: no user info, no query. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '<invalid url>';
  }
}
