// Upgrading from a meshdoor that merge-patched the Kuma keys: the API server
// recorded them under meshdoor's `Update` entry, where they would survive
// every later apply. The controller moves them into its `Apply` entry before
// its first apply, so a key it no longer wants (here a stale kuma.io/mesh)
// is removed, and keys it never wrote stay.
import { expect } from 'chai';
import type { V1Deployment, V1ManagedFieldsEntry } from '@kubernetes/client-node';
import { startEnvironment } from './harness/environment.ts';
import type { Environment } from './harness/environment.ts';
import { eventually } from './harness/eventually.ts';
import { gatewayDeployment } from './harness/kube-reads.ts';

const legacyPatch = {
  spec: {
    template: {
      metadata: {
        labels: { 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'old' },
        annotations: { 'kuma.io/gateway': 'enabled', 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' },
      },
    },
  },
};

function templateMetadataKeys(entry: V1ManagedFieldsEntry | undefined): string[] {
  const meta = (entry?.fieldsV1 as Record<string, Record<string, Record<string, Record<string, object>>>> | undefined)?.['f:spec']?.['f:template']?.['f:metadata'];
  return Object.entries(meta ?? {}).flatMap(([kind, keys]) => Object.keys(keys).map((k) => `${kind}/${k}`)).sort();
}

describe('upgrade from merge-patched gateway metadata', function () {
  let env: Environment;

  before(async function () {
    env = await startEnvironment({ replicas: 0 });
    // What an earlier meshdoor left behind, with spec.mesh.name then set to "old".
    await env.cluster.kubectl(['patch', 'deployment', 'kong-gateway', '-n', 'kong', '--type=merge', '--field-manager=meshdoor', '-p', JSON.stringify(legacyPatch)]);
    await env.startController();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(env.logs());
  });

  after(async function () {
    await env?.stop();
  });

  it('removes the stale kuma.io/mesh label and keeps what meshdoor never applies', async function () {
    await eventually(async () => {
      const meta = (await gatewayDeployment(env.cluster)).spec?.template.metadata;
      expect(meta?.labels).to.not.have.property('kuma.io/mesh');
      expect(meta?.labels).to.include({ 'kuma.io/sidecar-injection': 'enabled' });
      expect(meta?.annotations).to.include({ 'kuma.io/gateway': 'enabled', 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' });
    }, { message: 'stale label not removed' });
  });

  it('owns its keys through its Apply entry only', async function () {
    const deployment = await env.cluster.getJson<V1Deployment>(['deployment', 'kong-gateway', '-n', 'kong', '--show-managed-fields']);
    const entries = deployment?.metadata?.managedFields ?? [];
    const apply = entries.find((e) => e.manager === 'meshdoor' && e.operation === 'Apply');
    const update = entries.find((e) => e.manager === 'meshdoor' && e.operation === 'Update');
    expect(templateMetadataKeys(apply)).to.include.members(['f:annotations/f:kuma.io/gateway', 'f:labels/f:kuma.io/sidecar-injection']);
    expect(templateMetadataKeys(update)).to.deep.equal(['f:annotations/f:kubectl.kubernetes.io/restartedAt']);
  });

  it('made no request that the shipped RBAC refuses', async function () {
    expect(await env.forbiddenControllerRequests()).to.deep.equal([]);
  });
});
