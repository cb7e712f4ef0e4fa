// Kong tags linking every entity to its source object (docs/kic-compatibility.md#tags), so Kong's
// per-entity errors can be mapped back, plus meshdoor's ownership tag. KIC's
// k8s-group and k8s-version tags are left out: they are the same for every
// object of a kind, and they were a tenth of a DB-less /config body.
import { OWNERSHIP_TAG } from '../model/index.ts';
import type { KeyedRef, KeyedRefs, KubeObject } from './objects.ts';

import { TRANSLATED_KINDS } from './sources/index.ts';
import type { ObjectKind, ObjectRef } from './types.ts';

type TaggedKind = ObjectKind;

/** Each object's tags, built once: objects are replaced, never mutated. */
export class ObjectTags {
  /** `refs`: the translator's object refs, which keep each object's tags. */
  constructor(private readonly refs: KeyedRefs) {}

  of(kind: TaggedKind, obj: KubeObject): readonly string[] {
    return this.ofRef(this.refs.of(kind, obj));
  }

  /**
   * One frozen array per object ref, shared by every entity made from it (YAML
   * output writes no aliases): no copy per route, nothing left to freeze.
   */
  ofRef(keyed: KeyedRef): readonly string[] {
    keyed.tags ??= Object.freeze(buildTags(keyed.ref));
    return keyed.tags;
  }
}

// One string per kind, not one per object.
const KIND_TAGS: ReadonlyMap<TaggedKind, string> = new Map(TRANSLATED_KINDS.map((k) => [k.kind, `k8s-kind:${k.kind}`]));

// Built in sorted order without sorting (a sort per object was a tenth of the
// tags' cost): the prefixes decide the order whatever the values, and the
// ownership tag sorts after every k8s- tag.
function buildTags(ref: ObjectRef): string[] {
  const kindTag = KIND_TAGS.get(ref.kind) ?? `k8s-kind:${ref.kind}`;
  const name = `k8s-name:${ref.name}`;
  const namespace = `k8s-namespace:${ref.namespace ?? ''}`;
  // Literals of the exact length: an array grown by push keeps spare slots for life.
  return ref.uid ? [kindTag, name, namespace, `k8s-uid:${ref.uid}`, OWNERSHIP_TAG] : [kindTag, name, namespace, OWNERSHIP_TAG];
}
