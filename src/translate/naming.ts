// Kong entity names, KIC-compatible (docs/kic-compatibility.md#names), so users migrating from the
// Kong Ingress Controller recognise their configuration. Joined, not templated:
// join makes one flat string, where a template chains a node per part that is
// copied flat again when the name is first hashed (every name is a map key).
import { hostNameSegment } from './hosts.ts';

/** Kong service: `<ns>.<svc>.<port>`, port as written in the Ingress (number or name). */
export function kongServiceName(namespace: string, service: string, port: string): string {
  return [namespace, service, port].join('.');
}

/** Upstream (and the Kong service host pointing at it): `<svc>.<ns>.<port>.svc`. */
export function upstreamName(namespace: string, service: string, port: string): string {
  return `${service}.${namespace}.${port}.svc`;
}

/** Route: `<ns>.<ingress>.<svc>.<host>.<port>`; an empty host leaves an empty segment. */
export function kongRouteName(parts: { namespace: string; ingress: string; service: string; host: string; port: string }): string {
  return [parts.namespace, parts.ingress, parts.service, hostNameSegment(parts.host), parts.port].join('.');
}

/** The route serving an Ingress's spec.defaultBackend. */
export function defaultBackendRouteName(namespace: string, ingress: string): string {
  return `${namespace}.${ingress}`;
}
