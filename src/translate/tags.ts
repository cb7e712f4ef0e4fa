// Kong tags linking every entity to its source object (kic.md §1.1), so Kong's
// per-entity errors can be mapped back, plus meshdoor's ownership tag.
import { OWNERSHIP_TAG } from '../kong/declarative.ts';
import { compareStrings, KIND_API } from './objects.ts';
import type { KubeObject } from './objects.ts';

export function tagsFor(kind: keyof typeof KIND_API, obj: KubeObject): string[] {
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
