// Kong's error answers (kong/db/errors.lua, kong/api/endpoints.lua), as the
// double sends them: status code plus the exact JSON body shape.

export class DoubleHttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;

  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** Lua-style rendering Kong uses in messages: `{id="…"}`, `{name="x"}`, `null`. */
export function luaTable(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'object') return 'null';
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${k}=${luaTable(v)}`).join(',')}}`;
}

const NGINX_TITLES: Record<number, string> = { 400: 'Bad Request', 413: 'Request Entity Too Large', 415: 'Unsupported Media Type' };

/** nginx's own HTML error page: it answers before Kong's Lua code runs. */
export class NginxPage extends Error {
  readonly status: number;
  readonly html: string;

  /** `detail`: nginx's 400 variants (TLS client certificate, plain HTTP) name the problem in the title and body. */
  constructor(status: number, detail?: string) {
    const heading = `${status} ${NGINX_TITLES[status] ?? ''}`;
    const title = detail === undefined ? heading : `${status} ${detail}`;
    super(title);
    this.status = status;
    const extra = detail === undefined ? '' : `<center>${detail}</center>\r\n`;
    this.html = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${heading}</h1></center>\r\n${extra}</body>\r\n</html>\r\n`;
  }
}

export const notFound = (): DoubleHttpError => new DoubleHttpError(404, { message: 'Not found' });
export const methodNotAllowed = (): DoubleHttpError => new DoubleHttpError(405, { message: 'Method not allowed' });
export const cannotParseJson = (): DoubleHttpError => new DoubleHttpError(400, { message: 'Cannot parse JSON body' });

export function primaryKeyViolation(id: string): DoubleHttpError {
  const pk = { id };
  return new DoubleHttpError(400, {
    code: 3, name: 'primary key violation', message: `primary key violation on key '${luaTable(pk)}'`, fields: pk,
  });
}

export function uniqueViolation(fields: Record<string, unknown>): DoubleHttpError {
  return new DoubleHttpError(409, {
    code: 5, name: 'unique constraint violation', message: `UNIQUE violation detected on '${luaTable(fields)}'`, fields,
  });
}

export function foreignKeyInvalid(field: string, key: Record<string, unknown>, table: string): DoubleHttpError {
  return new DoubleHttpError(400, {
    code: 4, name: 'foreign key violation',
    message: `the foreign key '${luaTable(key)}' does not reference an existing '${table}' entity.`,
    fields: { [field]: key },
  });
}

export function foreignKeyUnresolved(field: string, key: Record<string, unknown>, table: string): DoubleHttpError {
  const [keyName] = Object.keys(key);
  const detail = `the foreign key cannot be resolved with '${luaTable(key)}' for an existing '${table}' entity`;
  return new DoubleHttpError(400, {
    code: 13, name: 'foreign keys unresolved',
    message: `foreign key unresolved (${field}.${keyName ?? 'id'}: ${detail})`,
    fields: { [field]: { [keyName ?? 'id']: detail } },
  });
}

/** Restricted delete: the parent is still referenced (services ← routes). */
export function referencedBy(child: string, parent: string): DoubleHttpError {
  return new DoubleHttpError(400, {
    code: 4, name: 'foreign key violation',
    message: `an existing '${child}' entity references this '${parent}' entity`,
    fields: { '@referenced_by': child },
  });
}

/** 404 code 6; `pk` false: the entity was named by its endpoint key (`{name="x"}`). */
export function entityNotFound(key: Record<string, unknown>, pk = true): DoubleHttpError {
  const what = pk ? 'primary key ' : '';
  return new DoubleHttpError(404, {
    code: 6, name: 'not found', message: `could not find the entity with ${what}'${luaTable(key)}'`, fields: key,
  });
}

export function invalidOffset(token: string, why: 'base64' | 'json'): DoubleHttpError {
  return new DoubleHttpError(400, { code: 7, name: 'invalid offset', message: `'${token}' is not a valid offset: bad ${why} encoding` });
}

export function invalidSize(message: string): DoubleHttpError {
  return new DoubleHttpError(400, { code: 9, name: 'invalid size', message });
}

export function invalidOption(field: string, detail: string): DoubleHttpError {
  return new DoubleHttpError(400, {
    code: 11, name: 'invalid options', message: `invalid option (${field}: ${detail})`, options: { [field]: detail },
  });
}

/** DB-less writes: `cannot create 'routes' entities when not using a database`. */
export function operationUnsupported(message: string): DoubleHttpError {
  return new DoubleHttpError(405, { code: 12, name: 'operation unsupported', message });
}
