// The gateway in the mesh, with kube-controller-manager turning pod-template
// changes into ReplicaSets and Pods, and a stand-in for Kuma's injector
// registered as a real mutating webhook: the controller adds the Kuma
// metadata, the shipped gateway's pods get a sidecar with a token (the
// controller's pods stay unmeshed), GatewayInMesh follows what the pods and
// the Deployment say, and meshdoor removes the keys it no longer wants.
import { expect } from 'chai';
import type { V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { auditEventsFor } from './harness/audit.ts';
import { startEnvironment, expectRoutedTo } from './harness/environment.ts';
import type { Environment } from './harness/environment.ts';
import { consistently, eventually } from './harness/eventually.ts';
import { KumaInjector } from './harness/kuma-injector.ts';
import { TOKEN_DIR } from './harness/kuma-injector-model.ts';
import { gatewayDeployment, gatewayReplicaSets, meshdoorStatus, podsWithLabel } from './harness/kube-reads.ts';

const INJECTION_LABEL = 'kuma.io/sidecar-injection';
const GATEWAY_ANNOTATION = 'kuma.io/gateway';

function meshed(rs: V1ReplicaSet): boolean {
  const meta = rs.spec?.template?.metadata;
  return meta?.labels?.[INJECTION_LABEL] === 'enabled' && meta.annotations?.[GATEWAY_ANNOTATION] === 'enabled';
}

const sidecarOf = (pod: V1Pod) => pod.spec?.initContainers?.find((c) => c.name === 'kuma-sidecar');
const mountsToken = (c: { volumeMounts?: Array<{ mountPath: string }> } | undefined): boolean =>
  (c?.volumeMounts ?? []).some((m) => m.mountPath === TOKEN_DIR);

/** What a kubelet would report once the pod's containers run: Running, Ready, the sidecar started. */
function runningStatus(pod: V1Pod): string {
  const now = new Date().toISOString();
  const status = (name: string, image: string) => ({ name, image, imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } } });
  return JSON.stringify({
    status: {
      phase: 'Running', podIP: '10.244.0.10', podIPs: [{ ip: '10.244.0.10' }],
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }, { type: 'ContainersReady', status: 'True', lastTransitionTime: now }],
      initContainerStatuses: (pod.spec?.initContainers ?? []).map((c) => status(c.name, c.image ?? '')),
      containerStatuses: pod.spec?.containers.map((c) => status(c.name, c.image ?? '')),
    },
  });
}

describe('gateway in the mesh (with kube-controller-manager and an injector)', function () {
  let env: Environment;
  let injector: KumaInjector;

  const inMesh = async () => (await meshdoorStatus(env.cluster)).conditions?.find((c) => c.type === 'GatewayInMesh');
  const gatewayPods = () => podsWithLabel(env.cluster, 'kong', 'app.kubernetes.io/name=kong-gateway');

  const deploymentPatches = async (): Promise<number> => {
    const events = await env.cluster.auditEvents();
    return auditEventsFor(events, { username: env.controller.username, resource: 'deployments', name: 'kong-gateway' })
      .filter((e) => e.verb === 'patch' && e.stage === 'ResponseComplete').length;
  };

  before(async function () {
    env = await startEnvironment({ controllerManager: true, replicas: 0 });
    // The unmeshed rollout exists before the controller starts.
    await eventually(async () => {
      expect(await gatewayReplicaSets(env.cluster)).to.have.length(1);
    }, { message: 'initial ReplicaSet' });
    injector = await KumaInjector.start(env.cluster);
    await env.startController();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(env.logs());
  });

  after(async function () {
    await env?.stop();
    await injector?.stop();
  });

  it('adds the Kuma label and annotation to the pod template, which rolls out a new ReplicaSet', async function () {
    await eventually(async () => {
      const meta = (await gatewayDeployment(env.cluster)).spec?.template.metadata;
      expect(meta?.labels).to.include({ [INJECTION_LABEL]: 'enabled' });
      expect(meta?.annotations).to.include({ [GATEWAY_ANNOTATION]: 'enabled' });
    }, { message: 'pod template not meshed' });
    await eventually(async () => {
      const sets = await gatewayReplicaSets(env.cluster);
      expect(sets).to.have.length(2);
      expect(sets.filter(meshed)).to.have.length(1);
    }, { message: 'no meshed ReplicaSet' });
    // The deploy/ metadata is kept next to the Kuma keys.
    const meta = (await gatewayDeployment(env.cluster)).spec?.template.metadata;
    expect(meta?.annotations).to.include({ 'traffic.kuma.io/exclude-inbound-ports': '8001,8444' });
  });

  it('gives the shipped gateway\'s pods a sidecar that has a token, and leaves Kong and the controller pods without one', async function () {
    const pod = await eventually(async () => {
      const meshedPod = (await gatewayPods()).find((p) => sidecarOf(p) !== undefined);
      expect(meshedPod, 'no injected gateway pod').to.not.equal(undefined);
      return meshedPod as V1Pod;
    }, { message: 'gateway pod not injected' });
    expect(sidecarOf(pod)?.restartPolicy).to.equal('Always');
    expect(mountsToken(sidecarOf(pod)), 'kuma-sidecar mounts the projected token').to.equal(true);
    expect(sidecarOf(pod)?.volumeMounts?.find((m) => m.mountPath === TOKEN_DIR)?.name).to.equal('kuma-sidecar-token');
    expect(pod.spec?.containers.filter(mountsToken), 'Kong gets no token').to.deep.equal([]);
    expect(pod.metadata?.labels?.['kuma.io/mesh']).to.equal('default');
    const controllerPods = await podsWithLabel(env.cluster, 'kong', 'app.kubernetes.io/name=meshdoor');
    expect(controllerPods.length).to.be.greaterThan(0);
    for (const p of controllerPods) expect(sidecarOf(p), `${p.metadata?.name ?? ''} injected`).to.equal(undefined);
  });

  it('reports the gateway\'s mesh identity: the proxy Service, the admin Service being ignored', async function () {
    await eventually(async () => {
      expect((await meshdoorStatus(env.cluster)).meshIdentity).to.deep.equal({ service: 'kong-proxy_kong_svc_80', fromService: 'kong/kong-proxy', warning: '' });
    }, { message: 'mesh identity not reported' });
  });

  it('reports gateway pods without a kuma-sidecar in the MeshDoor status', async function () {
    // The first rollout's pod predates the metadata: it runs without a sidecar.
    await eventually(async () => {
      const status = await meshdoorStatus(env.cluster);
      expect(status.gatewayPods?.withoutSidecar).to.be.greaterThan(0);
      const inMesh = status.conditions?.find((c) => c.type === 'GatewayInMesh');
      expect(inMesh?.status).to.equal('False');
    }, { message: 'MeshDoor status does not report unmeshed pods' });
  });

  it('restores metadata removed by hand', async function () {
    const before = await deploymentPatches();
    const remove = [
      { op: 'remove', path: `/spec/template/metadata/annotations/${GATEWAY_ANNOTATION.replace('/', '~1')}` },
      { op: 'remove', path: `/spec/template/metadata/labels/${INJECTION_LABEL.replace('/', '~1')}` },
    ];
    await env.cluster.kubectl(['patch', 'deployment', 'kong-gateway', '-n', 'kong', '--type=json', '-p', JSON.stringify(remove)]);
    await eventually(async () => {
      const meta = (await gatewayDeployment(env.cluster)).spec?.template.metadata;
      expect(meta?.labels).to.include({ [INJECTION_LABEL]: 'enabled' });
      expect(meta?.annotations).to.include({ [GATEWAY_ANNOTATION]: 'enabled' });
    }, { message: 'drift not repaired' });
    expect(await deploymentPatches()).to.be.greaterThan(before);
  });

  it('restores metadata removed by hand while a push to a slow Kong is in flight, before that push lands', async function () {
    await env.double.setFaults({ slowMs: 15_000 });
    try {
      await env.apply(`
apiVersion: v1
kind: Service
metadata: { name: slow, namespace: default }
spec:
  ports: [{ port: 80 }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: slow, namespace: default }
spec:
  ingressClassName: kong
  rules:
    - host: slow.example.com
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: slow, port: { number: 80 } } } }
`);
      // The push for that Ingress now waits on Kong; someone drops the injection label meanwhile.
      const remove = [{ op: 'remove', path: `/spec/template/metadata/labels/${INJECTION_LABEL.replace('/', '~1')}` }];
      await env.cluster.kubectl(['patch', 'deployment', 'kong-gateway', '-n', 'kong', '--type=json', '-p', JSON.stringify(remove)]);
      await eventually(async () => {
        expect((await gatewayDeployment(env.cluster)).spec?.template.metadata?.labels).to.include({ [INJECTION_LABEL]: 'enabled' });
      }, { message: 'drift not repaired while a Kong push is slow' });
      expect((await env.double.route({ host: 'slow.example.com', path: '/' })).status, 'repaired before the slow push landed').to.equal(404);
    } finally {
      await env.double.clearFaults();
    }
    await expectRoutedTo(env, { host: 'slow.example.com', path: '/' }, 'slow.default.svc.cluster.local:80');
  });

  it('does not patch again when a later sync finds nothing to change', async function () {
    const settled = await eventually(async () => {
      const count = await deploymentPatches();
      const meta = (await gatewayDeployment(env.cluster)).spec?.template.metadata;
      expect(meta?.annotations).to.include({ [GATEWAY_ANNOTATION]: 'enabled' });
      return count;
    });
    // Make the controller run more passes: the Deployment itself changing
    // (a label; kube-controller-manager's status updates), then a new Ingress.
    await env.cluster.kubectl(['label', 'deployment', 'kong-gateway', '-n', 'kong', 'touched=yes']);
    await env.apply(`
apiVersion: v1
kind: Service
metadata: { name: later, namespace: default }
spec:
  ports: [{ port: 80 }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: later, namespace: default }
spec:
  ingressClassName: kong
  rules:
    - host: later.example.com
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: later, port: { number: 80 } } } }
`);
    await expectRoutedTo(env, { host: 'later.example.com', path: '/' }, 'later.default.svc.cluster.local:80');
    await eventually(async () => {
      const status = await meshdoorStatus(env.cluster);
      expect(status.routes).to.be.greaterThan(0);
    });
    expect(await deploymentPatches()).to.equal(settled);
  });

  it('is True only once the injected pods run a ready sidecar (and the unmeshed ones are gone)', async function () {
    await eventually(async () => {
      expect((await inMesh())?.reason).to.be.oneOf(['SidecarMissing', 'SidecarNotReady']);
    });
    // Play kubelet: the injected pods run; the Deployment then retires the old ReplicaSet.
    await eventually(async () => {
      for (const pod of (await gatewayPods()).filter((p) => sidecarOf(p) && p.status?.phase !== 'Running')) {
        await env.cluster.kubectl(['patch', 'pod', pod.metadata?.name ?? '', '-n', 'kong', '--subresource=status', '--type=merge', '-p', runningStatus(pod)]);
      }
      expect(await inMesh()).to.include({ status: 'True', reason: 'SidecarsReady' });
    }, { timeoutMs: 90_000, message: 'GatewayInMesh not True with running sidecars' });
  });

  it('turns GatewayInMesh False with the injector\'s message when the Mesh does not exist, while the old pods run', async function () {
    await env.cluster.kubectl(['patch', 'meshdoor', 'default', '--type=merge', '-p', JSON.stringify({ spec: { mesh: { name: 'nosuch' } } })]);
    await eventually(async () => {
      const condition = await inMesh();
      expect(condition).to.include({ status: 'False', reason: 'MeshNotFound' });
      expect(condition?.message).to.contain('admission webhook "pods-kuma-injector.kuma.io" denied the request: Mesh.kuma.io "nosuch" not found')
        .and.to.contain('still run');
    }, { timeoutMs: 90_000, message: 'missing Mesh not reported' });
    expect(injector.calls.some((c) => c.outcome === 'denied')).to.equal(true);
  });

  it('removes the kuma.io/mesh label when spec.mesh.name is removed, and the rollout recovers', async function () {
    await env.cluster.kubectl(['patch', 'meshdoor', 'default', '--type=json', '-p', JSON.stringify([{ op: 'remove', path: '/spec/mesh/name' }])]);
    await eventually(async () => {
      const deployment = await gatewayDeployment(env.cluster);
      expect(deployment.spec?.template.metadata?.labels).to.not.have.property('kuma.io/mesh');
      expect(deployment.status?.conditions?.find((c) => c.type === 'ReplicaFailure')).to.equal(undefined);
      expect((await inMesh())?.reason).to.not.be.oneOf(['MeshNotFound', 'ReplicaFailure']);
    }, { timeoutMs: 90_000, message: 'rollout did not recover' });
    const meta = (await gatewayDeployment(env.cluster)).spec?.template.metadata;
    expect(meta?.annotations, 'keys meshdoor never set are kept').to.include({ 'traffic.kuma.io/exclude-inbound-ports': '8001,8444', 'kuma.io/service-account-token-volume': 'kuma-sidecar-token' });
  });

  it('labels the namespace `disabled` only when the key is missing, and never changes a value someone else set', async function () {
    const label = async () => (await env.cluster.getJson<{ metadata: { labels?: Record<string, string> } }>(['namespace', 'kong']))?.metadata.labels?.[INJECTION_LABEL];
    const namespacePatches = async (): Promise<number> => auditEventsFor(await env.cluster.auditEvents(), { username: env.controller.username, resource: 'namespaces', name: 'kong' })
      .filter((e) => e.verb === 'patch' && e.stage === 'ResponseComplete').length;
    await env.cluster.kubectl(['label', 'namespace', 'kong', `${INJECTION_LABEL}-`]);
    await env.cluster.kubectl(['patch', 'meshdoor', 'default', '--type=merge', '-p', JSON.stringify({ spec: { gateway: { labelNamespace: true } } })]);
    await eventually(async () => { expect(await label()).to.equal('disabled'); }, { message: 'namespace not labelled' });
    // Someone else sets a value: it is theirs now; meshdoor neither reverts nor, once not asked, removes it.
    await env.cluster.kubectl(['label', 'namespace', 'kong', `${INJECTION_LABEL}=true`, '--overwrite']);
    const before = await namespacePatches();
    await consistently(async () => { expect(await label()).to.equal('true'); }, { timeoutMs: 4000 });
    await env.cluster.kubectl(['patch', 'meshdoor', 'default', '--type=merge', '-p', JSON.stringify({ spec: { gateway: { labelNamespace: false } } })]);
    await consistently(async () => { expect(await label()).to.equal('true'); }, { timeoutMs: 4000 });
    expect(await namespacePatches()).to.equal(before);
  });

  it('made no request that the shipped RBAC refuses', async function () {
    expect(await env.forbiddenControllerRequests()).to.deep.equal([]);
  });
});
