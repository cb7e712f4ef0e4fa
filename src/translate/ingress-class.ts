// Which Ingresses this bridge serves (kic.md §2 "IngressClass").
import type { V1Ingress } from '@kubernetes/client-node';
import type { SnapshotIndex } from './snapshot-index.ts';

export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/**
 * True when the Ingress belongs to `ingressClass`: the legacy annotation decides
 * when it is non-empty, else spec.ingressClassName; a class-less Ingress only
 * when the IngressClass of that name is marked as the cluster default.
 */
export function isIngressServed(ingress: V1Ingress, ingressClass: string, index: SnapshotIndex): boolean {
  const legacy = ingress.metadata?.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (legacy) return legacy === ingressClass;
  const className = ingress.spec?.ingressClassName;
  if (className) return className === ingressClass;
  const ownClass = index.lookupIngressClass(ingressClass);
  return ownClass?.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true';
}
