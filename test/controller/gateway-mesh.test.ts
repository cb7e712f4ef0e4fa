// Feature: GatewayInMesh says what is true, and meshdoor owns exactly its keys.
// The fake cluster applies server-side like the API server does for the keys
// meshdoor applies (its field manager's previous keys are dropped when left
// out; other keys stay).
import { expect } from 'chai';
import type { KubernetesObject, V1Deployment, V1Namespace, V1Pod, V1Service } from '@kubernetes/client-node';
import type { MeshDoorStatus } from '../../src/controller/meshdoor-status.ts';
import type { GatewayMeshStatusFields } from '../../src/controller/gateway-mesh-status.ts';
import { templateFieldSet } from '../../src/mesh/managed-fields.ts';
import type { MeshApi, MeshGet } from '../../src/mesh/mesh-reader.ts';
import {
  gatewayDeployment, gatewayNamespace, gatewayObjects, gatewayPod, meshdoor, meshedGatewayDeployment,
} from './fixtures.ts';
import { startHarness, type Harness, type HarnessOptions } from './harness.ts';
import { recordingKong } from './recording-kong.ts';

type Status = Partial<MeshDoorStatus & GatewayMeshStatusFields>;

function withoutKinds(objects: KubernetesObject[], ...kinds: string[]): KubernetesObject[] {
  return objects.filter((o) => !kinds.includes(o.kind ?? ''));
}

function selectingService(name: string, port: number, annotations: Record<string, string> = {}): V1Service {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'kong', name, annotations },
    spec: { type: 'ClusterIP', selector: { app: 'kong-gateway' }, ports: [{ name: 'p', port }] },
  };
}

class FakeMeshApi implements MeshApi {
  reads = 0;
  constructor(private readonly allowed: boolean, public answer: MeshGet) {}
  mayReadMeshes(): Promise<boolean> { return Promise.resolve(this.allowed); }
  getMesh(): Promise<MeshGet> {
    this.reads += 1;
    return Promise.resolve(this.answer);
  }
}

describe('controller: GatewayInMesh and meshdoor\'s own keys', () => {
  let h: Harness;
  afterEach(async () => { await h.stop(); });

  const start = (objects: KubernetesObject[], extra: Partial<HarnessOptions> = {}) =>
    startHarness({ kong: recordingKong(), kongAdminUrls: ['http://127.0.0.1:1'], objects, ...extra });
  const status = (): Status => h.cluster.get<{ status?: Status } & V1Namespace>('MeshDoor', undefined, 'default')?.status ?? {};
  const inMesh = () => status().conditions?.find((c) => c.type === 'GatewayInMesh');
  const template = () => h.cluster.get<V1Deployment>('Deployment', 'kong', 'kong-gateway')?.spec?.template;
  const deploymentEvents = (reason: string) => h.cluster.events.filter((e) => e.reason === reason && e.involvedObject.kind === 'Deployment');

  it('removes the kuma.io/mesh label once spec.mesh.name is removed, and never touches keys it did not add', async () => {
    const deployment = gatewayDeployment({ team: 'edge' }, { 'example.com/owner': 'edge' });
    h = await start([...withoutKinds(gatewayObjects(1), 'Deployment', 'MeshDoor'), deployment, meshdoor({ mesh: { name: 'prod' } })]);
    await h.eventually(() => { expect(template()?.metadata?.labels?.['kuma.io/mesh']).to.equal('prod'); });
    h.cluster.apply(meshdoor({}));
    await h.eventually(() => { expect(template()?.metadata?.labels).to.not.have.property('kuma.io/mesh'); });
    expect(template()?.metadata?.labels).to.include({ team: 'edge', app: 'kong-gateway', 'kuma.io/sidecar-injection': 'enabled' });
    expect(template()?.metadata?.annotations).to.include({ 'example.com/owner': 'edge', 'kuma.io/gateway': 'enabled' });
    const writes = h.cluster.writes.filter((w) => w.op === 'deployment').length;
    await h.advance(3000);
    expect(h.cluster.writes.filter((w) => w.op === 'deployment')).to.have.length(writes);
  });

  it('takes over the keys an earlier version merge-patched, so a stale kuma.io/mesh label goes too', async () => {
    const deployment = gatewayDeployment(
      { 'kuma.io/sidecar-injection': 'enabled', 'kuma.io/mesh': 'old' },
      { 'kuma.io/gateway': 'enabled', 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' },
    );
    const legacy = templateFieldSet({ labels: ['kuma.io/sidecar-injection', 'kuma.io/mesh'], annotations: ['kuma.io/gateway', 'kubectl.kubernetes.io/restartedAt'], volumes: [] });
    deployment.metadata = { ...deployment.metadata, managedFields: [{ manager: 'meshdoor', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: legacy }] };
    h = await start([...withoutKinds(gatewayObjects(1), 'Deployment'), deployment]);
    await h.eventually(() => { expect(template()?.metadata?.labels).to.not.have.property('kuma.io/mesh'); });
    expect(template()?.metadata?.annotations, 'not a key meshdoor applies').to.include({ 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' });
    expect(template()?.metadata?.labels).to.include({ 'kuma.io/sidecar-injection': 'enabled' });
  });

  it('leaves a kuma.io/mesh label someone else set alone', async () => {
    const deployment = gatewayDeployment({ 'kuma.io/mesh': 'theirs' });
    h = await start([...withoutKinds(gatewayObjects(1), 'Deployment'), deployment]);
    await h.eventually(() => { expect(template()?.metadata?.annotations?.['kuma.io/gateway']).to.equal('enabled'); });
    await h.advance(2000);
    expect(template()?.metadata?.labels?.['kuma.io/mesh']).to.equal('theirs');
  });

  describe('the sidecar\'s ServiceAccount token', () => {
    function noToken(): V1Deployment {
      const d = meshedGatewayDeployment();
      const spec = d.spec?.template.spec;
      if (spec) spec.automountServiceAccountToken = false;
      return d;
    }

    it('reports a template whose sidecar would get no token: reason, Event and what to add', async () => {
      h = await start([...withoutKinds(gatewayObjects(1), 'Deployment'), noToken()]);
      await h.eventually(() => { expect(inMesh()).to.include({ status: 'False', reason: 'SidecarTokenMissing' }); });
      expect(inMesh()?.message).to.contain('kuma.io/service-account-token-volume').and.to.contain('serviceAccountToken').and.to.contain('manageTokenVolume');
      await h.eventually(() => { expect(deploymentEvents('SidecarTokenMissing')).to.have.length(1); });
      expect(template()?.spec?.volumes ?? []).to.deep.equal([]);
    });

    it('adds the projected token volume and annotation when the MeshDoor asks, and takes them back when it stops asking', async () => {
      h = await start([...withoutKinds(gatewayObjects(1), 'Deployment', 'MeshDoor'), noToken(), meshdoor({ gateway: { manageTokenVolume: true } })]);
      await h.eventually(() => { expect(inMesh()?.status).to.equal('True'); });
      expect(template()?.metadata?.annotations?.['kuma.io/service-account-token-volume']).to.equal('kuma-sidecar-token');
      const volume = template()?.spec?.volumes?.find((v) => v.name === 'kuma-sidecar-token');
      expect(volume?.projected?.sources?.[0]?.serviceAccountToken?.path).to.equal('token');
      expect(template()?.spec?.containers[0]?.volumeMounts ?? [], 'Kong itself mounts no token').to.deep.equal([]);
      h.cluster.apply(meshdoor({}));
      await h.eventually(() => { expect(inMesh()?.reason).to.equal('SidecarTokenMissing'); });
      expect(template()?.metadata?.annotations).to.not.have.property('kuma.io/service-account-token-volume');
      expect(template()?.spec?.volumes).to.deep.equal([]);
    });

    it('reports running gateway pods whose sidecar got no token', async () => {
      h = await start([...withoutKinds(gatewayObjects(1), 'Pod'), gatewayPod('gw-a', 'initContainers', 'Running', { token: false })]);
      await h.eventually(() => { expect(inMesh()).to.include({ status: 'False', reason: 'SidecarTokenMissing' }); });
      expect(inMesh()?.message).to.contain('gw-a');
    });
  });

  it('is False with the injector\'s message while the Deployment reports ReplicaFailure and old pods still run', async () => {
    const d = meshedGatewayDeployment();
    d.status = { ...d.status, conditions: [{
      type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate',
      message: 'admission webhook "pods-kuma-injector.kuma.io" denied the request: Mesh.kuma.io "nosuch" not found',
    }] };
    h = await start([...withoutKinds(gatewayObjects(1), 'Deployment'), d]);
    await h.eventually(() => { expect(inMesh()).to.include({ status: 'False', reason: 'MeshNotFound' }); });
    expect(inMesh()?.message).to.contain('Mesh.kuma.io "nosuch" not found').and.to.contain('2 pod(s) of an earlier template still run');
  });

  it('is False while a sidecar is not started and ready, from native-sidecar and container statuses', async () => {
    const crashing = gatewayPod('gw-a', 'initContainers', 'Running', {
      sidecarStatus: { ready: false, started: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } },
    });
    const notReady = gatewayPod('gw-b', 'containers', 'Running', { sidecarStatus: { ready: false, started: true } });
    h = await start([...withoutKinds(gatewayObjects(1), 'Pod'), crashing, notReady]);
    await h.eventually(() => { expect(inMesh()).to.include({ status: 'False', reason: 'SidecarNotReady' }); });
    expect(inMesh()?.message).to.contain('gw-a: kuma-sidecar is not started: waiting: CrashLoopBackOff, last exit code 1 (Error), 4 restarts')
      .and.to.contain('gw-b: kuma-sidecar is not ready');
    h.cluster.apply(gatewayPod('gw-a', 'initContainers'));
    h.cluster.apply(gatewayPod('gw-b', 'containers'));
    await h.eventually(() => { expect(inMesh()?.status).to.equal('True'); });
  });

  it('warns when the namespace enforces Pod Security restricted, unless the pods show Kuma\'s CNI mode', async () => {
    const restricted = gatewayNamespace({ 'kuma.io/sidecar-injection': 'disabled', 'pod-security.kubernetes.io/enforce': 'restricted' });
    h = await start([...withoutKinds(gatewayObjects(1), 'Namespace'), restricted]);
    await h.eventually(() => { expect(inMesh()).to.include({ status: 'False', reason: 'PodSecurityRestricted' }); });
    expect(inMesh()?.message).to.contain('NET_ADMIN').and.to.contain('CNI');
    const cni = (name: string): V1Pod => {
      const pod = gatewayPod(name, 'initContainers');
      pod.spec!.initContainers = pod.spec!.initContainers!.filter((c) => c.name !== 'kuma-init');
      return pod;
    };
    h.cluster.apply(cni('kong-gateway-1'));
    h.cluster.apply(cni('kong-gateway-2'));
    await h.eventually(() => { expect(inMesh()?.status).to.equal('True'); });
  });

  it('says restarting cannot help when the gateway lives where Kuma\'s webhooks never look', async () => {
    const inKubeSystem = <T extends KubernetesObject>(o: T): T => ({ ...o, metadata: { ...o.metadata, namespace: 'kube-system' } });
    const objects = [
      meshdoor({ gateway: { namespace: 'kube-system' } }), ...withoutKinds(gatewayObjects(1), 'MeshDoor', 'Deployment', 'Pod', 'Namespace'),
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system', labels: { 'kuma.io/sidecar-injection': 'enabled' } } },
      inKubeSystem(meshedGatewayDeployment()), inKubeSystem(gatewayPod('gw-a', 'none')),
    ];
    h = await start(objects, { options: { restartUnmeshedGateway: true } });
    await h.eventually(() => { expect(inMesh()).to.include({ status: 'False', reason: 'NamespaceNeverInjected' }); });
    expect(inMesh()?.message).to.contain('restarting the gateway cannot help');
    await h.advance(3000);
    expect(h.cluster.writes.filter((w) => w.op === 'deployment' && JSON.stringify(w.body).includes('restartedAt'))).to.deep.equal([]);
  });

  describe('mesh identity', () => {
    it('reports the kuma.io/service Kuma derives and warns when it is not the proxy Service', async () => {
      const services = [selectingService('kong-admin', 8001), selectingService('kong-proxy', 80)];
      h = await start([...gatewayObjects(1), ...services]);
      await h.eventually(() => { expect(status().meshIdentity?.service).to.equal('kong-admin_kong_svc_8001'); });
      expect(status().meshIdentity?.warning).to.contain('kuma.io/ignore');
      await h.eventually(() => { expect(deploymentEvents('MeshIdentityNotProxy')).to.have.length(1); });
      h.cluster.apply(selectingService('kong-admin', 8001, { 'kuma.io/ignore': 'true' }));
      await h.eventually(() => { expect(status().meshIdentity).to.deep.equal({ service: 'kong-proxy_kong_svc_80', fromService: 'kong/kong-proxy', warning: '' }); });
    });
  });

  describe('the Mesh, read only where RBAC allows', () => {
    it('does not read it without permission, and says so', async () => {
      const api = new FakeMeshApi(false, { missing: true });
      h = await start(gatewayObjects(1), { meshApi: api });
      await h.eventually(() => { expect(status().mesh).to.include({ name: 'default', read: false, found: 'Unknown' }); });
      expect(api.reads).to.equal(0);
      expect(inMesh()?.status).to.equal('True');
    });

    it('is False as soon as the named Mesh is missing, and looks again without a watch event', async () => {
      const api = new FakeMeshApi(true, { missing: true });
      h = await start([...withoutKinds(gatewayObjects(1), 'MeshDoor'), meshdoor({ mesh: { name: 'nosuch' } })], { meshApi: api });
      await h.eventually(() => { expect(inMesh()).to.include({ status: 'False', reason: 'MeshNotFound' }); });
      expect(inMesh()?.message).to.contain('Mesh "nosuch" does not exist');
      api.answer = { found: {} };
      await h.eventually(() => { expect(inMesh()?.status).to.equal('True'); }, 40_000);
    });

    it('reports meshServices.mode Exclusive and warns when the MeshDoor relies on legacy .mesh names', async () => {
      const legacy: V1Service = { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'shop', name: 'front' }, spec: { type: 'ExternalName', externalName: 'frontend.kong.svc.80.mesh' } };
      const api = new FakeMeshApi(true, { found: { spec: { meshServices: { mode: 'Exclusive' } } } });
      h = await start([...withoutKinds(gatewayObjects(1), 'MeshDoor'), meshdoor({ upstreamMode: 'mesh' }), legacy], { meshApi: api });
      await h.eventually(() => { expect(status().mesh).to.include({ read: true, found: 'True', meshServicesMode: 'Exclusive' }); });
      expect(status().mesh?.warning).to.contain('spec.upstreamMode: mesh').and.to.contain('shop/front').and.to.contain('.mzsvc.mesh.local');
      await h.eventually(() => { expect(deploymentEvents('MeshServicesExclusive')).to.have.length(1); });
    });
  });
});
