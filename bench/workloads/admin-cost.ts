// Workload 7: Admin API requests and bytes per sync against the Kong double.
// DB-less: POSTs per gateway for a first sync, an unchanged sync and one
// change, and the body bytes per service+route pair. DB mode: writes for one
// changed Ingress versus the entities that changed, and reads per sync.
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { KongClientPool } from '../../src/kong/client-pool.ts';
import { DbModeSyncEngine } from '../../src/kong/dbmode-engine.ts';
import { DblessSyncEngine, KONG_ADMIN_BODY_LIMIT } from '../../src/kong/dbless-engine.ts';
import { dblessBody } from '../../src/kong/dbless-body.ts';
import type { KongConfig, KongConsumer, KongPlugin } from '../../src/model/index.ts';
import { completePluginConfig, kongConsumerId, kongCredentialId, kongPluginId, type PluginSchema } from '../../src/plugins/index.ts';
import { tagsOf } from '../../src/plugins/tags.ts';
import { readRecording } from '../../test/recordings/recordings-dir.ts';
import type { KongSyncEngine, SyncReport } from '../../src/kong/sync-types.ts';
import { createTranslator } from '../../src/translate/index.ts';
import type { Translator } from '../../src/translate/index.ts';
import type { Snapshot, TranslateResult } from '../../src/translate/types.ts';
import { startKongDouble } from '../../test/kong-double/index.ts';
import type { KongDouble } from '../../test/kong-double/index.ts';
import { editIngress, generateCluster } from '../generate.ts';
import { changedEntityCount, routeCount } from '../kong-entities.ts';
import { row } from '../report.ts';
import type { ResultRow, Target } from '../report.ts';
import { summarize } from '../stats.ts';
import { runsOr } from '../workload.ts';
import type { Workload, WorkloadContext } from '../workload.ts';

const BYTES_PER_PAIR_TARGET = 600;
/** Issue target: the body without certificates, k8s-uid tags included. */
const BYTES_PER_INGRESS_TARGET = 500;

interface Cluster {
  snapshot: Snapshot;
  /** One translator for the cluster's life, as the controller keeps one. */
  translator: Translator;
  doubles: KongDouble[];
  engine: KongSyncEngine;
}

interface GatewayCounts { posts: number; writes: number; reads: number; bytes: number }
interface SyncCounts { report: SyncReport; perGateway: GatewayCounts[] }

async function syncOnce(cluster: Cluster): Promise<SyncCounts> {
  for (const d of cluster.doubles) d.clearRequests();
  const snapshot = cluster.snapshot;
  const report = await cluster.engine.sync({
    translate: (exclude) => cluster.translator.translate(snapshot, { settings: DEFAULT_SETTINGS, exclude }),
    gateways: cluster.doubles.map((d) => ({ url: d.url })),
  });
  const failed = report.gateways.filter((g) => g.status === 'failed');
  if (failed.length > 0) throw new Error(`sync failed: ${failed.map((g) => g.error ?? '?').join('; ')}`);
  const perGateway = cluster.doubles.map((d) => ({
    posts: d.requests.filter((r) => r.method === 'POST' && r.path === '/config').length,
    writes: d.writes().length,
    reads: d.requests.filter((r) => r.method === 'GET').length,
    bytes: d.requests.filter((r) => r.path === '/config').reduce((sum, r) => sum + r.bytes, 0),
  }));
  return { report, perGateway };
}

function countRow(n: number, metric: string, values: number[], extra: { target?: Target; note?: string } = {}): ResultRow {
  return row({ workload: 'admin-cost', n, metric, unit: 'count', summary: summarize(values), ...extra });
}

/** Edits one Ingress (a different one each round) and returns the translation before and after. */
function editOne(cluster: Cluster, round: number): { before: TranslateResult; after: TranslateResult } {
  const before = cluster.translator.translate(cluster.snapshot, { settings: DEFAULT_SETTINGS });
  const ingresses = [...cluster.snapshot.Ingress];
  const index = (round * 7919) % ingresses.length;
  ingresses[index] = editIngress(ingresses[index] as NonNullable<(typeof ingresses)[number]>, round);
  cluster.snapshot = { ...cluster.snapshot, Ingress: ingresses };
  return { before, after: cluster.translator.translate(cluster.snapshot, { settings: DEFAULT_SETTINGS }) };
}

async function withDoubles<T>(mode: 'dbless' | 'db', count: number, work: (doubles: KongDouble[]) => Promise<T>): Promise<T> {
  // The body limit is raised so large configs are measured rather than refused (Kong's default is 10 MiB).
  const doubles = await Promise.all(Array.from({ length: count }, () => startKongDouble({ mode, configLimitBytes: 512 * 2 ** 20 })));
  try {
    return await work(doubles);
  } finally {
    await Promise.all(doubles.map((d) => d.close()));
  }
}

function withoutCertificates(config: KongConfig): number {
  return Buffer.byteLength(dblessBody({ ...config, certificates: [] }));
}

/**
 * The body as if no two certificates were alike: the bench's Secrets all hold
 * one key pair, which the body writes once per chunk; real clusters mostly
 * have a pair per Secret.
 */
function withDistinctCertificates(config: KongConfig): number {
  const alone = config.certificates.map((c) => Buffer.byteLength(dblessBody({ ...config, services: [], upstreams: [], certificates: [c] })) - Buffer.byteLength(dblessBody({ ...config, services: [], upstreams: [], certificates: [] })) + 1);
  return withoutCertificates(config) + alone.reduce((sum, b) => sum + b, 0);
}

async function dbless(ctx: WorkloadContext, n: number): Promise<ResultRow[]> {
  const pool = new KongClientPool({ configTimeoutMs: 600_000 });
  try {
    return await withDoubles('dbless', 2, async (doubles) => {
      const cluster: Cluster = { snapshot: generateCluster({ n }).snapshot, translator: createTranslator(), doubles, engine: new DblessSyncEngine({ clientFor: (t) => pool.get(t) }) };
      const first = await syncOnce(cluster);
      const pairs = routeCount(first.report.applied.config);
      const bodyBytes = first.perGateway[0]?.bytes ?? 0;
      const unchanged: SyncCounts[] = [];
      const changed: SyncCounts[] = [];
      for (let round = 0; round < runsOr(ctx, 3); round += 1) {
        unchanged.push(await syncOnce(cluster));
        editOne(cluster, round + 1);
        changed.push(await syncOnce(cluster));
      }
      const posts = (syncs: SyncCounts[]) => syncs.flatMap((s) => s.perGateway.map((g) => g.posts));
      const requests = (syncs: SyncCounts[]) => syncs.flatMap((s) => s.perGateway.map((g) => g.reads + g.writes));
      ctx.log(`admin-cost dbless N=${n}: ${pairs} routes, /config body ${(bodyBytes / 2 ** 20).toFixed(2)} MiB`);
      return [
        countRow(n, 'dbless POST/gateway, first sync', first.perGateway.map((g) => g.posts), { target: { op: '==', value: 1 } }),
        countRow(n, 'dbless POST/gateway, unchanged', posts(unchanged), { target: { op: '==', value: 0 } }),
        countRow(n, 'dbless requests/gateway, unchanged', requests(unchanged), { note: 'GET /status only: detects a gateway that restarted empty' }),
        countRow(n, 'dbless POST/gateway, one change', posts(changed), { target: { op: '==', value: 1 } }),
        countRow(n, 'dbless requests/gateway, one change', requests(changed), { note: 'POST /config, then GET /status for the hash Kong shows: no GET /status before a changed config' }),
        row({ workload: 'admin-cost', n, metric: 'dbless body bytes/route', unit: 'B', summary: summarize([bodyBytes / pairs]), target: { op: '<=', value: BYTES_PER_PAIR_TARGET }, note: `whole /config body ${(bodyBytes / 2 ** 20).toFixed(2)} MiB / ${pairs} routes (incl. ${first.report.applied.config.certificates.length} certificates)` }),
        row({ workload: 'admin-cost', n, metric: 'dbless body bytes/route, no certificates', unit: 'B', summary: summarize([withoutCertificates(first.report.applied.config) / pairs]), note: 'the same body without its certificates (each a PEM certificate and RSA-2048 key, ~3 KiB that Kong needs as is)' }),
        row({ workload: 'admin-cost', n, metric: 'dbless body bytes/Ingress, no certificates', unit: 'B', summary: summarize([withoutCertificates(first.report.applied.config) / n]), target: { op: '<=', value: BYTES_PER_INGRESS_TARGET }, note: 'k8s-uid tags included (the generated objects carry uids)' }),
        row({ workload: 'admin-cost', n, metric: 'dbless body size', unit: 'MiB', summary: summarize([bodyBytes / 2 ** 20]), target: { op: '<=', value: KONG_ADMIN_BODY_LIMIT / 2 ** 20 }, note: `Kong's default limit ${KONG_ADMIN_BODY_LIMIT / 2 ** 20} MiB (nginx_admin_client_max_body_size); with every certificate distinct ${(withDistinctCertificates(first.report.applied.config) / 2 ** 20).toFixed(2)} MiB` }),
      ];
    });
  } finally {
    pool.close();
  }
}

async function dbMode(ctx: WorkloadContext, n: number): Promise<ResultRow[]> {
  const pool = new KongClientPool({ configTimeoutMs: 600_000 });
  try {
    return await withDoubles('db', 1, async (doubles) => {
      const cluster: Cluster = { snapshot: generateCluster({ n }).snapshot, translator: createTranslator(), doubles, engine: new DbModeSyncEngine({ clientFor: (t) => pool.get(t) }) };
      const started = performance.now();
      const first = await syncOnce(cluster);
      ctx.log(`admin-cost db N=${n}: first sync ${first.perGateway[0]?.writes ?? 0} writes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const unchanged: SyncCounts[] = [];
      const changed: SyncCounts[] = [];
      const expected: number[] = [];
      for (let round = 0; round < runsOr(ctx, 3); round += 1) {
        unchanged.push(await syncOnce(cluster));
        const { before, after } = editOne(cluster, round + 1);
        expected.push(changedEntityCount(before.config, after.config));
        changed.push(await syncOnce(cluster));
      }
      const writes = changed.map((s) => s.perGateway[0]?.writes ?? 0);
      const exact = writes.filter((w, i) => w === expected[i]).length;
      const delta = summarize(expected).median;
      return [
        countRow(n, 'db writes, first sync', first.perGateway.map((g) => g.writes)),
        countRow(n, 'db writes, unchanged', unchanged.map((s) => s.perGateway[0]?.writes ?? 0), { target: { op: '==', value: 0 } }),
        countRow(n, 'db writes, one change', writes, { target: { op: '==', value: delta }, note: `entities changed (Δ) per run: ${expected.join(', ')}; writes = Δ in ${exact}/${writes.length} runs` }),
        countRow(n, 'db reads/sync', changed.map((s) => s.perGateway[0]?.reads ?? 0), { note: 'GETs: tag-filtered lists of 1000 per page per entity type, plus targets per upstream' }),
      ];
    });
  } finally {
    pool.close();
  }
}

/**
 * Plugins and consumers on top of the translated cluster, as the plugin
 * translation makes them: a rate limit on every route, a global CORS plugin,
 * and `consumers` consumers each with a key-auth and a basic-auth credential.
 */
function withBenchPlugins(config: KongConfig, consumers: number): KongConfig {
  const routes = config.services.flatMap((s) => s.routes);
  const plugins: KongPlugin[] = routes.map((route) => ({
    id: kongPluginId('rate-limiting', { routeId: route.id }), name: 'rate-limiting', config: { minute: 100, policy: 'local' }, enabled: true,
    route: { id: route.id }, tags: tagsOf({ kind: 'KongPlugin', namespace: 'bench', name: 'limit' }),
  }));
  plugins.push({ id: kongPluginId('cors', {}), name: 'cors', config: { origins: ['*'] }, enabled: true, tags: tagsOf({ kind: 'KongClusterPlugin', name: 'cors' }) });
  const list: KongConsumer[] = Array.from({ length: consumers }, (_, i) => {
    const username = `user-${String(i)}`;
    const id = kongConsumerId({ username });
    const secret = (name: string): { namespace: string; name: string } => ({ namespace: 'bench', name: `${username}-${name}` });
    const secretTags = (name: string): string[] => tagsOf({ kind: 'Secret', ...secret(name) });
    return {
      id, username, tags: tagsOf({ kind: 'KongConsumer', namespace: 'bench', name: username }),
      keyauth_credentials: [{ id: kongCredentialId('keyauth_credentials', id, secret('key')), key: `key-${String(i)}`, tags: secretTags('key') }],
      basicauth_credentials: [{ id: kongCredentialId('basicauth_credentials', id, secret('basic')), username, password: `password-${String(i)}`, tags: secretTags('basic') }],
      hmacauth_credentials: [], jwt_secrets: [], acls: [],
    };
  });
  const byId = <T extends { id: string }>(items: T[]): T[] => items.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { ...config, plugins: byId(plugins), consumers: byId(list) };
}

/** DB mode with a plugin on every route and consumers with credentials: an unchanged sync must write nothing. */
async function dbModeWithPlugins(ctx: WorkloadContext, n: number): Promise<ResultRow[]> {
  const pool = new KongClientPool({ configTimeoutMs: 600_000 });
  const consumers = Math.max(10, Math.floor(n / 10));
  try {
    return await withDoubles('db', 1, async (doubles) => {
      const translator = createTranslator();
      const snapshot = generateCluster({ n }).snapshot;
      const engine = new DbModeSyncEngine({
        clientFor: (t) => pool.get(t),
        completePluginConfig: (_url, plugin) => completePluginConfig(readRecording<PluginSchema>(`plugin-schemas/${plugin.name}.json`), plugin.config),
      });
      const sync = async (): Promise<GatewayCounts> => {
        const [double] = doubles;
        double?.clearRequests();
        const report = await engine.sync({
          translate: (exclude) => {
            const result = translator.translate(snapshot, { settings: DEFAULT_SETTINGS, exclude });
            return { ...result, config: withBenchPlugins(result.config, consumers) };
          },
          gateways: doubles.map((d) => ({ url: d.url })),
        });
        const failed = report.gateways.filter((g) => g.status === 'failed');
        if (failed.length > 0) throw new Error(`sync failed: ${failed.map((g) => g.error ?? '?').join('; ')}`);
        return { posts: 0, writes: double?.writes().length ?? 0, reads: double?.requests.filter((r) => r.method === 'GET').length ?? 0, bytes: 0 };
      };
      const first = await sync();
      ctx.log(`admin-cost db+plugins N=${n}: first sync ${first.writes} writes`);
      const unchanged: GatewayCounts[] = [];
      for (let round = 0; round < runsOr(ctx, 3); round += 1) unchanged.push(await sync());
      const note = `a rate-limiting plugin on every route, a global plugin, ${consumers} consumers with key-auth and basic-auth; plugin configs completed from the recorded schemas`;
      return [
        countRow(n, 'db+plugins writes, first sync', [first.writes], { note }),
        countRow(n, 'db+plugins writes, unchanged', unchanged.map((u) => u.writes), { target: { op: '==', value: 0 }, note }),
        countRow(n, 'db+plugins reads/sync', unchanged.map((u) => u.reads), { note: 'GETs: tag-filtered lists per entity type, targets per upstream, credentials per consumer and type' }),
      ];
    });
  } finally {
    pool.close();
  }
}

export const adminCostWorkload: Workload = {
  name: 'admin-cost',
  description: 'Admin API requests and bytes per sync (Kong double, DB-less and DB mode)',
  async run(ctx) {
    const rows: ResultRow[] = [];
    for (const n of ctx.quick ? [100, 1000] : [1000, 10000]) rows.push(...await dbless(ctx, n));
    for (const n of ctx.quick ? [100] : [1000, 10000]) rows.push(...await dbMode(ctx, n));
    rows.push(...await dbModeWithPlugins(ctx, ctx.quick ? 100 : 1000));
    return rows;
  },
};
