// Workload 2: translate again after one Ingress was edited, as the controller
// does on every change (the unchanged objects are the same objects, as in the
// store). Once with the default host ownership (Shared) and once with
// spec.hosts.ownership: Namespace, whose edits must stay as cheap.
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import type { MeshDoorSettings } from '../../src/config/settings.ts';
import { createTranslator } from '../../src/translate/index.ts';
import type { Snapshot } from '../../src/translate/types.ts';
import { collectGarbage } from '../allocation.ts';
import { editIngress, generateCluster, seededRandom } from '../generate.ts';
import { row } from '../report.ts';
import type { ResultRow } from '../report.ts';
import { repeat, summarize } from '../stats.ts';
import { runsOr } from '../workload.ts';
import type { Workload, WorkloadContext } from '../workload.ts';

/** The threshold for adding incremental translation. */
const TARGET_MS = 20;

function withEdit(snapshot: Snapshot, index: number, round: number): Snapshot {
  const ingresses = [...snapshot.Ingress];
  const edited = ingresses[index];
  if (edited) ingresses[index] = editIngress(edited, round);
  return { ...snapshot, Ingress: ingresses };
}

async function measure(ctx: WorkloadContext, settings: MeshDoorSettings, metric: string): Promise<ResultRow> {
  const n = ctx.quick ? 1000 : 10000;
  let snapshot = generateCluster({ n }).snapshot;
  const options = { settings };
  const { translate } = createTranslator();
  translate(snapshot, options);
  const random = seededRandom(7);
  const samples = await repeat({ warmup: 3, runs: runsOr(ctx, 15) }, (run) => {
    snapshot = withEdit(snapshot, Math.floor(random() * n), run + 100);
    collectGarbage();
    const started = performance.now();
    translate(snapshot, options);
    return performance.now() - started;
  });
  const target = n === 10000 ? { target: { op: '<=' as const, value: TARGET_MS } } : {};
  return row({ workload: 'retranslate', n, metric, unit: 'ms', summary: summarize(samples), ...target });
}

export const retranslateWorkload: Workload = {
  name: 'retranslate',
  description: 'translation after one Ingress changed (Shared, then Namespace host ownership)',
  async run(ctx) {
    return [
      await measure(ctx, DEFAULT_SETTINGS, 'time'),
      await measure(ctx, { ...DEFAULT_SETTINGS, hostOwnership: 'Namespace' }, 'time, hosts.ownership Namespace'),
    ];
  },
};
