// The bookkeeping a real API server holds for an object created with `kubectl
// apply`: the last-applied-configuration annotation (the manifest as JSON) and
// a managedFields entry listing every field the manifest set. Generated objects
// carry it when a workload should model a real cluster's watch payloads.
import type { KubernetesObject, V1ManagedFieldsEntry, V1ObjectMeta } from '@kubernetes/client-node';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The FieldsV1 set of a manifest: `f:<key>` per field, `.` for a map that is itself owned. */
function fieldsOf(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) return {};
  const fields: Record<string, unknown> = { '.': {} };
  for (const [key, child] of Object.entries(value)) fields[`f:${key}`] = fieldsOf(child);
  return fields;
}

function manifestOf(obj: KubernetesObject): KubernetesObject {
  const { uid: _uid, resourceVersion: _rv, generation: _gen, creationTimestamp: _created, ...metadata } = obj.metadata ?? {};
  const { status: _status, ...rest } = obj as KubernetesObject & { status?: unknown };
  return { ...rest, metadata };
}

/** `obj` with the annotation and managedFields kubectl apply leaves (a new object; `obj` is not changed). */
export function withKubectlApplyMetadata<T extends KubernetesObject>(obj: T): T {
  const manifest = manifestOf(obj);
  const annotations = { ...obj.metadata?.annotations, [LAST_APPLIED]: `${JSON.stringify(manifest)}\n` };
  // Name and namespace identify the object; managedFields do not list them.
  const { apiVersion: _v, kind: _k, metadata: { name: _n, namespace: _ns, ...owned } = {}, ...body } = manifest as KubernetesObject & Record<string, unknown>;
  const { '.': _root, ...fields } = fieldsOf({ ...body, metadata: { ...owned, annotations } });
  const managed: V1ManagedFieldsEntry = {
    manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: obj.apiVersion ?? 'v1',
    time: obj.metadata?.creationTimestamp ?? new Date(0), fieldsType: 'FieldsV1', fieldsV1: fields,
  };
  const metadata: V1ObjectMeta = { ...obj.metadata, annotations, managedFields: [managed] };
  return { ...obj, metadata };
}
