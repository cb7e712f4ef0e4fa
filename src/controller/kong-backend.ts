// KongBackend on the Kong module's auto-detecting engine: the mode is forced by
// a flag or read from a gateway's `GET /` (cached per URL), which tells whether
// non-leader replicas may push (DB-less only).
import { KongClientPool, type ClientDefaults } from '../kong/client-pool.ts';
import { detectKongGateway } from '../kong/gateway-info.ts';
import type { AutoSyncEngine } from '../kong/sync-engine.ts';
import type { GatewayTarget, KongMode } from '../kong/sync-types.ts';
import type { KongBackend } from './kong-step.ts';

export function kongBackend(engine: AutoSyncEngine, mode: 'auto' | KongMode, client: ClientDefaults = {}): KongBackend & { close(): void } {
  const pool = new KongClientPool(client);
  const detected = new Map<string, KongMode>();
  return {
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
      const live = new Set(gateways.map((g) => g.url));
      for (const url of [...detected.keys()]) if (!live.has(url)) detected.delete(url);
    },
    close() {
      pool.close();
      engine.close();
    },
  };
}
