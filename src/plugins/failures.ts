// Failures of plugin and consumer translation, as data: the object at fault,
// a reason from a closed set, and a message naming the field and the fix.
// Same shape as the translator's failures, with the kinds this module adds.

export type PluginObjectKind = 'KongPlugin' | 'KongClusterPlugin' | 'KongConsumer' | 'Secret' | 'Ingress' | 'Service';

export interface PluginObjectRef {
  kind: PluginObjectKind;
  namespace?: string;
  name: string;
  uid?: string;
}

export type PluginFailureReason =
  /** The referred KongPlugin / KongClusterPlugin does not exist. */
  | 'PluginNotFound'
  /** A `<namespace>:<name>` reference to another namespace's KongPlugin. */
  | 'PluginWrongNamespace'
  /** The resource itself is malformed (no `plugin`, config and configFrom both set, ...). */
  | 'InvalidPlugin'
  /** A Secret or a key of it named by configFrom / configPatches is missing. */
  | 'PluginSecretMissing'
  /** The configuration Kong would refuse (schema or structural check). */
  | 'InvalidPluginConfig'
  /** Two references put the same Kong plugin on one route, service or consumer. */
  | 'DuplicatePlugin'
  | 'InvalidConsumer'
  /** Two KongConsumers with one username or custom_id, or two credentials with one key. */
  | 'ConsumerConflict'
  | 'CredentialSecretMissing'
  | 'InvalidCredential';

export interface PluginFailure {
  object: PluginObjectRef;
  reason: PluginFailureReason;
  message: string;
}

export function refOf(kind: PluginObjectKind, metadata: { name?: string; namespace?: string; uid?: string } | undefined): PluginObjectRef {
  const ref: PluginObjectRef = { kind, name: metadata?.name ?? '' };
  if (metadata?.namespace) ref.namespace = metadata.namespace;
  if (metadata?.uid) ref.uid = metadata.uid;
  return ref;
}

/** `KongPlugin shop/rl`, `KongClusterPlugin cors`. */
export function describeRef(ref: Pick<PluginObjectRef, 'kind' | 'namespace' | 'name'>): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}
