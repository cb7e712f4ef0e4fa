// Manifests the scenarios apply: an Ingress routing `<name>.example.com/` to a Service.

export interface HostIngress {
  name: string;
  namespace: string;
  service: string;
  /** Extra YAML lines under `metadata:` (indented two spaces), e.g. annotations. */
  metadataExtra?: string;
  /** Default `<name>.example.com`. */
  host?: string;
  /** A Prefix path; default `/`. */
  path?: string;
}

export function hostIngressYaml(ingress: HostIngress): string {
  return `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${ingress.name}
  namespace: ${ingress.namespace}
${ingress.metadataExtra ?? ''}
spec:
  ingressClassName: kong
  rules:
    - host: ${ingress.host ?? `${ingress.name}.example.com`}
      http:
        paths:
          - { path: ${ingress.path ?? '/'}, pathType: Prefix, backend: { service: { name: ${ingress.service}, port: { number: 80 } } } }
`;
}
