// Workload 11: how many watches (long-lived API server connections) the
// controller holds once it has converged N generated Ingresses, a tenth of
// them with a TLS Secret, in process against a fake API server. Counted, not
// timed: the number of Secret watches must follow the namespaces holding
// referenced Secrets (`--secret-watch namespace`) or be one (`cluster`), not
// the number of Secrets.
import type { V1Ingress, V1Secret } from '@kubernetes/client-node';
import { FakeCluster } from '../../test/kube/fake-cluster.ts';
import { startKongDouble } from '../../test/kong-double/index.ts';
import { generateCluster } from '../generate.ts';
import type { SecretWatchScope } from '../../src/controller/watch-plan.ts';
import { benchMeshDoor, startInProcessController } from '../in-process.ts';
import type { PostEvent } from '../in-process.ts';
import { row } from '../report.ts';
import type { ResultRow } from '../report.ts';
import { summarize } from '../stats.ts';
import { waitUntil } from '../wait.ts';
import type { Workload, WorkloadContext } from '../workload.ts';

const QUIET_MS = 2000;

/** Namespaces and distinct `namespace/name` Secrets the Ingresses name in spec.tls. */
function tlsReferences(ingresses: readonly V1Ingress[]): { secrets: number; namespaces: number } {
  const refs = ingresses.flatMap((i) => (i.spec?.tls ?? []).map((t) => `${i.metadata?.namespace ?? ''}/${t.secretName ?? ''}`));
  return { secrets: new Set(refs).size, namespaces: new Set(refs.map((r) => r.split('/')[0])).size };
}

/** One TLS Secret no Ingress names beside each namespace's first referenced one (left over by a renamed Ingress, say). */
function unreferencedSecrets(secrets: readonly V1Secret[]): V1Secret[] {
  const firstPerNamespace = new Map(secrets.map((s) => [s.metadata?.namespace ?? '', s] as const));
  return [...firstPerNamespace.values()].map((s) => ({ ...s, metadata: { namespace: s.metadata?.namespace ?? '', name: 'unreferenced-tls' } }));
}

async function measureSize(ctx: WorkloadContext, n: number, scope: SecretWatchScope): Promise<ResultRow[]> {
  const double = await startKongDouble({ mode: 'dbless', configLimitBytes: 512 * 2 ** 20 });
  const { snapshot } = generateCluster({ n });
  const secrets = [...snapshot.Secret, ...unreferencedSecrets(snapshot.Secret)];
  const cluster = new FakeCluster();
  for (const obj of [benchMeshDoor(), ...snapshot.IngressClass, ...snapshot.Service, ...secrets, ...snapshot.Ingress]) cluster.apply(obj);
  const posts: PostEvent[] = [];
  const pipeline = await startInProcessController({
    watchFactory: cluster.watchFactory, writer: cluster.writer, kongUrl: double.url, holdoffMs: 100, maxDelayMs: 1000, secretWatch: scope,
    onPost: (event) => { posts.push(event); },
  });
  try {
    const quietFor = (ms: number) => performance.now() - (posts.at(-1)?.doneAt ?? Number.POSITIVE_INFINITY) > ms;
    await waitUntil(() => quietFor(QUIET_MS), 'a converged, idle pipeline', 900_000, 20);
    const all = cluster.liveWatches();
    const secretWatches = all.filter((s) => s.role === 'secrets');
    const cached = pipeline.controller.cachedObjects('secrets').length;
    const refs = tlsReferences(snapshot.Ingress);
    ctx.log(`watches N=${n}, --secret-watch ${scope}: ${all.length} open, ${secretWatches.length} for TLS Secrets (${refs.secrets} referenced in ${refs.namespaces} namespaces, ${cached} cached)`);
    const count = (value: number) => summarize([value]);
    return [
      row({ workload: 'watches', n, metric: `open watches, --secret-watch ${scope}`, unit: 'count', summary: count(all.length), note: `one watch per referenced Secret would be ${all.length - secretWatches.length + refs.secrets}` }),
      row({ workload: 'watches', n, metric: `TLS Secret watches, --secret-watch ${scope}`, unit: 'count', summary: count(secretWatches.length), note: `${refs.secrets} referenced Secrets in ${refs.namespaces} namespaces` }),
      row({ workload: 'watches', n, metric: `Secrets cached, --secret-watch ${scope}`, unit: 'count', summary: count(cached), note: `of ${secrets.length} TLS Secrets in the cluster (one unreferenced per namespace added): only referenced ones are kept` }),
    ];
  } finally {
    await pipeline.stop();
    await double.close();
  }
}

export const watchesWorkload: Workload = {
  name: 'watches',
  description: 'watches open (API server connections) after converging N Ingresses, and Secrets cached',
  async run(ctx) {
    const rows: ResultRow[] = [];
    for (const n of ctx.quick ? [1000] : [10000]) {
      for (const scope of ['namespace', 'cluster'] as const) rows.push(...await measureSize(ctx, n, scope));
    }
    return rows;
  },
};
