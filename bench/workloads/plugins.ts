// Workload: plugin references (src/plugins/). N Ingresses each naming one of
// 100 KongPlugins (rate-limiting, checked against the schema a real Kong
// 3.9.3 published): every reference resolved and its Kong plugin entity built,
// without a resolver (each reference read and checked afresh), and with a
// warm PluginResolver (each KongPlugin read and checked once).
import { PluginResolver, indexPluginSources, pluginsForReferrer } from '../../src/plugins/index.ts';
import type { KongPluginResource, PluginSources, SchemaAnswer } from '../../src/plugins/index.ts';
import { readRecording } from '../../test/recordings/recordings-dir.ts';
import type { PluginSchema } from '../../src/plugins/index.ts';
import { row } from '../report.ts';
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

export const pluginsWorkload: Workload = {
  name: 'plugins',
  description: 'plugin references: resolve, check against the schema and build entities for N referrers',
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
    ];
  },
};
