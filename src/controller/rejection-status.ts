// Kong rejections remembered per entity content ↔ their form in the MeshDoor
// status, so a restarted controller leaves them out before its first POST.
import type { RememberedRejection } from '../kong/index.ts';
import { isFailureReason, type ObjectKind } from '../model/index.ts';
import { TRANSLATED_KINDS } from '../translate/index.ts';
import type { KongRejectionEntry } from './meshdoor-status.ts';

const MAX_IN_STATUS = 50;
const MAX_MESSAGE = 1024;
const KINDS: readonly ObjectKind[] = [...TRANSLATED_KINDS.map((k) => k.kind), 'MeshDoor'];

export function rejectionsToStatus(entries: readonly RememberedRejection[]): KongRejectionEntry[] {
  return entries.slice(0, MAX_IN_STATUS).map((e) => ({
    entity: e.entity, digest: e.digest, exclude: e.exclude.slice(0, 64),
    ...(e.kongVersion !== undefined ? { kongVersion: e.kongVersion } : {}),
    kind: e.failure.object.kind, name: e.failure.object.name,
    ...(e.failure.object.namespace ? { namespace: e.failure.object.namespace } : {}),
    ...(e.failure.object.uid ? { uid: e.failure.object.uid } : {}),
    reason: e.failure.reason, message: e.failure.message.slice(0, MAX_MESSAGE),
  })).sort((a, b) => (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : a.digest < b.digest ? -1 : 1));
}

/** Entries read back from a status; malformed ones are skipped (the status is not trusted blindly). */
export function rejectionsFromStatus(status: unknown): RememberedRejection[] {
  const list = (status as { kongRejections?: unknown } | undefined)?.kongRejections;
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw: unknown): RememberedRejection[] => {
    const e = raw as Partial<KongRejectionEntry>;
    const kind = KINDS.find((k) => k === e.kind);
    if (typeof e.entity !== 'string' || typeof e.digest !== 'string' || !Array.isArray(e.exclude) || !kind || typeof e.name !== 'string') return [];
    return [{
      entity: e.entity, digest: e.digest, exclude: e.exclude.filter((k): k is string => typeof k === 'string'),
      ...(typeof e.kongVersion === 'string' ? { kongVersion: e.kongVersion } : {}),
      failure: {
        object: { kind, name: e.name, ...(e.namespace ? { namespace: e.namespace } : {}), ...(e.uid ? { uid: e.uid } : {}) },
        reason: isFailureReason(e.reason) ? e.reason : 'KongRejected', message: e.message ?? '',
      },
    }];
  });
}
