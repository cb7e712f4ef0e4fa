// The translator's input, read from the watch caches, and a cheap fingerprint
// of what the translator reads (not status, not bookkeeping metadata), so an
// unchanged snapshot — including our own status writes — causes no Kong traffic.
import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import { TRANSLATED_KINDS, type Snapshot } from '../translate/index.ts';
import type { WatchSet } from '../kube/index.ts';

/** Every kind the translator reads, from the watches of its role (the registry's order). */
export function buildSnapshot(watches: Pick<WatchSet, 'list'>): Snapshot {
  // Each kind's watches are of its resource: the role holds objects of the kind's type.
  return Object.fromEntries(TRANSLATED_KINDS.map((k) => [k.kind, watches.list(k.watchRole)])) as unknown as Snapshot;
}

// Objects are replaced, never mutated, in the store: cache one digest per object.
const digests = new WeakMap<object, string>();

function contentDigest(obj: KubernetesObject): string {
  let digest = digests.get(obj);
  if (digest === undefined) {
    const { status: _status, metadata, ...rest } = obj as KubernetesObject & { status?: unknown };
    const { resourceVersion: _rv, managedFields: _mf, generation: _gen, ...meta } = metadata ?? {};
    digest = createHash('sha1').update(JSON.stringify([meta, rest])).digest('base64');
    digests.set(obj, digest);
  }
  return digest;
}

// A list handed out again (nothing of that kind changed) has the digest it had.
const listDigests = new WeakMap<readonly KubernetesObject[], string>();

function listDigest(items: readonly KubernetesObject[]): string {
  let digest = listDigests.get(items);
  if (digest === undefined) {
    const hash = createHash('sha256');
    for (const item of items) hash.update(`${item.metadata?.namespace ?? ''}/${item.metadata?.name ?? ''}@${contentDigest(item)}\n`);
    digest = hash.digest('base64');
    listDigests.set(items, digest);
  }
  return digest;
}

/** Changes whenever an object the translator reads is added, removed or modified (status excluded). */
export function snapshotFingerprint(snapshot: Snapshot): string {
  const lists = TRANSLATED_KINDS.map((kind) => listDigest(snapshot[kind.kind]));
  return createHash('sha256').update(lists.join('\n')).digest('hex');
}
