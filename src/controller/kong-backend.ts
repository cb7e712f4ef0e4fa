// KongBackend on the Kong module's auto-detecting engine: the mode is forced by
// a flag or read from a gateway's `GET /` by the engine (cached per URL), which
// tells whether non-leader replicas may push (DB-less only). Probes, mode
// detection and syncs share the engine's one client per gateway.
import type { AutoSyncEngine } from '../kong/index.ts';
import type { ClientDefaults } from '../kong/index.ts';
import type { GatewayTarget, KongMode } from '../kong/index.ts';
import type { SchemaAnswer } from '../plugins/index.ts';
import type { KongBackend } from './kong-step.ts';
import { combineAnswers, GatewaySchemas, type PluginSchemaAnswers } from './plugin-schemas.ts';

/** How long a `/status` probe may take: it runs every second or so. */
const PROBE_TIMEOUT_MS = 1000;

/** One answer object (the translator compares answers by identity). */
const GATEWAY_SILENT: SchemaAnswer = Object.freeze({ kind: 'unavailable', reason: 'the gateway did not answer: structure checked only' });

/** Each gateway's answers for the plugins, asked of its Kong version (read once per gateway by the engine). */
async function gatewaySchemas(engine: AutoSyncEngine, schemas: GatewaySchemas, gateway: GatewayTarget, plugins: readonly string[]): Promise<PluginSchemaAnswers> {
  const info = engine.gatewayInfo(gateway.url) ?? await engine.detect(gateway).catch(() => undefined);
  if (!info) return new Map(plugins.map((name) => [name, GATEWAY_SILENT]));
  return schemas.read(engine.clientFor(gateway), gateway.url, info.version, plugins);
}

/**
 * `schemas`: the plugin schemas read for each pass; give the same object's
 * completePluginConfig to the engine (DB mode compares plugin configs as Kong stores them).
 */
export function kongBackend(engine: AutoSyncEngine, mode: 'auto' | KongMode, client: ClientDefaults = {}, schemas = new GatewaySchemas()): KongBackend & { close(): void } {
  const probeTimeoutMs = Math.min(client.timeoutMs ?? PROBE_TIMEOUT_MS, PROBE_TIMEOUT_MS);
  return {
    async pluginSchemas(gateways, plugins) {
      if (plugins.length === 0) return new Map();
      const perGateway = await Promise.all(gateways.map((g) => gatewaySchemas(engine, schemas, g, plugins)));
      return combineAnswers(perGateway, plugins);
    },
    rejections: engine.rejections,
    forget(url: string) {
      engine.forgetGateway(url);
      schemas.forget(url);
    },
    async probe(gateway: GatewayTarget): Promise<string | undefined> {
      return (await engine.clientFor(gateway).probeStatus(probeTimeoutMs)).configuration_hash;
    },
    async resolveMode(gateways: readonly GatewayTarget[]): Promise<KongMode | undefined> {
      if (mode !== 'auto') return mode;
      for (const g of gateways) {
        const known = engine.gatewayInfo(g.url)?.mode;
        if (known) return known;
      }
      for (const g of gateways) {
        try {
          return (await engine.detect(g)).mode;
        } catch {
          // try the next gateway
        }
      }
      return undefined;
    },
    engine: () => engine,
    retain(gateways) {
      engine.retain(gateways);
      schemas.retain(gateways.map((g) => g.url));
    },
    close() {
      engine.close();
    },
  };
}
