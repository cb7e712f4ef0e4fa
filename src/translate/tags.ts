// Kong tags linking every entity to its source object (kic.md §1.1), so Kong's
// per-entity errors can be mapped back, plus meshdoor's ownership tag.
import { OWNERSHIP_TAG } from '../kong/declarative.ts';
import { compareStrings, KIND_API } from './objects.ts';
import type { KubeObject } from './objects.ts';

type TaggedKind = keyof typeof KIND_API;

// Objects are replaced, never mutated: build each object's tags once. Callers
// get their own array (shared arrays would become YAML aliases in decK output).
const built: Record<TaggedKind, WeakMap<KubeObject, readonly string[]>> = {
  Ingress: new WeakMap(), Service: new WeakMap(), Secret: new WeakMap(),
};

export function tagsFor(kind: TaggedKind, obj: KubeObject): string[] {
  let tags = built[kind].get(obj);
  if (tags === undefined) {
    tags = buildTags(kind, obj);
    built[kind].set(obj, tags);
  }
  return [...tags];
}

function buildTags(kind: TaggedKind, obj: KubeObject): string[] {
  const meta = obj.metadata ?? {};
  const { group, version } = KIND_API[kind];
  const tags = [
    `k8s-name:${meta.name ?? ''}`,
    `k8s-namespace:${meta.namespace ?? ''}`,
    `k8s-kind:${kind}`,
    `k8s-version:${version}`,
    OWNERSHIP_TAG,
  ];
  if (meta.uid) tags.push(`k8s-uid:${meta.uid}`);
  if (group) tags.push(`k8s-group:${group}`);
  return tags.sort(compareStrings);
}
