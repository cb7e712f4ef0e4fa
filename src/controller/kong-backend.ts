// KongBackend on the Kong module's auto-detecting engine: the mode is forced by
// a flag or read from a gateway's `GET /` (cached per URL), which tells whether
// non-leader replicas may push (DB-less only).
import { detectKongGateway, KongClientPool } from '../kong/index.ts';
import type { AutoSyncEngine, ClientDefaults, GatewayTarget, KongMode } from '../kong/index.ts';
import type { KongBackend } from './kong-step.ts';

/** How long a `/status` probe may take: it runs every second or so. */
const PROBE_TIMEOUT_MS = 1000;

export function kongBackend(engine: AutoSyncEngine, mode: 'auto' | KongMode, client: ClientDefaults = {}): KongBackend & { close(): void } {
  const pool = new KongClientPool(client);
  // Probes never retry: the next probe is the retry.
  const probes = new KongClientPool({ ...client, retry: { retries: 0 }, timeoutMs: Math.min(client.timeoutMs ?? PROBE_TIMEOUT_MS, PROBE_TIMEOUT_MS) });
  const detected = new Map<string, KongMode>();
  return {
    rejections: engine.rejections,
    forget(url: string) {
      engine.forgetGateway(url);
      detected.delete(url);
    },
    async probe(gateway: GatewayTarget): Promise<string | undefined> {
      return (await probes.get(gateway).status()).configuration_hash;
    },
    async resolveMode(gateways: readonly GatewayTarget[]): Promise<KongMode | undefined> {
      if (mode !== 'auto') return mode;
      for (const g of gateways) {
        const known = engine.gatewayInfo(g.url)?.mode ?? detected.get(g.url);
        if (known) return known;
      }
      for (const g of gateways) {
        try {
          const info = await detectKongGateway(pool.get(g));
          detected.set(g.url, info.mode);
          return info.mode;
        } catch {
          // try the next gateway
        }
      }
      return undefined;
    },
    engine: () => engine,
    retain(gateways) {
      pool.retain(gateways);
      probes.retain(gateways);
      const live = new Set(gateways.map((g) => g.url));
      for (const url of [...detected.keys()]) if (!live.has(url)) detected.delete(url);
    },
    close() {
      pool.close();
      probes.close();
      engine.close();
    },
  };
}
