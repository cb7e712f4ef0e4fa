// What a gateway is: read from `GET /` (version, configuration.database,
// configuration.router_flavor), which decides the sync mode and route form.
import type { KongAdminClient } from './admin-client.ts';
import type { RouterFlavor } from '../model/index.ts';
import type { KongMode } from './sync-types.ts';

export interface KongGatewayInfo {
  version: string;
  /** `off` or the database kind (`postgres`). */
  database: string;
  mode: KongMode;
  routerFlavor: RouterFlavor;
  edition?: string;
}

const FLAVORS: readonly RouterFlavor[] = ['traditional_compatible', 'traditional', 'expressions'];

/** Pure: the gateway facts in a `GET /` body; throws when it does not show the mode. */
export function gatewayInfoFromRoot(root: Record<string, unknown>): KongGatewayInfo {
  const configuration = (root.configuration ?? {}) as Record<string, unknown>;
  if (typeof configuration.database !== 'string') {
    throw new Error('cannot read the gateway\'s mode: its GET / shows no configuration.database (is this a Kong Admin API?); set the mode explicitly with --kong-mode');
  }
  const database = configuration.database;
  const flavor = configuration.router_flavor;
  const info: KongGatewayInfo = {
    version: typeof root.version === 'string' ? root.version : 'unknown',
    database,
    mode: database === 'off' ? 'dbless' : 'db',
    // Kong 3.x defaults to traditional_compatible.
    routerFlavor: FLAVORS.find((f) => f === flavor) ?? 'traditional_compatible',
  };
  if (typeof root.edition === 'string') info.edition = root.edition;
  return info;
}

/** Reads `GET /` and returns the gateway facts. */
export async function detectKongGateway(client: KongAdminClient): Promise<KongGatewayInfo> {
  return gatewayInfoFromRoot(await client.root());
}
