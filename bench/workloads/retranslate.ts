// Workload 2: translate again after one Ingress was edited, as the controller
// does on every change (the unchanged objects are the same objects, as in the
// store). Once with the default host ownership (Shared) and once with
// spec.hosts.ownership: Namespace, whose edits must stay as cheap. Then what
// the controller does after such a pass: last valid versions, Ingress status,
// Events (its own classes, with writers that only count).
import type { V1EndpointSlice } from '@kubernetes/client-node';
import { LastValid } from '../../src/controller/last-valid.ts';
import { ObjectKeys } from '../../src/controller/object-keys.ts';
import { Reporter } from '../../src/controller/report-step.ts';
import type { ReportInput } from '../../src/controller/report-step.ts';
import { systemClock } from '../../src/kube/clock.ts';
import { IngressStatusWriter } from '../../src/kube/ingress-status.ts';
import { createLogger } from '../../src/observe/logger.ts';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import type { MeshDoorSettings } from '../../src/config/settings.ts';
import { createTranslator } from '../../src/translate/index.ts';
import type { Snapshot } from '../../src/translate/types.ts';
import { settleGarbage } from '../allocation.ts';
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
  const samples = await repeat({ warmup: 3, runs: runsOr(ctx, 15) }, async (run) => {
    snapshot = withEdit(snapshot, Math.floor(random() * n), run + 100);
    await settleGarbage();
    const started = performance.now();
    translate(snapshot, options);
    return performance.now() - started;
  });
  const target = n === 10000 ? { target: { op: '<=' as const, value: TARGET_MS } } : {};
  return row({ workload: 'retranslate', n, metric, unit: 'ms', summary: summarize(samples), ...target });
}

const PUBLISHED = [{ ip: '192.0.2.1' }];

/** The generated cluster as a controller sees it once converged: status written, every ClusterIP Service with a ready endpoint. */
function converged(snapshot: Snapshot): { snapshot: Snapshot; slices: V1EndpointSlice[] } {
  const slices = snapshot.Service.filter((svc) => svc.spec?.type !== 'ExternalName').map((svc): V1EndpointSlice => ({
    addressType: 'IPv4',
    metadata: { namespace: svc.metadata?.namespace ?? '', name: `${svc.metadata?.name ?? ''}-1`, labels: { 'kubernetes.io/service-name': svc.metadata?.name ?? '' } },
    endpoints: [{ addresses: ['10.1.0.1'], conditions: { ready: true } }],
  }));
  return { snapshot: { ...snapshot, Ingress: snapshot.Ingress.map((ing) => ({ ...ing, status: { loadBalancer: { ingress: PUBLISHED } } })) }, slices };
}

/** LastValid.commit then Reporter.report after each one-edit pass; the pass itself is not timed. */
async function measureAfterPass(ctx: WorkloadContext): Promise<ResultRow> {
  const n = ctx.quick ? 1000 : 10000;
  const start = converged(generateCluster({ n }).snapshot);
  const { slices } = start;
  let { snapshot } = start;
  const settings = { ...DEFAULT_SETTINGS, publishAddresses: PUBLISHED.map((a) => a.ip) };
  const { translate } = createTranslator();
  const log = createLogger({ level: 'error', format: 'json' });
  let writes = 0;
  const keys = new ObjectKeys();
  const lastValid = new LastValid(keys);
  const statusWriter = new IngressStatusWriter({ log, writer: { patchIngressStatus: () => { writes += 1; return Promise.resolve(); } } });
  const events = { record: () => true, reset: () => undefined } as unknown as ConstructorParameters<typeof Reporter>[0]['events'];
  const reporter = new Reporter({ keys, writer: { patchMeshDoorStatus: () => Promise.resolve() }, statusWriter, events, clock: systemClock, log });
  const random = seededRandom(11);
  const samples = await repeat({ warmup: 3, runs: runsOr(ctx, 15) }, async (run) => {
    snapshot = withEdit(snapshot, Math.floor(random() * n), run + 100);
    const result = translate(snapshot, { settings });
    await settleGarbage();
    const started = performance.now();
    lastValid.commit(snapshot, result, []);
    const input: ReportInput = { resolved: { settings }, snapshot, kong: { pushing: true, ok: true, result }, gateways: 1, publishService: undefined, flagPublishAddresses: [], kongByUrl: false, backendEndpointSlices: slices };
    await reporter.report(input);
    return performance.now() - started;
  });
  ctx.log(`retranslate after-pass N=${n}: ${writes} status writes (expected 0: every status is written already)`);
  return row({ workload: 'retranslate', n, metric: 'time, steps after the pass', unit: 'ms', summary: summarize(samples), note: 'last valid versions, Ingress status, Events: the controller\'s work after each one-edit pass' });
}

export const retranslateWorkload: Workload = {
  name: 'retranslate',
  description: 'translation after one Ingress changed (Shared, then Namespace host ownership), and the controller\'s steps after it',
  async run(ctx) {
    return [
      await measure(ctx, DEFAULT_SETTINGS, 'time'),
      await measure(ctx, { ...DEFAULT_SETTINGS, hostOwnership: 'Namespace' }, 'time, hosts.ownership Namespace'),
      await measureAfterPass(ctx),
    ];
  },
};
