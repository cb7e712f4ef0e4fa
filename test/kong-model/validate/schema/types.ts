// A small port of Kong's schema library (kong/db/schema/init.lua): field
// definitions, entity checks and the error tree they produce. Only the
// features the core entities meshdoor touches need are modelled.

/** Kong's `fields` error tree: a message, a per-element array, or nested fields. */
export type FieldErrorValue = string | FieldErrorArray | FieldErrors;
export type FieldErrorArray = (FieldErrorValue | null)[];
export interface FieldErrors {
  [field: string]: FieldErrorValue;
}

export type FieldType =
  | 'string' | 'integer' | 'number' | 'boolean'
  | 'array' | 'set' | 'map' | 'record' | 'foreign' | 'any';

/** A custom validator returns an error (a message or a nested tree), or null when the value is fine. */
export type CustomValidator = (value: string) => FieldErrorValue | null;

export interface PatternRule {
  pattern: RegExp;
  err: string;
}

export interface FieldDef {
  type: FieldType;
  required?: boolean;
  default?: unknown;
  /** Generated on insert: `uuid` ids, `timestamp` created_at/updated_at. */
  auto?: boolean;
  uuid?: boolean;
  timestamp?: boolean;
  unique?: boolean;
  elements?: FieldDef;
  keys?: FieldDef;
  values?: FieldDef;
  /** Record fields, in schema order. */
  fields?: Record<string, FieldDef>;
  entityChecks?: EntityCheck[];
  /** Foreign key target table. */
  reference?: string;
  /** `eq = null`: the field must be null (message `err` or `value must be null`). */
  eqNull?: boolean;
  eq?: string | number | boolean;
  ne?: string | number | boolean;
  /** Overrides the message of any failing validator (Kong's `err`). */
  err?: string;
  oneOf?: readonly (string | number)[];
  notOneOf?: readonly (string | number)[];
  between?: readonly [number, number];
  lenEq?: number;
  lenMin?: number;
  startsWith?: string;
  /** Lua `match`: must match, else `invalid value: <v>`. */
  match?: RegExp;
  matchNone?: readonly PatternRule[];
  matchAll?: readonly PatternRule[];
  matchAny?: { patterns: readonly RegExp[]; err: string };
  contains?: string;
  custom?: CustomValidator;
  mutuallyExclusiveSubsets?: readonly (readonly string[])[];
}

export type Entity = Record<string, unknown>;

export type EntityCheck =
  | { kind: 'conditional'; ifField: string; ifMatch: Partial<FieldDef>; thenField: string;
    thenMatch: Partial<FieldDef>; thenErr?: string }
  | { kind: 'conditionalAtLeastOneOf'; ifField: string; ifMatch: Partial<FieldDef>;
    thenAtLeastOneOf: readonly string[]; thenErr: string;
    elseMatch?: Partial<FieldDef>; elseThenAtLeastOneOf?: readonly string[]; elseThenErr?: string }
  | { kind: 'atLeastOneOf'; fields: readonly string[] }
  | { kind: 'distinct'; fields: readonly string[] }
  | { kind: 'mutuallyRequired'; fields: readonly string[] }
  | { kind: 'custom'; fieldSources: readonly string[]; runWithMissingFields?: boolean;
    fn: (entity: Entity) => string | null };

/** Fields that replace base fields when the subschema key selects them. */
export interface Subschema {
  fields: Record<string, FieldDef>;
  entityChecks: EntityCheck[];
}

/** A value turned into several fields before validation (`url`, `hash_on`). */
export interface Shorthand {
  name: string;
  field: FieldDef;
  expand: (value: unknown, entity: Entity) => Entity | null;
}

export interface EntitySchema {
  name: string;
  fields: Record<string, FieldDef>;
  entityChecks: EntityCheck[];
  endpointKey?: string;
  /** `protocols` for routes: the first protocol with a subschema selects it. */
  subschemaKey?: string;
  subschemas?: Record<string, Subschema>;
  shorthands?: Shorthand[];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
