// A minimal ATC expression parser and evaluator (Kong/atc-router): enough for
// the expressions Kong builds from traditional routes and simple hand-written
// `expressions`-flavor routes. `&&` and `||` share one precedence level and
// associate left, as in atc-router's grammar.
import type { KongRegex } from '../../../src/kong/rules/index.ts';
import { regexRules } from '../regex-rules.ts';

export type Op = '==' | '!=' | '~' | '^=' | '=^' | '>' | '>=' | '<' | '<=';

export interface Predicate {
  kind: 'pred';
  field: string;
  lower: boolean;
  any: boolean;
  op: Op;
  value: string | number;
  regex?: KongRegex;
  /** Source of a regex rhs, for error reporting. */
  offset: number;
  length: number;
}

export type Expr =
  | Predicate
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; expr: Expr };

export class ExpressionError extends Error {}

const OPS: readonly Op[] = ['==', '!=', '^=', '=^', '>=', '<=', '~', '>', '<'];

class Parser {
  pos = 0;
  constructor(readonly src: string) {}

  fail(what: string): never {
    throw new ExpressionError(`expected ${what} at 1:${this.pos + 1}`);
  }

  skip(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos] ?? '')) this.pos++;
  }

  eat(token: string): boolean {
    this.skip();
    if (!this.src.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  expression(): Expr {
    let left = this.term();
    for (;;) {
      if (this.eat('&&')) left = { kind: 'and', left, right: this.term() };
      else if (this.eat('||')) left = { kind: 'or', left, right: this.term() };
      else return left;
    }
  }

  term(): Expr {
    if (this.eat('!')) {
      if (!this.eat('(')) this.fail('"("');
      const expr = this.expression();
      if (!this.eat(')')) this.fail('")"');
      return { kind: 'not', expr };
    }
    if (this.eat('(')) {
      const expr = this.expression();
      if (!this.eat(')')) this.fail('")"');
      return expr;
    }
    return this.predicate();
  }

  lhs(): { field: string; lower: boolean; any: boolean } {
    this.skip();
    const m = /^[A-Za-z_][A-Za-z0-9_.*]*/.exec(this.src.slice(this.pos));
    if (!m) this.fail('a field');
    this.pos += m[0].length;
    if (m[0] === 'lower' || m[0] === 'any') {
      if (!this.eat('(')) this.fail('"("');
      const inner = this.lhs();
      if (!this.eat(')')) this.fail('")"');
      return m[0] === 'lower' ? { ...inner, lower: true } : { ...inner, any: true };
    }
    return { field: m[0], lower: false, any: false };
  }

  rhs(): string | number {
    this.skip();
    const rest = this.src.slice(this.pos);
    const raw = /^r#"([\s\S]*?)"#/.exec(rest);
    if (raw) {
      this.pos += raw[0].length;
      return raw[1] ?? '';
    }
    const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
    if (quoted) {
      this.pos += quoted[0].length;
      return (quoted[1] ?? '').replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
    }
    const int = /^-?(?:0x[0-9a-fA-F]+|\d+)/.exec(rest);
    if (int) {
      this.pos += int[0].length;
      return Number(int[0]);
    }
    return this.fail('a value');
  }

  predicate(): Predicate {
    this.skip();
    const start = this.pos;
    const lhs = this.lhs();
    if (!isKnownField(lhs.field)) throw new ExpressionError('Unknown LHS field');
    this.skip();
    const op = OPS.find((o) => this.src.startsWith(o, this.pos));
    if (!op) this.fail('an operator');
    this.pos += op.length;
    const value = this.rhs();
    const pred: Predicate = { kind: 'pred', ...lhs, op, value, offset: start, length: this.pos - start };
    if (op === '~') {
      if (typeof value !== 'string') throw new ExpressionError('regex operator can only be used with String operands');
      try {
        pred.regex = regexRules.compileKongRegex(value);
      } catch (e) {
        throw new ExpressionError(e instanceof Error ? e.message : String(e));
      }
    }
    return pred;
  }
}

/** The fields Kong's HTTP router schema defines (kong/router/fields.lua). */
const FIELDS = new Set(['net.protocol', 'tls.sni', 'http.method', 'http.host', 'http.path', 'net.src.ip', 'net.src.port', 'net.dst.ip', 'net.dst.port']);
const FIELD_FAMILIES = /^http\.(?:headers|queries)\.[a-z0-9_]+$|^http\.path\.segments\.(?:len|\d+(?:_\d+)?)$/;

function isKnownField(field: string): boolean {
  return FIELDS.has(field) || FIELD_FAMILIES.test(field);
}

/** Parses an ATC expression; throws ExpressionError on bad syntax or a bad regex. */
export function parseExpression(src: string): Expr {
  const p = new Parser(src);
  const expr = p.expression();
  p.skip();
  if (p.pos !== src.length) p.fail('"&&" or "||"');
  return expr;
}

/** Field values of one request; a missing field makes its predicates false. */
export type ExprContext = Record<string, string | number | readonly string[] | undefined>;

export interface EvalState {
  /** The value matched by the first successful `http.path` predicate. */
  matchedPath?: string;
}

function compare(p: Predicate, v: string | number, state: EvalState): boolean {
  const value = p.lower && typeof v === 'string' ? v.toLowerCase() : v;
  const rhs = p.value;
  let hit: string | undefined;
  let ok: boolean;
  switch (p.op) {
    case '==': ok = value === rhs; hit = String(value); break;
    case '!=': ok = value !== rhs; break;
    case '^=': ok = typeof value === 'string' && value.startsWith(String(rhs)); hit = String(rhs); break;
    case '=^': ok = typeof value === 'string' && value.endsWith(String(rhs)); break;
    case '~': {
      const m = typeof value === 'string' ? p.regex?.find(value) : null;
      ok = Boolean(m);
      hit = m?.text;
      break;
    }
    default: ok = compareNumbers(p.op, value, rhs);
  }
  if (ok && p.field === 'http.path' && state.matchedPath === undefined) state.matchedPath = hit;
  return ok;
}

function compareNumbers(op: Op, a: string | number, b: string | number): boolean {
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  return op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b;
}

export function evaluate(expr: Expr, ctx: ExprContext, state: EvalState): boolean {
  switch (expr.kind) {
    case 'and': return evaluate(expr.left, ctx, state) && evaluate(expr.right, ctx, state);
    case 'or': return evaluate(expr.left, ctx, state) || evaluate(expr.right, ctx, state);
    case 'not': return !evaluate(expr.expr, ctx, {});
    case 'pred': {
      const raw = ctx[expr.field];
      if (raw === undefined) return false;
      const values: readonly (string | number)[] = Array.isArray(raw) ? raw as readonly string[] : [raw as string | number];
      if (values.length === 0) return false;
      return expr.any
        ? values.some((v) => compare(expr, v, state))
        : values.every((v) => compare(expr, v, state));
    }
  }
}
