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
    const key = `${target.url}|${target.serverName ?? ''}`;
    let client = this.#clients.get(key);
    if (client === undefined) {
      const options: KongAdminClientOptions = { ...this.#defaults, url: target.url };
      if (target.serverName !== undefined) options.serverName = target.serverName;
      client = new KongAdminClient(options);
      this.#clients.set(key, client);
    }
    return client;
  }

  /** Drops clients of gateways that are gone (e.g. deleted pods). */
  retain(targets: readonly GatewayTarget[]): void {
    const keep = new Set(targets.map((t) => `${t.url}|${t.serverName ?? ''}`));
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
