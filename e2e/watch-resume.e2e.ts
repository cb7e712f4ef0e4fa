// Watches resume where they left off. The small filtered watches (IngressClasses,
// the gateway Namespace, Pods and Deployment, the publish Service) see almost no
// events of their own; they must still resume from a recent version (the watch
// cache's bookmarks carry it), never from the version of their first list, which
// etcd compacts away, or each reconnect would turn into a relist. Here the
// server ends every watch after 15-30 s (--watch-timeout), other objects of the
// same kinds change meanwhile, and etcd is compacted halfway: every reconnect of
// a quiet watch must start from a newer version than the one before, the last
// ones from beyond the compaction, and none may list again.
import { expect } from 'chai';
import type { AuditEvent } from './harness/audit.ts';
import { startEnvironment, waitReady } from './harness/environment.ts';
import type { Environment } from './harness/environment.ts';
import { eventually } from './harness/eventually.ts';

const CHURN_ROUND_MS = 3000;

/** One watch of the controller: resource, namespace and selectors (the version left out). */
function watchKey(event: AuditEvent): string {
  const url = new URL(event.requestURI, 'https://apiserver');
  const selectors = ['labelSelector', 'fieldSelector'].map((p) => `${p}=${url.searchParams.get(p) ?? ''}`);
  return [event.objectRef?.resource ?? '', event.objectRef?.namespace ?? '', ...selectors].join(' ');
}

function resourceVersionOf(event: AuditEvent): number {
  return Number(new URL(event.requestURI, 'https://apiserver').searchParams.get('resourceVersion') ?? Number.NaN);
}

/** The quiet watches: the gateway's objects picked by name or label, and IngressClasses. */
function isQuiet(key: string): boolean {
  const [resource = '', , labelSelector = '', fieldSelector = ''] = key.split(' ');
  if (resource === 'ingressclasses') return true;
  const filtered = labelSelector !== 'labelSelector=' || fieldSelector !== 'fieldSelector=';
  return filtered && ['namespaces', 'pods', 'deployments', 'services'].includes(resource);
}

function byWatch(events: readonly AuditEvent[], verb: string, stage: string): Map<string, AuditEvent[]> {
  const grouped = new Map<string, AuditEvent[]>();
  for (const event of events) {
    if (event.verb !== verb || event.stage !== stage) continue;
    const key = watchKey(event);
    grouped.set(key, [...(grouped.get(key) ?? []), event]);
  }
  return grouped;
}

async function etcdPost(env: Environment, path: string, body: object): Promise<Record<string, unknown>> {
  const res = await fetch(`${env.cluster.etcdUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
  return await res.json() as Record<string, unknown>;
}

const OTHERS = `
apiVersion: v1
kind: Namespace
metadata: { name: elsewhere }
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: other }
spec: { controller: example.com/other }
---
apiVersion: v1
kind: Service
metadata: { name: other, namespace: elsewhere }
spec: { ports: [{ port: 80 }], selector: { app: other } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: other, namespace: elsewhere }
spec:
  replicas: 1
  selector: { matchLabels: { app: other } }
  template:
    metadata: { labels: { app: other } }
    spec: { containers: [{ name: app, image: registry.example/other:1 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: other, namespace: elsewhere, labels: { app: other } }
spec: { containers: [{ name: app, image: registry.example/other:1 }] }
`;

describe('watches resume from the last version seen (etcd compaction)', function () {
  this.timeout(300_000);
  let env: Environment;

  before(async function () {
    env = await startEnvironment({ controllerArgs: ['--watch-timeout=15s'], apiserverArgs: ['--etcd-compaction-interval=10s'] });
    await waitReady(env.controller);
    await env.apply(OTHERS);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(env.logs());
  });

  after(async function () {
    await env?.stop();
  });

  /** Objects of the same kinds the quiet watches filter out change, as they do in any cluster. */
  async function churnFor(ms: number, round: { n: number }): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      round.n += 1;
      const touched = `touched=${round.n}`;
      await env.cluster.kubectl(['annotate', '--overwrite', 'namespace/elsewhere', 'ingressclass/other', touched]);
      await env.cluster.kubectl(['annotate', '--overwrite', '-n', 'elsewhere', 'service/other', 'deployment/other', 'pod/other', touched]);
      await new Promise((resolve) => { setTimeout(resolve, CHURN_ROUND_MS); });
    }
  }

  it('resumes every quiet watch from a newer version each time, and lists none of them again', async function () {
    const round = { n: 0 };
    await churnFor(45_000, round);
    // Compact etcd up to now: the versions the watches first listed are gone.
    const status = JSON.parse((await env.cluster.kubectl(['get', '--raw', '/api/v1/namespaces?limit=1'])).stdout) as { metadata: { resourceVersion: string } };
    const compactedTo = Number(status.metadata.resourceVersion);
    await etcdPost(env, '/v3/kv/compaction', { revision: String(compactedTo), physical: true });
    await churnFor(45_000, round);

    const events = (await env.cluster.auditEvents()).filter((e) => e.user.username === env.controller.username);
    const watches = byWatch(events, 'watch', 'ResponseStarted');
    const lists = byWatch(events, 'list', 'ResponseComplete');
    const quiet = [...watches.keys()].filter(isQuiet);
    expect(quiet.map((k) => k.split(' ')[0]), 'the quiet watches of the controller').to.include.members(['ingressclasses', 'namespaces', 'pods', 'deployments', 'services']);

    for (const key of quiet) {
      const versions = (watches.get(key) ?? []).map(resourceVersionOf);
      expect(versions.length, `${key}: reconnected (server ends watches after 15-30 s)`).to.be.at.least(3);
      for (let i = 1; i < versions.length; i += 1) {
        expect(versions[i], `${key}: watch ${i} resumes from a newer version than watch ${i - 1} (${versions.join(', ')})`).to.be.greaterThan(versions[i - 1] as number);
      }
      expect(versions.at(-1), `${key}: resumed from beyond the compaction at ${compactedTo} (${versions.join(', ')})`).to.be.at.least(compactedTo);
      expect(lists.get(key) ?? [], `${key}: listed once only`).to.have.length(1);
    }

    // And the compaction did remove the versions they started from.
    const firstVersion = Math.min(...quiet.map((k) => resourceVersionOf((watches.get(k) ?? [])[0] as AuditEvent)));
    const old = await etcdPost(env, '/v3/kv/range', { key: Buffer.from('/registry/namespaces/kong').toString('base64'), revision: String(firstVersion) });
    expect(JSON.stringify(old)).to.match(/compacted/);
    await eventually(async () => { await waitReady(env.controller, 5000); });
  });
});
