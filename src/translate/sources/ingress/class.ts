// Which Ingresses this bridge serves (docs/kic-compatibility.md#ingress-classes), and whether
// its class is its own: a class whose IngressClass names another controller
// (say the Kong Ingress Controller's `kong`) is never served.
import type { V1Ingress, V1IngressClass } from '@kubernetes/client-node';
import type { SnapshotIndex } from '../../snapshot-index.ts';

export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/** The class a bridge serves: its name and the IngressClass `spec.controller` it owns. */
export interface ClassOwnership {
  ingressClass: string;
  controllerName: string;
}

type ClassLookup = Pick<SnapshotIndex, 'lookupIngressClass'>;

/**
 * Why the configured class is not this bridge's, or undefined when it is: an
 * IngressClass of that name that names another controller. A class with no
 * IngressClass object is served by name (offline manifests often leave it out).
 */
export function classOwnershipProblem(own: ClassOwnership, index: ClassLookup): string | undefined {
  const found: V1IngressClass | undefined = index.lookupIngressClass(own.ingressClass);
  const controller = found?.spec?.controller;
  if (!found || controller === own.controllerName) return undefined;
  return `IngressClass ${own.ingressClass} belongs to controller ${controller ?? '(none)'}, not ${own.controllerName}: `
    + `none of its Ingresses are served. Give meshdoor its own class (MeshDoor spec.ingressClass, e.g. meshdoor, `
    + `with an IngressClass whose spec.controller is ${own.controllerName}), or set spec.controllerName if that controller is meshdoor`;
}

/**
 * True when the Ingress belongs to this bridge: the legacy annotation decides
 * when it is non-empty (only the configured class name), else
 * spec.ingressClassName; a class-less Ingress only when the own IngressClass is
 * marked as the cluster default. Never when the class is owned by another controller.
 */
export function isIngressServed(ingress: V1Ingress, own: ClassOwnership, index: ClassLookup): boolean {
  const legacy = ingress.metadata?.annotations?.[LEGACY_CLASS_ANNOTATION];
  const className = legacy || ingress.spec?.ingressClassName;
  if (className) return className === own.ingressClass && classOwnershipProblem(own, index) === undefined;
  const ownClass = index.lookupIngressClass(own.ingressClass);
  return ownClass?.spec?.controller === own.controllerName && ownClass.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true';
}

/**
 * KongConsumers and global KongClusterPlugins follow the Ingress class rule
 * through their `kubernetes.io/ingress.class` annotation alone (as the Kong
 * Ingress Controller does): that class, or none when meshdoor's is the default.
 */
export function isClassAnnotationServed(obj: { metadata?: { annotations?: Record<string, string> } }, own: ClassOwnership, index: ClassLookup): boolean {
  return isIngressServed({ metadata: { annotations: obj.metadata?.annotations ?? {} } }, own, index);
}
