// What the gateway Deployment as applied tells Kong about its Admin API
// listener: the KONG_ADMIN_* / KONG_NGINX_ADMIN_* environment, and which keys of
// which Secret the certificate paths resolve to through the volume mounts. The
// mutual-TLS scenario runs the Kong double with exactly these settings.
import type { V1Deployment } from '@kubernetes/client-node';

export interface AdminListenerSettings {
  /** `admin_listen` entries, e.g. `0.0.0.0:8444 ssl`. */
  listen: string[];
  /** `nginx_admin_ssl_verify_client`. */
  verifyClient: string | undefined;
  secretName: string;
  /** Secret keys behind admin_ssl_cert, admin_ssl_cert_key and nginx_admin_ssl_client_certificate. */
  certKey: string;
  keyKey: string;
  clientCaKey: string | undefined;
}

function resolveSecretKey(deployment: V1Deployment, container: string, file: string): { secret: string; key: string } {
  const spec = deployment.spec?.template.spec;
  const mounts = spec?.containers.find((c) => c.name === container)?.volumeMounts ?? [];
  const mount = mounts.find((m) => file.startsWith(`${m.mountPath.replace(/\/$/, '')}/`));
  if (!mount) throw new Error(`${file} is on no volume mount of container ${container}`);
  const volume = spec?.volumes?.find((v) => v.name === mount.name);
  const secret = volume?.secret?.secretName;
  if (!secret) throw new Error(`${file}: volume ${mount.name} is not a Secret`);
  const relative = file.slice(mount.mountPath.replace(/\/$/, '').length + 1);
  const key = volume.secret?.items?.find((i) => i.path === relative)?.key ?? relative;
  return { secret, key };
}

export function adminListenerSettings(deployment: V1Deployment, container = 'proxy'): AdminListenerSettings {
  const env = new Map((deployment.spec?.template.spec?.containers.find((c) => c.name === container)?.env ?? []).map((e) => [e.name, e.value ?? '']));
  const need = (name: string): string => {
    const value = env.get(name);
    if (value === undefined) throw new Error(`${name} is not set on container ${container}`);
    return value;
  };
  const cert = resolveSecretKey(deployment, container, need('KONG_ADMIN_SSL_CERT'));
  const key = resolveSecretKey(deployment, container, need('KONG_ADMIN_SSL_CERT_KEY'));
  const caFile = env.get('KONG_NGINX_ADMIN_SSL_CLIENT_CERTIFICATE');
  const ca = caFile === undefined ? undefined : resolveSecretKey(deployment, container, caFile);
  if (key.secret !== cert.secret || (ca && ca.secret !== cert.secret)) throw new Error('the admin certificate files come from different Secrets');
  return {
    listen: need('KONG_ADMIN_LISTEN').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    verifyClient: env.get('KONG_NGINX_ADMIN_SSL_VERIFY_CLIENT'),
    secretName: cert.secret, certKey: cert.key, keyKey: key.key, clientCaKey: ca?.key,
  };
}
