// Workload 12: admission reviews with N Ingresses in the caches: the whole
// request path but TLS (AdmissionReview JSON in → verdict → JSON out) for a
// mix of reviews — an edit of an existing Ingress, a new Ingress on a path an
// older one holds (warning), a new Ingress with an invalid annotation
// (refusal), an edit of a Service that Ingresses use and a new Ingress adding
// a path to another namespace's host (SharedHost warning) — plus what the
// controller's pass pays to keep the review index current after one Ingress
// edit, and after a Service edit (new lookup tables).
import type { V1Ingress, V1Service } from '@kubernetes/client-node';
import { evaluate, parseReview, reviewResponse, ServedIndex } from '../../src/admission/index.ts';
import type { AdmissionInputs } from '../../src/admission/index.ts';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { createTranslator } from '../../src/translate/index.ts';
import type { Snapshot } from '../../src/translate/types.ts';
import { settleGarbage } from '../allocation.ts';
import { editIngress, generateCluster, seededRandom } from '../generate.ts';
import { row } from '../report.ts';
import { repeat, summarize } from '../stats.ts';
import { runsOr } from '../workload.ts';
import type { Workload } from '../workload.ts';

/** Issue budget: p99 per review at 10k Ingresses. */
const REVIEW_P99_MS = 10;

type Review = { kind: { group: string; version: string; kind: string }; operation: 'CREATE' | 'UPDATE'; object: unknown; oldObject?: unknown };

const INGRESS = { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' };

/** A new Ingress of `tenant`'s namespace (its backend) adding a path to `host`'s host. */
function onHostOf(host: V1Ingress, tenant: V1Ingress, round: number): V1Ingress {
  const [rule] = tenant.spec?.rules ?? [];
  const [path] = rule?.http?.paths ?? [];
  const paths = path ? [{ ...path, path: `/shared-${round}`, pathType: 'Prefix' }] : [];
  const spec = { ...tenant.spec, tls: [], rules: [{ host: host.spec?.rules?.[0]?.host ?? '', http: { paths } }] };
  return { ...tenant, metadata: { namespace: tenant.metadata?.namespace ?? '', name: `shared-${round}` }, spec };
}

function reviewsOf(snapshot: Snapshot, pick: () => number, round: number): Review[] {
  const existing = snapshot.Ingress[pick()] as V1Ingress;
  const tenant = snapshot.Ingress[pick()] as V1Ingress;
  const rename = (ingress: V1Ingress, name: string): V1Ingress => ({ ...ingress, metadata: { namespace: ingress.metadata?.namespace ?? '', name } });
  const bad = rename(existing, `bad-${round}`);
  bad.metadata = { ...bad.metadata, annotations: { 'konghq.com/protocols': 'carrier-pigeon' } };
  const service = snapshot.Service[pick()] as V1Service;
  const edited: V1Service = { ...service, metadata: { ...service.metadata, labels: { round: String(round) } } };
  return [
    { kind: INGRESS, operation: 'UPDATE', object: editIngress(existing, round), oldObject: existing },
    { kind: INGRESS, operation: 'CREATE', object: rename(existing, `copy-${round}`) },
    { kind: INGRESS, operation: 'CREATE', object: bad },
    { kind: { group: '', version: 'v1', kind: 'Service' }, operation: 'UPDATE', object: edited, oldObject: service },
    { kind: INGRESS, operation: 'CREATE', object: onHostOf(existing, tenant, round) },
  ];
}

/** One review as the server handles it, from request body to response body. */
function handle(body: string, inputs: AdmissionInputs): string {
  const request = parseReview(body);
  if ('error' in request) throw new Error(request.error);
  return JSON.stringify(reviewResponse(request.uid, evaluate(request, inputs, new Date())));
}

export const admissionWorkload: Workload = {
  name: 'admission',
  description: 'admission review latency with N Ingresses in the caches, and the index update per pass',
  async run(ctx) {
    const n = ctx.quick ? 1000 : 10000;
    let snapshot = generateCluster({ n }).snapshot;
    const settings = DEFAULT_SETTINGS;
    const served = new ServedIndex();
    // The controller's translator, whose passes come before each index update.
    const { translate } = createTranslator();
    translate(snapshot, { settings });
    served.update(snapshot, settings);
    const random = seededRandom(11);
    const pick = (): number => Math.floor(random() * n);
    const inputs = (): AdmissionInputs => ({ snapshot, settings, served, watchNamespaces: [] });
    const latencies: number[] = [];
    let refused = 0;
    let sharedWarnings = 0;
    for (let round = 0; round < runsOr(ctx, 250); round += 1) {
      for (const review of reviewsOf(snapshot, pick, round)) {
        const body = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: `r${round}`, ...review } });
        const started = performance.now();
        const answer = handle(body, inputs());
        latencies.push(performance.now() - started);
        if (answer.includes('"allowed":false')) refused += 1;
        if (answer.includes(': SharedHost: ')) sharedWarnings += 1;
      }
    }
    const updates = await repeat({ warmup: 2, runs: runsOr(ctx, 15) }, async (run) => {
      const ingresses = [...snapshot.Ingress];
      const index = pick();
      ingresses[index] = editIngress(ingresses[index] as V1Ingress, run + 1000);
      snapshot = { ...snapshot, Ingress: ingresses };
      translate(snapshot, { settings });
      await settleGarbage();
      const started = performance.now();
      served.update(snapshot, settings);
      return performance.now() - started;
    });
    // A Service edit gives new lookup tables: only that Service's users are planned again (memo hits).
    const rebuilds = await repeat({ warmup: 1, runs: runsOr(ctx, 5) }, async (run) => {
      const services = [...snapshot.Service];
      const index = pick();
      const service = services[index] as V1Service;
      services[index] = { ...service, metadata: { ...service.metadata, labels: { run: String(run) } } };
      snapshot = { ...snapshot, Service: services };
      translate(snapshot, { settings });
      await settleGarbage();
      const started = performance.now();
      served.update(snapshot, settings);
      return performance.now() - started;
    });
    const target = n === 10000 ? { target: { op: '<=' as const, value: REVIEW_P99_MS, on: 'p99' as const } } : {};
    return [
      row({ workload: 'admission', n, metric: 'review', unit: 'ms', summary: summarize(latencies), distribution: true, ...target,
        note: `${latencies.length} reviews (edit, path conflict, invalid annotation, Service edit, path on another namespace's host); ${refused} refused, ${sharedWarnings} SharedHost warnings` }),
      row({ workload: 'admission', n, metric: 'index update after one edit', unit: 'ms', summary: summarize(updates) }),
      row({ workload: 'admission', n, metric: 'index update after a Service edit', unit: 'ms', summary: summarize(rebuilds) }),
    ];
  },
};
