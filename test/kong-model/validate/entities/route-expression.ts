// routes.lua `validate_route` (traditional_compatible and expressions flavors):
// the route is compiled to an ATC expression, which must be valid, so regexes
// must be valid Rust regexes.
import type { RouterFlavor } from '../../../../src/model/index.ts';
import { compatExpression, isEmptyField } from '../../router/compat-expression.ts';
import { ExpressionError, parseExpression } from '../../router/expression.ts';
import { formatRustRegexError } from '../../../../src/kong/rules/index.ts';
import { regexRules } from '../../regex-rules.ts';

const PREFIX = 'Router Expression failed validation: ';
const OTHERS = "'methods', 'hosts', 'paths', 'headers', 'snis', 'sources' or 'destinations'";
const MATCH_FIELDS = ['snis', 'sources', 'destinations', 'methods', 'hosts', 'paths', 'headers'];

/** pest's rendering of an error spanning part of line 1. */
export function pestError(line: string, offset: number, length: number, message: string): string {
  const underline = length <= 1 ? '^' : `^${'-'.repeat(length - 2)}^`;
  return ` --> 1:${offset + 1}\n  |\n1 | ${line}\n  | ${' '.repeat(offset)}${underline}\n  |\n  = ${message}`;
}

function compatError(route: Record<string, unknown>): string | null {
  const { expression, regexes } = compatExpression(route);
  for (const r of regexes) {
    const err = regexRules.rustRegexError(r.regex);
    if (err) return PREFIX + pestError(expression, r.offset, r.length, formatRustRegexError(r.regex, err));
  }
  return null;
}

function expressionError(src: string): string | null {
  try {
    parseExpression(src);
    return null;
  } catch (e) {
    if (e instanceof ExpressionError) return PREFIX + e.message;
    throw e;
  }
}

const isZero = (v: unknown): boolean => v === undefined || v === null || v === 0;

/** The custom entity check; null when the route compiles. */
export function validateRouteExpression(route: Record<string, unknown>, _flavor: RouterFlavor): string | null {
  const expression = route['expression'];
  const hasExpression = expression !== undefined && expression !== null;
  const hasOthers = MATCH_FIELDS.some((f) => !isEmptyField(route[f]));
  if (!hasExpression && !hasOthers) return null;
  if (hasExpression && hasOthers) return `${PREFIX}cannot set 'expression' with ${OTHERS} simultaneously`;
  if (hasExpression && !isZero(route['regex_priority'])) {
    return `${PREFIX}cannot set 'regex_priority' with 'expression' simultaneously`;
  }
  if (hasOthers && !isZero(route['priority'])) return `${PREFIX}cannot set 'priority' with ${OTHERS} simultaneously`;
  return typeof expression === 'string' ? expressionError(expression) : compatError(route);
}
