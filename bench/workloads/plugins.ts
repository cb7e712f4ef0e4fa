// Workload: plugin references (src/plugins/). N Ingresses each naming one of
// 100 KongPlugins (rate-limiting, checked against the schema a real Kong
// 3.9.3 published): every reference resolved and its Kong plugin entity built,
// without a resolver (each reference read and checked afresh), and with a
// warm PluginResolver (each KongPlugin read and checked once). Then through
// the translator: the generated cluster with each Ingress naming one of 100
// KongClusterPlugins, translated by a new translator, and again after one
// plugin object was edited (its referrers, N/100 Ingresses, are planned again)
// and after one Ingress was edited.
import { PluginResolver, indexPluginSources, pluginsForReferrer } from '../../src/plugins/index.ts';
import type { KongPluginResource, PluginSources, SchemaAnswer } from '../../src/plugins/index.ts';
import { readRecording } from '../../test/recordings/recordings-dir.ts';
import type { PluginSchema } from '../../src/plugins/index.ts';
import { createTranslator } from '../../src/translate/index.ts';
import type { Snapshot, TranslateOptions } from '../../src/translate/types.ts';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { settleGarbage } from '../allocation.ts';
import { editIngress, generateCluster } from '../generate.ts';
import { row } from '../report.ts';
import type { ResultRow } from '../report.ts';
import type { WorkloadContext } from '../workload.ts';
import { repeat, summarize } from '../stats.ts';
import { runsOr } from '../workload.ts';
import type { Workload } from '../workload.ts';

const PLUGINS = 100;

function kongPlugins(): KongPluginResource[] {
  return Array.from({ length: PLUGINS }, (_, i) => ({
    kind: 'KongPlugin', metadata: { name: `rl-${i}`, namespace: 'shop' },
    plugin: 'rate-limiting', config: { minute: 10 + i, policy: 'local', limit_by: 'ip' },
  }));
}

function attachAll(n: number, sources: PluginSources, answer: SchemaAnswer, resolver?: PluginResolver): number {
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const result = pluginsForReferrer(`rl-${i % PLUGINS}`, { routeId: `route-${i}` }, {
      referrer: { kind: 'Ingress', namespace: 'shop', name: `ing-${i}` }, sources, schemas: () => answer, ...(resolver ? { resolver } : {}),
    });
    if (!result.ok) throw new Error(result.failures[0]?.message);
  }
  return performance.now() - started;
}

function clusterPlugin(i: number, minute: number): KongPluginResource {
  return { kind: 'KongClusterPlugin', metadata: { name: `rl-${i}` }, plugin: 'rate-limiting', config: { minute, policy: 'local', limit_by: 'ip' } };
}

/** The generated cluster, each Ingress naming one of the KongClusterPlugins. */
function clusterWithPlugins(n: number): Snapshot {
  const { snapshot } = generateCluster({ n });
  const Ingress = snapshot.Ingress.map((ingress, i) => ({
    ...ingress, metadata: { ...ingress.metadata, annotations: { ...ingress.metadata?.annotations, 'konghq.com/plugins': `rl-${i % PLUGINS}` } },
  }));
  return { ...snapshot, Ingress, KongClusterPlugin: Array.from({ length: PLUGINS }, (_, i) => clusterPlugin(i, 10 + i)) };
}

async function throughTranslator(ctx: WorkloadContext, n: number, answer: SchemaAnswer): Promise<ResultRow[]> {
  const runs = runsOr(ctx, ctx.quick ? 3 : 10);
  const options: TranslateOptions = { settings: DEFAULT_SETTINGS, pluginSchemas: () => answer };
  const base = clusterWithPlugins(n);
  const cold = await repeat({ warmup: 1, runs }, async () => {
    const snapshot = structuredClone(base);
    await settleGarbage();
    const started = performance.now();
    const result = createTranslator().translate(snapshot, options);
    const elapsed = performance.now() - started;
    if ((result.config.plugins ?? []).length < n) throw new Error(`expected a plugin per route, got ${(result.config.plugins ?? []).length}`);
    return elapsed;
  });
  const { translate } = createTranslator();
  let snapshot = base;
  translate(snapshot, options);
  const pluginEdit = await repeat({ warmup: 2, runs }, async (run) => {
    const plugins = [...snapshot.KongClusterPlugin];
    plugins[run % PLUGINS] = clusterPlugin(run % PLUGINS, 1000 + run);
    snapshot = { ...snapshot, KongClusterPlugin: plugins };
    await settleGarbage();
    const started = performance.now();
    translate(snapshot, options);
    return performance.now() - started;
  });
  const ingressEdit = await repeat({ warmup: 2, runs }, async (run) => {
    const ingresses = [...snapshot.Ingress];
    const index = (run * 7919) % n;
    ingresses[index] = editIngress(ingresses[index] ?? {}, run + 100);
    snapshot = { ...snapshot, Ingress: ingresses };
    await settleGarbage();
    const started = performance.now();
    translate(snapshot, options);
    return performance.now() - started;
  });
  return [
    row({ workload: 'plugins', n, metric: 'translate, new translator', unit: 'ms', summary: summarize(cold), note: `each Ingress naming one of ${PLUGINS} KongClusterPlugins` }),
    row({ workload: 'plugins', n, metric: 'translate after a plugin edit', unit: 'ms', summary: summarize(pluginEdit), note: `one KongClusterPlugin edited: its ${n / PLUGINS} referrers are planned again` }),
    row({ workload: 'plugins', n, metric: 'translate after an Ingress edit', unit: 'ms', summary: summarize(ingressEdit) }),
  ];
}

export const pluginsWorkload: Workload = {
  name: 'plugins',
  description: 'plugin references: resolve, check against the schema and build entities for N referrers; translation with plugins',
  async run(ctx) {
    const n = ctx.quick ? 1_000 : 10_000;
    const answer: SchemaAnswer = { kind: 'schema', schema: readRecording<PluginSchema>('plugin-schemas/rate-limiting.json') };
    const sources = indexPluginSources({ kongPlugins: kongPlugins() });
    const runs = runsOr(ctx, ctx.quick ? 3 : 10);
    const fresh = await repeat({ warmup: 1, runs }, () => attachAll(n, sources, answer));
    const resolver = new PluginResolver();
    attachAll(n, sources, answer, resolver);
    const warm = await repeat({ warmup: 1, runs }, () => attachAll(n, sources, answer, resolver));
    return [
      row({ workload: 'plugins', n, metric: 'resolve + build, no resolver', unit: 'ms', summary: summarize(fresh) }),
      row({ workload: 'plugins', n, metric: 'resolve + build, warm resolver', unit: 'ms', summary: summarize(warm), note: `${PLUGINS} KongPlugins named by ${n} Ingresses` }),
      ...await throughTranslator(ctx, n, answer),
    ];
  },
};
