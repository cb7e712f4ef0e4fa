// The kinds meshdoor reads, in order: one line per kind. A new source kind is
// its folder here, one line in SOURCE_KINDS, its RBAC and its CRD.
import type { V1Ingress } from '@kubernetes/client-node';
import { INGRESS_SOURCE } from './ingress/index.ts';
import type { KindDescription, SourceKind } from './kind.ts';
import { REFERENCED_KINDS } from './referenced.ts';

export type { KindDescription, RbacRule, ReferencedKind, SourceKind } from './kind.ts';
export { REFERENCED_KINDS } from './referenced.ts';
export * from './ingress/index.ts';

/**
 * Translated kinds, in the order their objects are planned. Typed by the
 * shared form, which still carries the Ingress it came from (plans.ts).
 */
export const SOURCE_KINDS: readonly SourceKind<V1Ingress, 'Ingress'>[] = [INGRESS_SOURCE];

/** Every kind the translator reads: source kinds, then referenced ones. */
export const TRANSLATED_KINDS: readonly KindDescription[] = [...SOURCE_KINDS, ...REFERENCED_KINDS];
