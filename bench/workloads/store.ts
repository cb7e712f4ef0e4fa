// Workload: the watch store's share of a cold start. Filling the stores from a
// list as a real API server serves it (managedFields, last-applied annotation):
// each object trimmed into a new one (cache-trim.ts) and frozen all the way
// down as it is stored (object-store.ts); the freezing measured alone; and a
// cold translation of frozen objects next to one of the same objects unfrozen,
// so a slower read of frozen objects would show.
import type { KubernetesObject } from '@kubernetes/client-node';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { trimForCache } from '../../src/kube/cache-trim.ts';
import { freezeDeep } from '../../src/model/index.ts';
import { ObjectStore } from '../../src/kube/object-store.ts';
import { createTranslator } from '../../src/translate/index.ts';
import type { Snapshot } from '../../src/translate/types.ts';
import { settleGarbage } from '../allocation.ts';
import { generateCluster } from '../generate.ts';
import { row } from '../report.ts';
import type { ResultRow } from '../report.ts';
import { repeat, summarize } from '../stats.ts';
import { runsOr } from '../workload.ts';
import type { Workload, WorkloadContext } from '../workload.ts';

const objectsOf = (s: Snapshot): KubernetesObject[] => [...s.Ingress, ...s.Service, ...s.Secret];

async function timed(work: () => unknown): Promise<number> {
  await settleGarbage();
  const started = performance.now();
  work();
  return performance.now() - started;
}

/** The stores' content as a frozen snapshot, from fresh copies of `snapshot`. */
function frozenCopy(snapshot: Snapshot): Snapshot {
  const copy = structuredClone(snapshot);
  for (const obj of objectsOf(copy)) freezeDeep(obj);
  return copy;
}

async function measureSize(ctx: WorkloadContext, n: number): Promise<ResultRow[]> {
  const applied = generateCluster({ n, kubectlApplied: true }).snapshot;
  const { snapshot } = generateCluster({ n });
  const runs = runsOr(ctx, 5);
  const fill = await repeat({ warmup: 1, runs }, () => {
    const listed = structuredClone(objectsOf(applied));
    return timed(() => { new ObjectStore().replaceAll(listed.map(trimForCache)); });
  });
  const freeze = await repeat({ warmup: 1, runs }, () => {
    const listed = structuredClone(objectsOf(snapshot));
    return timed(() => { for (const obj of listed) freezeDeep(obj); });
  });
  const coldTranslate = (input: Snapshot) => timed(() => createTranslator().translate(input, { settings: { ...DEFAULT_SETTINGS } }));
  // Interleaved, so what the translator remembers from earlier passes weighs on both alike.
  const pairs = await repeat({ warmup: 1, runs }, async () => ({ plain: await coldTranslate(structuredClone(snapshot)), frozen: await coldTranslate(frozenCopy(snapshot)) }));
  const plain = pairs.map((p) => p.plain);
  const frozen = pairs.map((p) => p.frozen);
  const count = objectsOf(snapshot).length;
  const metric = (name: string, samples: number[], note?: string) => row({ workload: 'store', n, metric: name, unit: 'ms', summary: summarize(samples), ...(note ? { note } : {}) });
  return [
    metric('fill from a list (trim + freeze)', fill, `${count} Ingresses, Services and Secrets as kubectl apply leaves them`),
    metric('of which freezing', freeze, 'freezeDeep of every object, nested objects included'),
    metric('translate cold, objects not frozen', plain),
    metric('translate cold, objects frozen', frozen, 'as the store hands them out'),
  ];
}

export const storeWorkload: Workload = {
  name: 'store',
  description: 'watch store fill (trim + deep freeze) and translation of frozen objects',
  async run(ctx) {
    const rows: ResultRow[] = [];
    for (const n of ctx.quick ? [1000] : [10000]) rows.push(...await measureSize(ctx, n));
    return rows;
  },
};
