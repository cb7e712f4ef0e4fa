// One Admin API client per gateway URL, created on first use and reused so
// keep-alive connections and per-gateway concurrency limits persist.
import { KongAdminClient } from './admin-client.ts';
import type { KongAdminClientOptions } from './admin-client.ts';
import type { GatewayTarget } from './sync-types.ts';

export type ClientDefaults = Omit<KongAdminClientOptions, 'url' | 'serverName'>;

export class KongClientPool {
  readonly #clients = new Map<string, KongAdminClient>();
  readonly #defaults: ClientDefaults;

  constructor(defaults: ClientDefaults = {}) {
    this.#defaults = defaults;
  }

  get(target: GatewayTarget): KongAdminClient {
    const key = poolKey(target);
    let client = this.#clients.get(key);
    if (client === undefined) {
      const options: KongAdminClientOptions = { ...this.#defaults, url: target.url };
      if (target.serverName !== undefined) options.serverName = target.serverName;
      // Certificates read at run time replace the static ones; a new `id` gets a new client.
      if (target.tls !== undefined) Object.assign(options, { ca: target.tls.ca, cert: target.tls.cert, key: target.tls.key });
      client = new KongAdminClient(options);
      this.#clients.set(key, client);
    }
    return client;
  }

  /** Drops clients of gateways that are gone (e.g. deleted pods). */
  retain(targets: readonly GatewayTarget[]): void {
    const keep = new Set(targets.map(poolKey));
    for (const [key, client] of this.#clients) {
      if (!keep.has(key)) {
        client.close();
        this.#clients.delete(key);
      }
    }
  }

  close(): void {
    for (const client of this.#clients.values()) client.close();
    this.#clients.clear();
  }
}

function poolKey(target: GatewayTarget): string {
  return `${target.url}|${target.serverName ?? ''}|${target.tls?.id ?? ''}`;
}
