// Feature: the gateway in the mesh. The pod template is patched once, drift is
// repaired, nothing is written when it is right; sidecars are detected in both
// placements; values Kuma rejects are refused.
import { expect } from 'chai';
import type { V1Deployment, V1Namespace } from '@kubernetes/client-node';
import {
  desiredGatewayMetadata, namespaceLabelAction, templateApplyBody, templateNeedsApply, validateGatewayMetadata,
} from '../../src/mesh/gateway-metadata.ts';
import { templateFieldSet } from '../../src/mesh/managed-fields.ts';
import { podHasSidecar, rolloutComplete, summarizeGatewayPods } from '../../src/mesh/sidecar.ts';
import type { MeshDoorStatus } from '../../src/controller/meshdoor-status.ts';
import {
  gatewayDeployment, gatewayNamespace, gatewayObjects, gatewayPod, meshdoor, meshedGatewayDeployment,
} from './fixtures.ts';
import { startHarness, type Harness, type HarnessOptions } from './harness.ts';
import { recordingKong } from './recording-kong.ts';

describe('gateway metadata (pure)', () => {
  it('wants the injection label, the gateway annotation and, when named, the mesh label', () => {
    expect(desiredGatewayMetadata({})).to.deep.equal({
      labels: { 'kuma.io/sidecar-injection': 'enabled' }, annotations: { 'kuma.io/gateway': 'enabled' }, volumes: [],
    });
    expect(desiredGatewayMetadata({ name: 'prod' }).labels['kuma.io/mesh']).to.equal('prod');
  });

  it('applies when a wanted key differs or is not yet meshdoor\'s, or meshdoor owns one it no longer wants; never otherwise', () => {
    const desired = desiredGatewayMetadata({ name: 'prod' });
    const partly = gatewayDeployment({ 'kuma.io/sidecar-injection': 'enabled' }, { 'kuma.io/gateway': 'disabled' });
    expect(templateNeedsApply(partly, desired)).to.equal(true);
    expect(templateApplyBody(partly, desired)).to.deep.equal({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace: 'kong', name: 'kong-gateway' },
      spec: { template: { metadata: { labels: { 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'prod' }, annotations: { 'kuma.io/gateway': 'enabled' } } } },
    });
    const right = gatewayDeployment({ 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'prod' }, { 'kuma.io/gateway': 'enabled', other: 'x' });
    expect(templateNeedsApply(right, desired), 'right values, but not yet owned').to.equal(true);
    const owned = { labels: new Set(['kuma.io/sidecar-injection', 'kuma.io/mesh']), annotations: new Set(['kuma.io/gateway']), volumes: new Set<string>() };
    expect(templateNeedsApply(right, desired, owned)).to.equal(false);
    expect(templateNeedsApply(right, desiredGatewayMetadata({}), owned), 'owns kuma.io/mesh, no longer wanted').to.equal(true);
    const ownedVia = { ...right, metadata: { ...right.metadata, managedFields: [{
      manager: 'meshdoor', operation: 'Apply', fieldsV1: templateFieldSet({ labels: owned.labels, annotations: owned.annotations, volumes: [] }),
    }] } };
    expect(templateNeedsApply(ownedVia, desired), 'ownership read from managedFields').to.equal(false);
  });

  it('refuses values Kuma rejects, with a message naming key and value', () => {
    expect(validateGatewayMetadata(desiredGatewayMetadata({ name: 'prod' }))).to.deep.equal([]);
    const problems = validateGatewayMetadata({
      labels: { 'kuma.io/sidecar-injection': 'true', 'kuma.io/mesh': 'Not_Valid' },
      annotations: { 'kuma.io/gateway': 'disabled', 'kuma.io/sidecar-injected': 'true', 'kuma.io/mesh': 'x' },
    });
    expect(problems.join('\n')).to.contain('kuma.io/gateway="disabled"')
      .and.to.contain('kuma.io/sidecar-injection="true"')
      .and.to.contain('kuma.io/mesh="Not_Valid"')
      .and.to.contain('kuma.io/sidecar-injected is set by Kuma')
      .and.to.contain('kuma.io/mesh must be a label')
      .and.to.contain('still honours the annotation but deprecates it');
    expect(problems.join('\n')).to.not.contain('ignores the annotation form: kuma.io/mesh');
  });

  it('labels the namespace `disabled` only when asked and the key is missing, never changes a value, takes back only its own', () => {
    const bare: V1Namespace = gatewayNamespace({});
    expect(namespaceLabelAction(bare, true)).to.deep.equal({
      action: 'apply', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kong', labels: { 'kuma.io/sidecar-injection': 'disabled' } } },
    });
    const report = namespaceLabelAction(bare, false);
    expect(report.action).to.equal('report');
    expect(report.action === 'report' && report.message).to.contain('2.11');
    expect(namespaceLabelAction(gatewayNamespace({ 'kuma.io/sidecar-injection': 'enabled' }), true)).to.deep.equal({ action: 'none' });
    expect(namespaceLabelAction(gatewayNamespace({ 'kuma.io/sidecar-injection': 'enabled' }), false)).to.deep.equal({ action: 'none' });
    const ours: V1Namespace = { ...gatewayNamespace({ 'kuma.io/sidecar-injection': 'disabled' }) };
    ours.metadata = { ...ours.metadata, managedFields: [{ manager: 'meshdoor', operation: 'Apply', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:kuma.io/sidecar-injection': {} } } } }] };
    expect(namespaceLabelAction(ours, true)).to.deep.equal({ action: 'none' });
    expect(namespaceLabelAction(ours, false)).to.deep.equal({ action: 'apply', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kong', labels: {} } } });
  });
});

describe('sidecar detection (pure)', () => {
  it('finds kuma-sidecar in containers (Kuma ≤ 2.13) and in initContainers (native sidecar)', () => {
    expect(podHasSidecar(gatewayPod('a', 'containers'))).to.equal(true);
    expect(podHasSidecar(gatewayPod('b', 'initContainers'))).to.equal(true);
    expect(podHasSidecar(gatewayPod('c', 'none'))).to.equal(false);
  });

  it('counts live pods (pending or running), not finished or terminating ones', () => {
    const summary = summarizeGatewayPods([
      gatewayPod('a', 'containers'), gatewayPod('b', 'none'), gatewayPod('c', 'none', 'Pending'),
      gatewayPod('e', 'none', 'Succeeded'), gatewayPod('f', 'none', 'Failed'),
      { ...gatewayPod('d', 'none'), metadata: { name: 'd', deletionTimestamp: new Date(0) } },
    ]);
    expect(summary).to.deep.include({ total: 3, withSidecar: 1, withoutSidecar: ['b', 'c'] });
  });

  it('knows when a rollout is complete', () => {
    const d: V1Deployment = { ...gatewayDeployment(), metadata: { generation: 3 }, status: { observedGeneration: 3, replicas: 2, updatedReplicas: 2 } };
    expect(rolloutComplete(d)).to.equal(true);
    expect(rolloutComplete({ ...d, status: { observedGeneration: 2, replicas: 2, updatedReplicas: 2 } })).to.equal(false);
    expect(rolloutComplete({ ...d, status: { observedGeneration: 3, replicas: 3, updatedReplicas: 2 } })).to.equal(false);
  });
});

describe('controller: the gateway in the mesh', () => {
  let h: Harness;
  afterEach(async () => { await h.stop(); });

  function deploymentWrites() {
    return h.cluster.writes.filter((w) => w.op === 'deployment');
  }

  function templateMeta() {
    return h.cluster.get<V1Deployment>('Deployment', 'kong', 'kong-gateway')?.spec?.template.metadata;
  }

  function meshdoorStatus(): Partial<MeshDoorStatus> {
    return (h.cluster.get<{ status?: Partial<MeshDoorStatus> } & V1Namespace>('MeshDoor', undefined, 'default')?.status) ?? {};
  }

  function condition(type: string) {
    return meshdoorStatus().conditions?.find((c) => c.type === type);
  }

  const start = (objects: HarnessOptions['objects'], options: HarnessOptions['options'] = {}) =>
    startHarness({ kong: recordingKong(), kongAdminUrls: ['http://127.0.0.1:1'], objects, options });

  it('patches an unmeshed template once, repairs drift, and leaves a right template alone', async () => {
    const objects = gatewayObjects(1).filter((o) => o.kind !== 'Deployment');
    h = await start([...objects, gatewayDeployment()]);
    await h.eventually(() => { expect(deploymentWrites()).to.have.length(1); });
    expect(templateMeta()?.labels?.['kuma.io/sidecar-injection']).to.equal('enabled');
    expect(templateMeta()?.annotations?.['kuma.io/gateway']).to.equal('enabled');
    expect(templateMeta()?.labels?.app, 'other labels kept').to.equal('kong-gateway');
    await h.advance(3000);
    expect(deploymentWrites(), 'no second patch once right').to.have.length(1);

    // Someone removes the annotation: repaired on the next event.
    const current = h.cluster.get<V1Deployment>('Deployment', 'kong', 'kong-gateway');
    h.cluster.apply({ ...current, spec: { ...current?.spec, template: { ...current?.spec?.template, metadata: { labels: current?.spec?.template.metadata?.labels } } } } as V1Deployment);
    await h.eventually(() => { expect(templateMeta()?.annotations?.['kuma.io/gateway']).to.equal('enabled'); });
    await h.advance(3000);
    expect(deploymentWrites()).to.have.length(2);
  });

  it('never patches a template that is already right', async () => {
    h = await start(gatewayObjects(1));
    await h.eventually(() => { expect(condition('GatewayInMesh')?.status).to.equal('True'); });
    await h.advance(3000);
    expect(deploymentWrites()).to.deep.equal([]);
    expect(meshdoorStatus().sidecars).to.equal('2/2');
  });

  it('adds the mesh label when the MeshDoor names a mesh, and refuses a mesh name Kuma rejects', async () => {
    const objects = gatewayObjects(1).filter((o) => o.kind !== 'MeshDoor');
    h = await start([...objects, meshdoor({ mesh: { name: 'prod' } })]);
    await h.eventually(() => { expect(templateMeta()?.labels?.['kuma.io/mesh']).to.equal('prod'); });
    await h.stop();
    h = await start([...objects, meshdoor({ mesh: { name: 'prod.with.a.really.long.name.that.is.longer.than.sixty.three.characters' } })]);
    await h.eventually(() => { expect(condition('GatewayInMesh')?.reason).to.equal('InvalidGatewayMetadata'); });
    expect(deploymentWrites()).to.deep.equal([]);
  });

  it('reports gateway pods without the sidecar in status and Events, whichever placement the others use', async () => {
    const objects = gatewayObjects(1).filter((o) => o.kind !== 'Pod');
    h = await start([...objects, gatewayPod('gw-a', 'containers'), gatewayPod('gw-b', 'initContainers'), gatewayPod('gw-c', 'none')]);
    await h.eventually(() => { expect(condition('GatewayInMesh')?.reason).to.equal('SidecarMissing'); });
    expect(condition('GatewayInMesh')?.message).to.contain('gw-c');
    expect(meshdoorStatus().gatewayPods).to.deep.equal({ total: 3, withSidecar: 2, withoutSidecar: 1 });
    expect(meshdoorStatus().sidecars).to.equal('2/3');
    expect(condition('Ready')?.status).to.equal('False');
    await h.eventually(() => {
      expect(h.cluster.events.filter((e) => e.reason === 'SidecarMissing').map((e) => e.involvedObject.name)).to.deep.equal(['gw-c']);
    });
    h.cluster.apply(gatewayPod('gw-c', 'initContainers'));
    await h.eventually(() => { expect(condition('GatewayInMesh')?.status).to.equal('True'); });
    expect(condition('Ready')?.status).to.equal('True');
  });

  it('with --restart-unmeshed-gateway, restarts the rollout once when the template is right but pods lack the sidecar', async () => {
    const objects = gatewayObjects(1).filter((o) => o.kind !== 'Pod');
    h = await start([...objects, gatewayPod('gw-a', 'none')], { restartUnmeshedGateway: true });
    await h.eventually(() => { expect(deploymentWrites()).to.have.length(1); });
    expect(templateMeta()?.annotations?.['kubectl.kubernetes.io/restartedAt']).to.be.a('string');
    await h.advance(5000);
    expect(deploymentWrites(), 'not again for the generation it produced').to.have.length(1);
  });

  it('does not restart when the namespace keeps Kuma\'s webhook away, and says so', async () => {
    const objects = gatewayObjects(1).filter((o) => o.kind !== 'Pod' && o.kind !== 'Namespace');
    h = await start([...objects, gatewayNamespace({}), gatewayPod('gw-a', 'none')], { restartUnmeshedGateway: true });
    await h.eventually(() => { expect(condition('GatewayInMesh')?.message).to.contain('2.11'); });
    expect(deploymentWrites()).to.deep.equal([]);
    expect(h.cluster.writes.filter((w) => w.op === 'namespace')).to.deep.equal([]);
  });

  it('labels the gateway namespace (key only: `disabled`) when the MeshDoor asks', async () => {
    const objects = gatewayObjects(1).filter((o) => o.kind !== 'Namespace' && o.kind !== 'MeshDoor');
    h = await start([...objects, gatewayNamespace({}), meshdoor({ gateway: { labelNamespace: true } })]);
    await h.eventually(() => {
      expect(h.cluster.get<V1Namespace>('Namespace', undefined, 'kong')?.metadata?.labels?.['kuma.io/sidecar-injection']).to.equal('disabled');
    });
    await h.advance(2000);
    expect(h.cluster.writes.filter((w) => w.op === 'namespace')).to.have.length(1);
  });

  it('reports a missing gateway Deployment', async () => {
    h = await start(gatewayObjects(1).filter((o) => o.kind !== 'Deployment'));
    await h.eventually(() => { expect(condition('GatewayInMesh')?.reason).to.equal('GatewayNotFound'); });
    h.cluster.apply(meshedGatewayDeployment());
    await h.eventually(() => { expect(condition('GatewayInMesh')?.status).to.equal('True'); });
  });
});
