// client-node makes a new undici Agent for every request it sends (each API
// call and each watch), so none reuses a connection: every one pays a TCP and
// TLS handshake, with a new TLS context and no session resumption. At 10k
// objects that is hundreds of handshakes at start (a watch per namespace of
// TLS Secrets) and one per status write. The dispatcher is kept per set of
// connection settings instead: requests share its keep-alive pool, new
// connections resume TLS sessions. Other settings (a rotated client
// certificate) get their own.
import { createHash } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';

type CreateDispatcher = (cluster: unknown, agentOptions: Record<string, unknown>) => unknown;

/** The agent options client-node builds a dispatcher from (certificates and keys as given). */
const CONNECTION_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

function settingsKey(cluster: unknown, agentOptions: Record<string, unknown>): string {
  const hash = createHash('sha256');
  const { server, proxyUrl, skipTLSVerify } = (cluster ?? {}) as { server?: string; proxyUrl?: string; skipTLSVerify?: boolean };
  hash.update(JSON.stringify([server, proxyUrl, skipTLSVerify]));
  for (const field of CONNECTION_FIELDS) {
    const value = agentOptions[field];
    hash.update(`\0${field}=`);
    if (Buffer.isBuffer(value) || typeof value === 'string') hash.update(value);
    else hash.update(JSON.stringify(value ?? null));
  }
  return hash.digest('hex');
}

/**
 * Makes `config` hand out one dispatcher per connection settings. A client-node
 * without the (private) method it patches is left as it is: still correct, only
 * without reuse.
 */
export function shareDispatchers(config: KubeConfig): void {
  const target = config as unknown as { createDispatcher?: CreateDispatcher };
  const create = target.createDispatcher;
  if (typeof create !== 'function') return;
  let kept: { key: string; dispatcher: unknown } | undefined;
  target.createDispatcher = (cluster, agentOptions) => {
    const key = settingsKey(cluster, agentOptions);
    // Only the latest settings are kept: older dispatchers close with their last connection.
    if (kept?.key !== key) kept = { key, dispatcher: create.call(config, cluster, agentOptions) };
    return kept.dispatcher;
  };
}
