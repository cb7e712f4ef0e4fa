// The kinds source objects refer to: read and looked up, never translated on their own.
import type { ReferencedKind } from './kind.ts';

const LIST_WATCH = ['list', 'watch'] as const;

export const REFERENCED_KINDS: readonly ReferencedKind[] = [
  {
    kind: 'IngressClass', apiVersion: 'networking.k8s.io/v1', resource: 'ingressclasses', namespaced: false, watchRole: 'ingressClasses',
    rbac: [{ apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: LIST_WATCH }],
    lookedUpBy: 'name: spec.ingressClassName of an Ingress',
  },
  {
    kind: 'Service', apiVersion: 'v1', resource: 'services', namespaced: true, watchRole: 'services',
    rbac: [{ apiGroups: [''], resources: ['services'], verbs: LIST_WATCH }],
    lookedUpBy: 'namespace and name: a backend of a source object',
  },
  {
    kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', resource: 'endpointslices', namespaced: true, watchRole: 'endpointSlices',
    rbac: [{ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: LIST_WATCH }],
    lookedUpBy: 'the kubernetes.io/service-name label: the endpoints of a backend Service',
  },
  {
    kind: 'Secret', apiVersion: 'v1', resource: 'secrets', namespaced: true, watchRole: 'secrets',
    rbac: [{ apiGroups: [''], resources: ['secrets'], verbs: LIST_WATCH }],
    lookedUpBy: 'namespace and name: a TLS section of a source object',
  },
  {
    kind: 'KongPlugin', apiVersion: 'configuration.konghq.com/v1', resource: 'kongplugins', namespaced: true, watchRole: 'kongPlugins',
    rbac: [{ apiGroups: ['configuration.konghq.com'], resources: ['kongplugins'], verbs: LIST_WATCH }],
    lookedUpBy: 'namespace and name: the konghq.com/plugins annotation of an Ingress, a Service or a KongConsumer',
  },
  {
    kind: 'KongClusterPlugin', apiVersion: 'configuration.konghq.com/v1', resource: 'kongclusterplugins', namespaced: false, watchRole: 'kongClusterPlugins',
    rbac: [{ apiGroups: ['configuration.konghq.com'], resources: ['kongclusterplugins'], verbs: LIST_WATCH }],
    lookedUpBy: 'name: the konghq.com/plugins annotation, or the label global: "true" (every route)',
  },
  {
    kind: 'KongConsumer', apiVersion: 'configuration.konghq.com/v1', resource: 'kongconsumers', namespaced: true, watchRole: 'kongConsumers',
    rbac: [{ apiGroups: ['configuration.konghq.com'], resources: ['kongconsumers'], verbs: LIST_WATCH }],
    lookedUpBy: 'all of them: each is a Kong consumer with its credentials',
  },
];
