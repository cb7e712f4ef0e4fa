// PURE: whether Kuma's kuma-sidecar gets a ServiceAccount token. kuma-dp reads
// it from the default token path and exits at start without one. Kuma mounts a
// token into the sidecar only when the pod-template annotation
// `kuma.io/service-account-token-volume` names a token volume, or else when an
// app container mounts the default token path (ServiceAccount automount).
import type { V1Container, V1PodSpec, V1PodTemplateSpec, V1Volume } from '@kubernetes/client-node';
import { INIT_CONTAINER, SIDECAR_CONTAINER } from './kuma-names.ts';

export const TOKEN_VOLUME_ANNOTATION = 'kuma.io/service-account-token-volume';
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The volume meshdoor adds when the MeshDoor asks it to manage the template's token volume. */
export const MANAGED_TOKEN_VOLUME = 'kuma-sidecar-token';

/** A projected ServiceAccount token volume laid out like the default one (token, ca.crt, namespace). */
export function tokenVolume(name: string): V1Volume {
  return {
    name,
    projected: {
      sources: [
        { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

function holdsToken(volume: V1Volume): boolean {
  return Boolean(volume.secret) || (volume.projected?.sources ?? []).some((s) => s.serviceAccountToken !== undefined);
}

function mountsTokenPath(container: V1Container): boolean {
  return (container.volumeMounts ?? []).some((m) => m.mountPath.replace(/\/+$/, '') === TOKEN_MOUNT_PATH);
}

function appContainers(spec: V1PodSpec | undefined): V1Container[] {
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].filter((c) => c.name !== SIDECAR_CONTAINER && c.name !== INIT_CONTAINER);
}

/** What to add so the sidecar gets a token; part of every token problem's message. */
export const TOKEN_FIX = `add a projected ServiceAccount token volume to spec.template.spec.volumes `
  + `(name: ${MANAGED_TOKEN_VOLUME}, projected.sources: [serviceAccountToken: {path: token}]) and the annotation `
  + `${TOKEN_VOLUME_ANNOTATION}: ${MANAGED_TOKEN_VOLUME} to spec.template.metadata.annotations (Kuma then mounts the token `
  + `into the sidecar only, not into Kong), or set spec.gateway.manageTokenVolume: true on the MeshDoor to have meshdoor add both`;

/** Why the sidecar Kuma injects into pods of this template would get no token; undefined when it gets one. */
export function templateTokenProblem(template: V1PodTemplateSpec | undefined): string | undefined {
  const named = template?.metadata?.annotations?.[TOKEN_VOLUME_ANNOTATION];
  const volumes = template?.spec?.volumes ?? [];
  if (named !== undefined) {
    const volume = volumes.find((v) => v.name === named);
    if (!volume) return `annotation ${TOKEN_VOLUME_ANNOTATION}: "${named}" names no volume of the pod template; ${TOKEN_FIX}`;
    if (!holdsToken(volume)) return `volume "${named}" named by ${TOKEN_VOLUME_ANNOTATION} holds no ServiceAccount token (it needs a projected serviceAccountToken source); ${TOKEN_FIX}`;
    return undefined;
  }
  if (appContainers(template?.spec).some(mountsTokenPath)) return undefined;
  // Automount puts the default token mount into the app containers before
  // Kuma's webhook runs, and Kuma copies that mount into the sidecar.
  if (template?.spec?.automountServiceAccountToken !== false) return undefined;
  return `the pod template sets automountServiceAccountToken: false and names no token volume, so Kuma's kuma-sidecar gets no ServiceAccount token and kuma-dp exits at start; ${TOKEN_FIX}`;
}

/** The kuma-sidecar of an injected pod has no mount at the default token path. */
export function podSidecarLacksToken(spec: V1PodSpec | undefined): boolean {
  const sidecar = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].find((c) => c.name === SIDECAR_CONTAINER);
  return sidecar !== undefined && !mountsTokenPath(sidecar);
}
