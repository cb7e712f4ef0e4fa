// PURE: which keys meshdoor's own server-side-apply field manager owns on an
// object, read from metadata.managedFields (the watch caches keep exactly that
// entry; see cache-trim.ts). Knowing them lets meshdoor remove what it added and
// no longer wants, and leave every other key alone.
import type { V1ManagedFieldsEntry, V1ObjectMeta } from '@kubernetes/client-node';
import { FIELD_MANAGER } from '../kube/index.ts';

type FieldSet = Record<string, unknown>;

/** meshdoor's server-side applies: the `Apply` entry of its field manager. */
export function isOwnApplyEntry(entry: Pick<V1ManagedFieldsEntry, 'manager' | 'operation'>): boolean {
  return entry.manager === FIELD_MANAGER && entry.operation === 'Apply';
}

function ownFields(meta: V1ObjectMeta | undefined): FieldSet | undefined {
  const entry = meta?.managedFields?.find(isOwnApplyEntry);
  const fields: unknown = entry?.fieldsV1;
  return typeof fields === 'object' && fields !== null ? fields as FieldSet : undefined;
}

function child(set: FieldSet | undefined, ...path: string[]): FieldSet | undefined {
  let node: unknown = set;
  for (const step of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as FieldSet)[step];
  }
  return typeof node === 'object' && node !== null ? node as FieldSet : undefined;
}

/** `f:<key>` members of a field set: map keys such as labels. */
function mapKeys(set: FieldSet | undefined): Set<string> {
  return new Set(Object.keys(set ?? {}).filter((k) => k.startsWith('f:')).map((k) => k.slice(2)));
}

/** `k:{"name":...}` members of a field set: items of a list keyed by name. */
function listNames(set: FieldSet | undefined): Set<string> {
  const names = new Set<string>();
  for (const key of Object.keys(set ?? {})) {
    if (!key.startsWith('k:')) continue;
    try {
      const parsed = JSON.parse(key.slice(2)) as { name?: unknown };
      if (typeof parsed.name === 'string') names.add(parsed.name);
    } catch {
      // Not a name key: not one of ours.
    }
  }
  return names;
}

export interface OwnedTemplateKeys {
  labels: Set<string>;
  annotations: Set<string>;
  volumes: Set<string>;
}

/** Pod-template keys meshdoor's applies own on a Deployment. */
export function ownedTemplateKeys(meta: V1ObjectMeta | undefined): OwnedTemplateKeys {
  return templateKeysOf(ownFields(meta));
}

/** Pod-template keys a managedFields entry's field set names. */
export function templateKeysOf(fields: unknown): OwnedTemplateKeys {
  const template = child(typeof fields === 'object' && fields !== null ? fields as FieldSet : undefined, 'f:spec', 'f:template');
  return {
    labels: mapKeys(child(template, 'f:metadata', 'f:labels')),
    annotations: mapKeys(child(template, 'f:metadata', 'f:annotations')),
    volumes: listNames(child(template, 'f:spec', 'f:volumes')),
  };
}

/** Labels meshdoor's applies own on an object's own metadata (the gateway namespace). */
export function ownedLabels(meta: V1ObjectMeta | undefined): Set<string> {
  return mapKeys(child(ownFields(meta), 'f:metadata', 'f:labels'));
}

function keySet(keys: Iterable<string>): FieldSet {
  return Object.fromEntries([...keys].map((k) => [`f:${k}`, {}]));
}

/** The managedFields an apply of these template keys leaves (what the API server records). */
export function templateFieldSet(keys: { labels: Iterable<string>; annotations: Iterable<string>; volumes: Iterable<string> }): FieldSet {
  const volumes = Object.fromEntries([...keys.volumes].map((name) => [`k:${JSON.stringify({ name })}`, { '.': {}, 'f:name': {} }]));
  return {
    'f:spec': {
      'f:template': {
        'f:metadata': { 'f:labels': keySet(keys.labels), 'f:annotations': keySet(keys.annotations) },
        ...(Object.keys(volumes).length > 0 ? { 'f:spec': { 'f:volumes': volumes } } : {}),
      },
    },
  };
}

/**
 * Earlier meshdoor versions wrote the Kuma keys with JSON merge patches, which
 * the API server records under meshdoor's `Update` entry. A key owned there
 * survives meshdoor's applies, so a key meshdoor stops wanting would never be
 * removed. This moves those keys (only those) into meshdoor's `Apply` entry,
 * as client-go's csaupgrade does; undefined when there is nothing to move.
 */
export function migrateLegacyOwnership(entries: readonly V1ManagedFieldsEntry[] | undefined, keys: { labels: readonly string[]; annotations: readonly string[] }): V1ManagedFieldsEntry[] | undefined {
  const legacy = entries?.find((e) => e.manager === FIELD_MANAGER && e.operation === 'Update');
  const meta = child(legacy?.fieldsV1 as FieldSet | undefined, 'f:spec', 'f:template', 'f:metadata');
  const moved = {
    labels: keys.labels.filter((k) => child(meta, 'f:labels')?.[`f:${k}`] !== undefined),
    annotations: keys.annotations.filter((k) => child(meta, 'f:annotations')?.[`f:${k}`] !== undefined),
  };
  if (!legacy || !meta || moved.labels.length + moved.annotations.length === 0) return undefined;
  const stripped = structuredClone(legacy.fieldsV1 as FieldSet);
  const strippedMeta = child(stripped, 'f:spec', 'f:template', 'f:metadata');
  for (const k of moved.labels) delete child(strippedMeta, 'f:labels')?.[`f:${k}`];
  for (const k of moved.annotations) delete child(strippedMeta, 'f:annotations')?.[`f:${k}`];
  const own = entries?.find(isOwnApplyEntry);
  const owned = ownedTemplateKeys({ managedFields: own ? [own] : [] });
  const applied = templateFieldSet({
    labels: new Set([...owned.labels, ...moved.labels]), annotations: new Set([...owned.annotations, ...moved.annotations]), volumes: owned.volumes,
  });
  return (entries ?? []).filter((e) => e !== own).map((e) => (e === legacy ? { ...e, fieldsV1: stripped } : e)).concat([{
    manager: FIELD_MANAGER, operation: 'Apply', apiVersion: legacy.apiVersion ?? 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: applied,
    ...(legacy.time ? { time: legacy.time } : {}),
  }]);
}
