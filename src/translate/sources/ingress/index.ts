// The Ingress source kind (networking.k8s.io/v1).
import type { V1Ingress } from '@kubernetes/client-node';
import type { SourceKind } from '../kind.ts';
import { isIngressServed } from './class.ts';
import { planIngress } from './rules.ts';

export {
  classOwnershipProblem, DEFAULT_CLASS_ANNOTATION, isClassAnnotationServed, isIngressServed, LEGACY_CLASS_ANNOTATION,
} from './class.ts';
export type { ClassOwnership } from './class.ts';
export { planIngress, resolveIngressBackend } from './rules.ts';

export const INGRESS_SOURCE: SourceKind<V1Ingress, 'Ingress'> = {
  kind: 'Ingress',
  apiVersion: 'networking.k8s.io/v1',
  resource: 'ingresses',
  namespaced: true,
  watchRole: 'ingresses',
  rbac: [
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['list', 'watch'] },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['patch'] },
  ],
  status: 'loadBalancer',
  isOwn: isIngressServed,
  isServed: (ctx, ingress) => Boolean(ingress.metadata?.name) && !ctx.isExcluded('Ingress', ingress) && isIngressServed(ingress, ctx.settings, ctx.index),
  plan: planIngress,
};
