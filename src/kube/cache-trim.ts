// What the watch caches keep of an object: all of it except two pieces of
// bookkeeping that real clusters attach to nearly every object and that the
// controller never reads. `metadata.managedFields` (server-side apply) is often
// larger than the spec; kubectl's last-applied-configuration annotation is a
// JSON copy of the whole object. controller-runtime's caches drop managedFields
// the same way.
//
// Safe because no cached object is ever written back whole: Ingress and
// MeshDoor status are JSON merge patches and the gateway's pod-template keys
// and namespace label are server-side applies, each naming only its own
// fields, so the server keeps both; the Lease is read and replaced outside the
// caches. The one managedFields entry kept is meshdoor's own apply: it tells
// which keys meshdoor owns, so it can remove those it no longer wants.
import type { KubernetesObject, V1ManagedFieldsEntry, V1ObjectMeta } from '@kubernetes/client-node';
import { FIELD_MANAGER } from './kube-writer.ts';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

function withoutLastApplied(annotations: Record<string, string>): Record<string, string> | undefined {
  const { [LAST_APPLIED_ANNOTATION]: _dropped, ...rest } = annotations;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

function ownApplyEntries(entries: V1ManagedFieldsEntry[] | undefined): V1ManagedFieldsEntry[] | undefined {
  const own = entries?.filter((e) => e.manager === FIELD_MANAGER && e.operation === 'Apply');
  return own && own.length > 0 ? own : undefined;
}

/**
 * `obj` without managedFields (but meshdoor's own apply entry) and the
 * last-applied annotation in its own metadata (not in nested templates): a new
 * object sharing everything else with `obj`, or `obj` itself when it holds
 * neither. Never edits `obj`: the caller may hold it frozen or share it.
 */
export function trimForCache<T extends KubernetesObject>(obj: T): T {
  const meta = obj.metadata;
  const annotations = meta?.annotations;
  const lastApplied = annotations !== undefined && LAST_APPLIED_ANNOTATION in annotations;
  if (!meta || (meta.managedFields === undefined && !lastApplied)) return obj;
  const { managedFields: _managed, annotations: _annotations, ...rest } = meta;
  const kept = annotations && lastApplied ? withoutLastApplied(annotations) : annotations;
  const own = ownApplyEntries(meta.managedFields);
  const trimmed: V1ObjectMeta = { ...rest, ...(kept ? { annotations: kept } : {}), ...(own ? { managedFields: own } : {}) };
  return { ...obj, metadata: trimmed };
}
