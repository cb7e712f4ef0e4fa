// Tags linking each plugin, consumer and credential entity to the object it
// came from, as the translator tags services and routes (k8s-name,
// k8s-namespace, k8s-kind, k8s-uid, and meshdoor's ownership tag), so Kong's
// per-entity rejections map back to the object. Cluster-scoped objects have
// no namespace tag.
import { OWNERSHIP_TAG } from '../kong/index.ts';
import type { PluginObjectRef } from './failures.ts';

export function tagsOf(ref: PluginObjectRef): string[] {
  const tags = [`k8s-name:${ref.name}`, `k8s-kind:${ref.kind}`, OWNERSHIP_TAG];
  if (ref.namespace) tags.push(`k8s-namespace:${ref.namespace}`);
  if (ref.uid) tags.push(`k8s-uid:${ref.uid}`);
  return tags.sort();
}
