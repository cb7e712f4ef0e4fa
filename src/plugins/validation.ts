// Checks a plugin before it reaches Kong: against the schema the gateway
// publishes for it when there is one (Kong's own errors, field for field),
// and always structurally (what any Kong refuses whatever the plugin).
// Without a schema (offline, or the gateway did not answer) only the
// structural check runs, and the result says so.
import type { ConfigProblem } from './schema/validate-config.ts';
import { uncheckedCustomChecks, validatePluginEntity } from './schema/validate-config.ts';
import type { PluginSchema } from './schema/schema-types.ts';
import { isRecord } from './schema/schema-types.ts';

/** What is known of a plugin's schema on the gateway. */
export type SchemaAnswer =
  | { kind: 'schema'; schema: PluginSchema }
  /** The gateway has no such plugin (404 on /schemas/plugins/<name>). */
  | { kind: 'not-enabled' }
  /** No gateway to ask (offline), or it did not answer: why. */
  | { kind: 'unavailable'; reason: string };

export interface PluginEntityDraft {
  name: string;
  config: unknown;
  protocols?: string[];
  instance_name?: string;
  route?: unknown;
  service?: unknown;
  consumer?: unknown;
}

export interface PluginCheck {
  problems: ConfigProblem[];
  /** False when only the structural check ran. */
  schemaChecked: boolean;
  /** Why the schema check was skipped, when it was. */
  skipped?: string;
  /** Checks the schema names but does not publish (Lua code): Kong alone runs them. */
  unchecked?: string[];
}

/** Every protocol Kong 3 knows; a plugin's schema narrows them. */
const KONG_PROTOCOLS = new Set(['http', 'https', 'grpc', 'grpcs', 'tcp', 'tls', 'tls_passthrough', 'udp', 'ws', 'wss']);
const PLUGIN_NAME = /^[a-z0-9][a-z0-9_-]*$/;
// Kong's utf8_name: letters, digits and . - _ ~ only.
const INSTANCE_NAME = /^[\p{L}\p{N}._~-]+$/u;

function structuralProblems(draft: PluginEntityDraft): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!PLUGIN_NAME.test(draft.name)) {
    problems.push({ field: 'name', message: `invalid plugin name '${draft.name}': lowercase letters, digits, '-' and '_' only` });
  }
  if (!isRecord(draft.config)) problems.push({ field: 'config', message: 'expected a record' });
  if (draft.protocols !== undefined && !Array.isArray(draft.protocols)) problems.push({ field: 'protocols', message: 'expected a set' });
  (Array.isArray(draft.protocols) ? draft.protocols : []).forEach((p: unknown, i) => {
    if (typeof p !== 'string' || !KONG_PROTOCOLS.has(p)) problems.push({ field: `protocols.${i + 1}`, message: `expected one of: ${[...KONG_PROTOCOLS].join(', ')}` });
  });
  if (draft.instance_name !== undefined && (typeof draft.instance_name !== 'string' || !INSTANCE_NAME.test(draft.instance_name))) {
    problems.push({ field: 'instance_name', message: `invalid value: ${String(draft.instance_name)}` });
  }
  return problems;
}

function notEnabled(name: string): ConfigProblem {
  return { field: 'name', message: `plugin '${name}' not enabled; add it to the 'plugins' configuration property` };
}

/** Kong's verdict on a plugin entity, as far as it can be known here. */
export function checkPlugin(draft: PluginEntityDraft, answer: SchemaAnswer): PluginCheck {
  const structural = structuralProblems(draft);
  if (answer.kind === 'not-enabled') return { problems: [...structural, notEnabled(draft.name)], schemaChecked: true };
  if (answer.kind === 'unavailable' || !isRecord(draft.config)) {
    const skipped = answer.kind === 'unavailable' ? answer.reason : 'config is not an object';
    return { problems: structural, schemaChecked: false, skipped };
  }
  let problems: ConfigProblem[];
  try {
    problems = validatePluginEntity(answer.schema, { ...draft, config: draft.config });
  } catch (error) {
    // A schema in a shape this check does not know (a custom plugin's): Kong still checks.
    return { problems: structural, schemaChecked: false, skipped: `the gateway's schema for '${draft.name}' could not be applied: ${error instanceof Error ? error.message : String(error)}` };
  }
  const result: PluginCheck = { problems: [...structural, ...problems], schemaChecked: true };
  const custom = uncheckedCustomChecks(answer.schema);
  if (custom.length > 0) result.unchecked = custom.map((fields) => `custom check of ${fields.join(', ')}`);
  return result;
}

/** `config.minute: expected a number; at least one of ...`: problems for a failure message. */
export function describeProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => (p.field === undefined ? p.message : `${p.field}: ${p.message}`)).join('; ');
}
