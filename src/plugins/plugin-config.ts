// A KongPlugin's configuration: `config` as written, or the JSON/YAML object
// in the Secret key `configFrom` names, then each `configPatches` value (from
// a Secret) added at its JSON pointer. Failures name the Secret and key,
// never a value: Secret data is not repeated anywhere.
import { parse } from 'yaml';
import type { PluginFailureReason } from './failures.ts';
import type { ConfigPatch, KongPluginResource, PluginKind, SecretKeyRef } from './resources.ts';
import type { PluginSources } from './sources.ts';
import { secretValue } from './sources.ts';
import { isRecord } from './schema/schema-types.ts';

export type ConfigResult =
  | { ok: true; config: Record<string, unknown>; fromSecret: boolean }
  | { ok: false; reason: PluginFailureReason; message: string };

interface Where {
  kind: PluginKind;
  /** The KongPlugin's namespace; undefined for a KongClusterPlugin. */
  namespace?: string;
}

const fail = (reason: PluginFailureReason, message: string): ConfigResult => ({ ok: false, reason, message });

/** The Secret key a reference names, or why it cannot be read. */
function readSecretKey(ref: SecretKeyRef | undefined, field: string, where: Where, sources: PluginSources): { text: string } | { error: string; reason: PluginFailureReason } {
  const namespace = where.kind === 'KongPlugin' ? where.namespace : ref?.namespace;
  if (!ref?.name || !ref.key || !namespace) {
    const needs = where.kind === 'KongPlugin' ? 'name and key' : 'name, namespace and key';
    return { reason: 'InvalidPlugin', error: `${field}.secretKeyRef needs ${needs}` };
  }
  if (where.kind === 'KongPlugin' && ref.namespace !== undefined && ref.namespace !== where.namespace) {
    return { reason: 'InvalidPlugin', error: `${field}.secretKeyRef.namespace: a KongPlugin reads Secrets of its own namespace (${where.namespace ?? ''}) only` };
  }
  const secret = sources.secret(namespace, ref.name);
  if (!secret) return { reason: 'PluginSecretMissing', error: `${field}: Secret ${namespace}/${ref.name} does not exist` };
  const text = secretValue(secret, ref.key);
  if (text === undefined) return { reason: 'PluginSecretMissing', error: `${field}: Secret ${namespace}/${ref.name} has no key '${ref.key}'` };
  return { text };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A patch value: JSON when it parses as JSON, otherwise the text itself (an unquoted string). */
function patchValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** RFC 6902 "add" into an object tree (parents must exist; `-` appends to a list). */
function addAt(root: Record<string, unknown>, pointer: string, value: unknown): string | undefined {
  if (!pointer.startsWith('/')) return 'is not a JSON pointer (it starts with /)';
  const tokens = pointer.slice(1).split('/').map(unescapePointer);
  const last = tokens.pop() ?? '';
  let node: unknown = root;
  for (const token of tokens) {
    node = Array.isArray(node) ? node[Number(token)] : isRecord(node) ? node[token] : undefined;
    if (node === undefined) return `has no parent in the configuration at /${token}`;
  }
  if (Array.isArray(node)) {
    const index = last === '-' ? node.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > node.length) return `indexes past the end of a list`;
    node.splice(index, 0, value);
  } else if (isRecord(node)) {
    node[last] = value;
  } else {
    return 'points inside a value that is not an object or a list';
  }
  return undefined;
}

function applyPatches(config: Record<string, unknown>, patches: readonly ConfigPatch[], where: Where, sources: PluginSources): ConfigResult {
  for (const [i, patch] of patches.entries()) {
    const field = `configPatches[${i}]`;
    const read = readSecretKey(patch.valueFrom?.secretKeyRef, `${field}.valueFrom`, where, sources);
    if ('error' in read) return fail(read.reason, read.error);
    const problem = addAt(config, patch.path ?? '', patchValue(read.text));
    if (problem !== undefined) return fail('InvalidPlugin', `${field}.path '${patch.path ?? ''}' ${problem}`);
  }
  return { ok: true, config, fromSecret: patches.length > 0 };
}

/** The configuration a plugin resource asks for, with its Secrets read. */
export function resolvePluginConfig(resource: KongPluginResource, kind: PluginKind, sources: PluginSources): ConfigResult {
  const where: Where = { kind, ...(resource.metadata?.namespace ? { namespace: resource.metadata.namespace } : {}) };
  if (resource.config !== undefined && resource.configFrom !== undefined) {
    return fail('InvalidPlugin', 'set config or configFrom, not both');
  }
  if (resource.configPatches !== undefined && !Array.isArray(resource.configPatches)) return fail('InvalidPlugin', 'configPatches: expected a list');
  if (resource.configFrom !== undefined && resource.configPatches?.length) {
    return fail('InvalidPlugin', 'set configFrom or configPatches, not both');
  }
  if (resource.configFrom !== undefined) {
    const read = readSecretKey(resource.configFrom.secretKeyRef, 'configFrom', where, sources);
    if ('error' in read) return fail(read.reason, read.error);
    const config = parseObject(read.text);
    if (!config) return fail('InvalidPluginConfig', 'configFrom: the Secret value is not a JSON or YAML object');
    return { ok: true, config, fromSecret: true };
  }
  if (resource.config !== undefined && !isRecord(resource.config)) return fail('InvalidPluginConfig', 'config: expected an object');
  const config: Record<string, unknown> = structuredClone(resource.config ?? {});
  return applyPatches(config, resource.configPatches ?? [], where, sources);
}

/** The Secrets a plugin resource's configFrom and configPatches name (namespace and name), for reports. */
export function pluginSecretNames(resource: KongPluginResource, kind: PluginKind): { namespace: string; name: string }[] {
  const refs = [resource.configFrom?.secretKeyRef, ...(Array.isArray(resource.configPatches) ? resource.configPatches.map((p) => p.valueFrom?.secretKeyRef) : [])];
  return refs.flatMap((ref) => {
    const namespace = kind === 'KongPlugin' ? resource.metadata?.namespace : ref?.namespace;
    return ref?.name && namespace ? [{ namespace, name: ref.name }] : [];
  });
}
