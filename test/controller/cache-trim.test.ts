// Feature: the watch caches keep objects without managedFields and kubectl's
// last-applied-configuration annotation, and the controller's writes (Ingress
// status, the gateway pod template, the namespace label, MeshDoor status)
// leave both in place on the server.
import { expect } from 'chai';
import type { KubernetesObject } from '@kubernetes/client-node';
import { LAST_APPLIED_ANNOTATION } from '../../src/kube/cache-trim.ts';
import type { WatchKind } from '../../src/kube/watch-source.ts';
import { createTranslator } from '../../src/translate/index.ts';
import type { Snapshot } from '../../src/translate/types.ts';
import { gatewayDeployment, gatewayNamespace, ingress, ingressClass, meshdoor, publishService, service } from './fixtures.ts';
import { startHarness, type Harness } from './harness.ts';
import { recordingKong } from './recording-kong.ts';

/** The object as `kubectl apply` leaves it on a real API server. */
function kubectlApplied<T extends KubernetesObject>(obj: T): T {
  const managedFields = [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: obj.apiVersion, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} } }];
  const annotations = { ...obj.metadata?.annotations, [LAST_APPLIED_ANNOTATION]: JSON.stringify(obj) };
  return { ...obj, metadata: { ...obj.metadata, managedFields, annotations } };
}

function bookkeeping(obj: KubernetesObject | undefined): { managedFields: number; lastApplied: boolean } {
  const kubectl = obj?.metadata?.managedFields?.filter((e) => e.manager === 'kubectl-client-side-apply') ?? [];
  return { managedFields: kubectl.length, lastApplied: LAST_APPLIED_ANNOTATION in (obj?.metadata?.annotations ?? {}) };
}

describe('controller: trimmed watch caches', () => {
  let h: Harness;
  afterEach(async () => { await h.stop(); });

  it('translates objects without the bookkeeping, and never erases it on the server', async () => {
    const snapshots: Snapshot[] = [];
    const translator = createTranslator();
    const objects = [
      meshdoor({ gateway: { labelNamespace: true } }), ingressClass(), gatewayNamespace({}), gatewayDeployment(),
      publishService(), service('shop', 'web'), ingress('shop', 'web'),
    ].map(kubectlApplied);
    h = await startHarness({
      kong: recordingKong(), kongAdminUrls: ['http://127.0.0.1:1'], objects,
      translate: (snapshot, options) => { snapshots.push(snapshot); return translator.translate(snapshot, options); },
    });
    const ops = () => new Set(h.cluster.writes.map((w) => w.op));
    await h.eventually(() => { expect([...ops()].sort()).to.deep.equal(['deployment', 'ingressStatus', 'meshdoorStatus', 'namespace']); });

    const cached = snapshots.at(-1);
    for (const obj of [...cached?.Ingress ?? [], ...cached?.Service ?? [], ...cached?.IngressClass ?? []]) {
      expect(bookkeeping(obj), `${obj.kind ?? ''} ${obj.metadata?.name ?? ''} in the cache`).to.deep.equal({ managedFields: 0, lastApplied: false });
    }
    expect(cached?.Ingress).to.have.length(1);
    const written: [WatchKind, string | undefined, string][] = [
      ['Ingress', 'shop', 'web'], ['Deployment', 'kong', 'kong-gateway'], ['Namespace', undefined, 'kong'], ['MeshDoor', undefined, 'default'],
    ];
    for (const [kind, namespace, name] of written) {
      expect(bookkeeping(h.cluster.get(kind, namespace, name)), `${kind} ${name} on the server`).to.deep.equal({ managedFields: 1, lastApplied: true });
    }
  });
});
