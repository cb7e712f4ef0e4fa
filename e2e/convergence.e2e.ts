// Convergence with Kong, through a real kube-apiserver: an edit Kong rejects
// does not take down what worked (last valid version, reported); a change while
// a rejected object exists costs one POST, also after a controller restart;
// the status says what Kong holds (its hash, a FAILING column, Services without
// ready endpoints); an Ingress of which nothing is served loses its address.
import { expect } from 'chai';
import { expectNotRouted, expectRefilled, expectRoutedTo, startEnvironment } from './harness/environment.ts';
import type { Environment } from './harness/environment.ts';
import { consistently, eventually } from './harness/eventually.ts';
import { EMPTY_CONFIG_HASH } from './harness/kong-double-client.ts';
import { ingressAddresses, meshdoorStatus, warningEvents } from './harness/kube-reads.ts';
import { hostIngressYaml } from './harness/manifests.ts';

const BACKEND = 'web.apps.svc.cluster.local:80';

function serviceYaml(name: string): string {
  return `
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: apps }
spec:
  ports: [{ name: http, port: 80 }]
`;
}

function readySliceYaml(service: string): string {
  return `
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${service}-1
  namespace: apps
  labels: { kubernetes.io/service-name: ${service} }
addressType: IPv4
ports: [{ name: http, port: 8080, protocol: TCP }]
endpoints: [{ addresses: [10.1.0.7], conditions: { ready: true } }]
`;
}

function multiYaml(paths: string[]): string {
  return `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: multi, namespace: apps }
spec:
  ingressClassName: kong
  rules:
    - host: multi.example.com
      http:
        paths:
${paths.map((p) => `          - { path: ${p}, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }`).join('\n')}
`;
}

const multi = (path: string): { host: string; path: string } => ({ host: 'multi.example.com', path });

describe('convergence with Kong: last valid version, one POST per change, status from Kong', function () {
  let env: Environment;

  before(async function () {
    env = await startEnvironment();
    await env.apply(['apiVersion: v1\nkind: Namespace\nmetadata: { name: apps }\n', serviceYaml('web'), readySliceYaml('web'), multiYaml(['/a', '/c'])].join('---\n'));
    await expectRoutedTo(env, multi('/a'), BACKEND);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(env.logs());
  });

  after(async function () {
    await env?.stop();
  });

  it('keeps serving the last valid version of an Ingress whose edit Kong rejects, and says so', async function () {
    await env.double.setFaults({ rejectPath: '/bad/' });
    await env.apply(multiYaml(['/a', '/c', '/bad', '/new']));
    await eventually(async () => {
      const entry = (await meshdoorStatus(env.cluster)).failingObjects?.find((f) => f.name === 'multi');
      expect(entry?.reason).to.equal('ServingLastValid');
      expect(entry?.message).to.contain('Kong rejected').and.contain('still serving its last valid version');
    }, { message: 'no ServingLastValid entry for apps/multi' });
    await expectRoutedTo(env, multi('/a'), BACKEND);
    await expectRoutedTo(env, multi('/c'), BACKEND);
    await expectNotRouted(env, multi('/new'));
    await eventually(async () => {
      const events = await warningEvents(env.cluster, 'apps', { kind: 'Ingress', name: 'multi' });
      expect(events.map((e) => e.reason)).to.include('ServingLastValid');
    });
    const table = await env.cluster.kubectl(['get', 'meshdoors']);
    const [header, row] = table.stdout.trim().split('\n');
    const column = header?.split(/\s+/).indexOf('FAILING') ?? -1;
    expect(column, table.stdout).to.be.greaterThan(header?.split(/\s+/).indexOf('SYNCED') ?? Infinity);
    expect(Number(row?.split(/\s+/)[column])).to.equal((await meshdoorStatus(env.cluster)).failingObjectCount);
  });

  it('a change while the rejected object exists costs one POST', async function () {
    await env.double.clearRequests();
    await env.apply([serviceYaml('other'), readySliceYaml('other'), hostIngressYaml({ name: 'other', namespace: 'apps', service: 'other' })].join('---\n'));
    await expectRoutedTo(env, { host: 'other.example.com', path: '/' }, 'other.apps.svc.cluster.local:80');
    const pushes = await env.double.configPushes();
    expect(pushes.map((p) => p.status)).to.deep.equal([201]);
  });

  it('after a controller restart: still the last valid version, and no 400 (both are kept in the MeshDoor status)', async function () {
    const kept = await meshdoorStatus(env.cluster);
    expect(kept.kongRejections?.map((r) => r.name)).to.include('multi');
    expect(kept.lastValid?.map((e) => e.object.metadata?.name)).to.deep.equal(['multi']);
    await env.controller.process.kill();
    // An empty gateway, so the restarted controller has to push.
    await env.restartKong();
    await env.startController();
    await expectRoutedTo(env, multi('/a'), BACKEND, 60_000);
    await expectNotRouted(env, multi('/new'));
    // Also no second POST a moment later (a resync, the status the new leader
    // writes); the sizes say whether a second one carried another config.
    await consistently(async () => {
      const pushes = await env.double.configPushes();
      expect(pushes.map((p) => p.status), `one POST, accepted (sizes: ${pushes.map((p) => p.bytes).join(', ')})`).to.deep.equal([201]);
    });
  });

  it('serves the fixed version once the Ingress is fixed', async function () {
    await env.apply(multiYaml(['/a', '/c', '/new']));
    await expectRoutedTo(env, multi('/new'), BACKEND);
    await eventually(async () => {
      const status = await meshdoorStatus(env.cluster);
      expect(status.failingObjects?.some((f) => f.name === 'multi')).to.equal(false);
      expect(status.lastValid ?? []).to.deep.equal([]);
    });
  });

  it('reports Kong\'s configuration_hash, and refills a gateway restarted empty', async function () {
    await eventually(async () => {
      expect((await meshdoorStatus(env.cluster)).configHash).to.equal((await env.double.state()).configuration_hash);
    });
    // Only pushes after the restart count (were the old process kept).
    await env.double.clearRequests();
    await env.restartKong();
    // Read right after the restart, the hash could already be the refilled one.
    await expectRefilled(env);
    await expectRoutedTo(env, multi('/a'), BACKEND, 30_000);
    await eventually(async () => {
      const hash = (await env.double.state()).configuration_hash;
      expect(hash).to.not.equal(EMPTY_CONFIG_HASH);
      expect((await meshdoorStatus(env.cluster)).configHash).to.equal(hash);
    });
  });

  it('reports a backend Service without ready endpoints, naming it', async function () {
    await env.apply([serviceYaml('cold'), hostIngressYaml({ name: 'cold', namespace: 'apps', service: 'cold' })].join('---\n'));
    await expectRoutedTo(env, { host: 'cold.example.com', path: '/' }, 'cold.apps.svc.cluster.local:80');
    await eventually(async () => {
      const entry = (await meshdoorStatus(env.cluster)).failingObjects?.find((f) => f.reason === 'NoReadyEndpoints' && f.name === 'cold');
      expect(entry?.message).to.contain('Service apps/cold has no endpoints');
      const events = await warningEvents(env.cluster, 'apps', { kind: 'Service', name: 'cold' });
      expect(events.map((e) => e.reason)).to.include('NoReadyEndpoints');
    });
    await env.apply(readySliceYaml('cold'));
    await eventually(async () => {
      expect((await meshdoorStatus(env.cluster)).failingObjects?.some((f) => f.name === 'cold')).to.equal(false);
    });
  });

  it('takes the address from an Ingress none of whose paths is served, and gives it back', async function () {
    await env.setPublishAddress('203.0.113.40');
    await env.apply([serviceYaml('lone'), readySliceYaml('lone'), hostIngressYaml({ name: 'lone', namespace: 'apps', service: 'lone' })].join('---\n'));
    await eventually(async () => { expect(await ingressAddresses(env.cluster, 'apps', 'lone')).to.deep.equal(['203.0.113.40']); });
    await env.cluster.kubectl(['delete', 'service', 'lone', '-n', 'apps']);
    await expectNotRouted(env, { host: 'lone.example.com', path: '/' });
    await eventually(async () => { expect(await ingressAddresses(env.cluster, 'apps', 'lone')).to.deep.equal([]); });
    await env.apply(serviceYaml('lone'));
    await eventually(async () => { expect(await ingressAddresses(env.cluster, 'apps', 'lone')).to.deep.equal(['203.0.113.40']); });
  });
});
