// Kong tags linking every entity to its source object (kic.md §1.1), so Kong's
// per-entity errors can be mapped back, plus meshdoor's ownership tag. KIC's
// k8s-group and k8s-version tags are left out: they are the same for every
// object of a kind, and they were a tenth of a DB-less /config body.
import { OWNERSHIP_TAG } from '../kong/declarative.ts';
import { compareStrings } from './objects.ts';
import type { KubeObject } from './objects.ts';

type TaggedKind = 'Ingress' | 'Service' | 'Secret';

/** Each object's tags, built once: objects are replaced, never mutated. */
export class ObjectTags {
  private readonly built: Record<TaggedKind, WeakMap<KubeObject, readonly string[]>> = {
    Ingress: new WeakMap(), Service: new WeakMap(), Secret: new WeakMap(),
  };

  /** Callers get their own array (shared arrays would become YAML aliases in decK output). */
  of(kind: TaggedKind, obj: KubeObject): string[] {
    let tags = this.built[kind].get(obj);
    if (tags === undefined) {
      tags = buildTags(kind, obj);
      this.built[kind].set(obj, tags);
    }
    return [...tags];
  }
}

// One string per kind, not one per object.
const KIND_TAGS: Record<TaggedKind, string> = { Ingress: 'k8s-kind:Ingress', Service: 'k8s-kind:Service', Secret: 'k8s-kind:Secret' };

function buildTags(kind: TaggedKind, obj: KubeObject): string[] {
  const meta = obj.metadata ?? {};
  const tags = [
    `k8s-name:${meta.name ?? ''}`,
    `k8s-namespace:${meta.namespace ?? ''}`,
    KIND_TAGS[kind],
    OWNERSHIP_TAG,
  ];
  if (meta.uid) tags.push(`k8s-uid:${meta.uid}`);
  return tags.sort(compareStrings);
}
