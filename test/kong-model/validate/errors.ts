// Kong's error bodies (kong/db/errors.lua): schema violations and the Lua
// table printing (penlight `pretty.write`) their messages embed.
import type { FieldErrors, FieldErrorValue } from './schema/types.ts';

export interface SchemaViolationBody {
  code: 2;
  name: 'schema violation';
  message: string;
  fields: FieldErrors;
}

const LUA_KEYWORDS = new Set(['and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function', 'goto',
  'if', 'in', 'local', 'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while']);

function quote(s: string): string {
  if (s.includes('\n')) return `[[${s}]]`;
  return `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\r', '\\r').replaceAll('\0', '\\0')}"`;
}

function isIdentifier(key: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !LUA_KEYWORDS.has(key);
}

/**
 * penlight's pretty.write. JavaScript arrays are Lua sequences (null = nil,
 * so holes print as `[i]=`); objects print their keys sorted.
 */
export function luaPretty(value: unknown, space = '  '): string {
  const set = space === '' ? '=' : ' = ';
  const lines: string[] = [];
  let line = '';
  const put = (s: string): void => { line += s; };
  const putln = (s: string): void => {
    lines.push(line + s);
    line = '';
  };
  const eatLastComma = (): void => {
    const n = lines.length - 1;
    if (n >= 0 && lines[n]?.endsWith(',')) lines[n] = (lines[n] ?? '').slice(0, -1);
  };
  const write = (v: unknown, oldIndent: string, indent: string): void => {
    if (typeof v === 'string') return putln(`${quote(v)},`);
    if (typeof v === 'number' || typeof v === 'boolean') return putln(`${String(v)},`);
    if (v === null || typeof v !== 'object') return putln('nil,');
    const next = indent + space;
    putln('{');
    const entries: [string, unknown][] = [];
    if (Array.isArray(v)) {
      const firstHole = v.findIndex((x) => x === null || x === undefined);
      const seqEnd = firstHole < 0 ? v.length : firstHole;
      for (let i = 0; i < seqEnd; i++) {
        put(indent);
        write(v[i], indent, next);
      }
      v.forEach((x, i) => { if (i >= seqEnd && x !== null && x !== undefined) entries.push([`[${i + 1}]`, x]); });
    } else {
      for (const k of Object.keys(v).sort()) {
        entries.push([isIdentifier(k) ? k : `[${quote(k)}]`, (v as Record<string, unknown>)[k]]);
      }
    }
    for (const [k, x] of entries) {
      put(indent + k + set);
      write(x, indent, next);
    }
    eatLastComma();
    putln(`${oldIndent}},`);
  };
  write(value, '', space);
  eatLastComma();
  return lines.join(space.length > 0 ? '\n' : '');
}

function sortedEntries(value: Exclude<FieldErrorValue, string>): [string, FieldErrorValue][] {
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => (v === null ? [] : [[String(i + 1), v] as [string, FieldErrorValue]]));
  }
  return Object.keys(value).sort().map((k) => [k, value[k] as FieldErrorValue]);
}

/** The `message` of a schema violation: entity errors first, then fields sorted. */
export function schemaViolationMessage(errors: FieldErrors): string {
  const buf: string[] = [];
  const entity = errors['@entity'];
  if (Array.isArray(entity)) buf.push(...entity.filter((e): e is string => typeof e === 'string'));
  for (const name of Object.keys(errors).sort()) {
    if (name === '@entity') continue;
    const value = errors[name] as FieldErrorValue;
    if (typeof value === 'string') {
      buf.push(`${name}: ${value}`);
      continue;
    }
    for (const [sub, v] of sortedEntries(value)) {
      buf.push(`${name}.${sub}: ${typeof v === 'string' ? v : luaPretty(v)}`);
    }
  }
  return buf.length === 1 ? `schema violation (${buf[0] ?? ''})` : `${buf.length} schema violations (${buf.join('; ')})`;
}

/** Kong's 400 body for a schema violation (code 2). */
export function formatSchemaViolation(errors: FieldErrors): SchemaViolationBody {
  return { code: 2, name: 'schema violation', message: schemaViolationMessage(errors), fields: errors };
}
