// The Helm chart (deploy/helm/meshdoor) with the real helm v4 CLI: lint, its
// default render agrees with the kustomize base, renders pass the real
// kube-apiserver's validation, and `helm install` gives a controller that
// converges under the chart's own RBAC and the same objects as `kubectl apply -k deploy/`.
import { expect } from 'chai';
import path from 'node:path';
import process from 'node:process';
import { parseAllDocuments } from 'yaml';
import { startCluster } from './harness/cluster.ts';
import type { Cluster } from './harness/cluster.ts';
import { Environment, expectRoutedTo, waitReady } from './harness/environment.ts';
import { eventually } from './harness/eventually.ts';
import { CHART_DIR, helm } from './harness/helm.ts';
import { CRDS_DIR, DEPLOY_DIR } from './harness/install.ts';
import { meshdoorStatus } from './harness/kube-reads.ts';
import { runKubectl, type KubectlResult } from './harness/kubectl.ts';
import { REPO_ROOT, startKongDouble } from './harness/meshdoor-processes.ts';

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } } & Record<string, unknown>;

// Labels and annotations that say who installed an object, not what it is.
const INSTALLER_LABELS = ['app.kubernetes.io/managed-by', 'app.kubernetes.io/instance', 'helm.sh/chart'];
const INSTALLER_ANNOTATIONS = /^(meta\.helm\.sh\/|kubectl\.kubernetes\.io\/last-applied-configuration$|deployment\.kubernetes\.io\/revision$)/;
// Every values knob that changes the render, at once.
const NON_DEFAULT_VALUES = [
  'gateway.namespace=edge-gw', 'watchNamespaces={shop,blog}', 'mesh.name=prod', 'mesh.vipPort=8080', 'upstreamMode=mesh',
  'ingressClass.name=meshdoor', 'ingressClass.default=true', 'kongAdmin.urls={http://10.0.0.1:8001}', 'publishAddresses={203.0.113.9}',
  'image.repository=registry.example.com/meshdoor', 'image.tag=0.1.0-rc1', 'replicas=2', 'logFormat=text', 'extraArgs={--resync-period=1m}',
];

const key = (m: Manifest): string => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;

function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Manifest | null).filter((m): m is Manifest => m !== null);
}

/** The object without what only says how it was installed (or what the server added). */
function comparable(m: Manifest): Manifest {
  const copy = structuredClone(m);
  const meta = copy.metadata as Record<string, unknown> & Manifest['metadata'];
  for (const field of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields']) delete meta[field];
  for (const label of INSTALLER_LABELS) delete meta.labels?.[label];
  for (const name of Object.keys(meta.annotations ?? {})) if (INSTALLER_ANNOTATIONS.test(name)) delete meta.annotations?.[name];
  if (meta.annotations && Object.keys(meta.annotations).length === 0) delete meta.annotations;
  delete copy.status;
  const spec = copy.spec as Record<string, unknown> | undefined;
  if (copy.kind === 'Service' && spec) {
    // Allocated by the API server, different on every create.
    delete spec.clusterIP; delete spec.clusterIPs;
    for (const port of (spec.ports ?? []) as Array<Record<string, unknown>>) delete port.nodePort;
  }
  return copy;
}

function byKey(manifests: Manifest[]): Map<string, Manifest> {
  return new Map(manifests.map((m) => [key(m), comparable(m)]));
}

describe('deploy/helm/meshdoor: the Helm chart with the real helm CLI', function () {
  let cluster: Cluster;

  const template = async (values: string[] = [], namespace = 'kong'): Promise<string> =>
    (await helm(cluster, ['template', 'meshdoor', CHART_DIR, '-n', namespace, ...values.flatMap((v) => ['--set', v])])).stdout;

  before(async function () {
    cluster = await startCluster();
  });

  after(async function () {
    await cluster?.stop();
  });

  it('passes helm lint --strict, with the defaults and with every knob set', async function () {
    const plain = await helm(cluster, ['lint', '--strict', CHART_DIR]);
    expect(plain.stdout).to.include('0 chart(s) failed');
    const knobs = await helm(cluster, ['lint', '--strict', CHART_DIR, ...NON_DEFAULT_VALUES.flatMap((v) => ['--set', v])]);
    expect(knobs.stdout).to.include('0 chart(s) failed');
  });

  it('renders by default the objects of the kustomize base, field for field (the namespace aside)', async function () {
    const chart = byKey(parseManifests(await template()));
    const base = byKey(parseManifests((await cluster.kubectl(['kustomize', DEPLOY_DIR])).stdout).filter((m) => m.kind !== 'Namespace'));
    expect([...chart.keys()].sort()).to.deep.equal([...base.keys()].sort());
    for (const [name, object] of base) expect(chart.get(name), name).to.deep.equal(object);
  });

  it('ships the CRDs of deploy/crds/ and the ServiceMonitor only when asked', async function () {
    const crds = (await helm(cluster, ['show', 'crds', CHART_DIR])).stdout;
    const base = parseManifests((await cluster.kubectl(['kustomize', CRDS_DIR])).stdout);
    expect(parseManifests(crds).map(key).sort()).to.deep.equal(base.map(key).sort());
    expect(base.map(key)).to.include('CustomResourceDefinition//meshdoors.meshdoor.dev');
    expect(parseManifests(await template()).some((m) => m.kind === 'ServiceMonitor')).to.equal(false);
    const monitored = parseManifests(await template(['metrics.serviceMonitor.enabled=true']));
    expect(monitored.find((m) => m.kind === 'ServiceMonitor')?.spec).to.deep.include({ selector: { matchLabels: { 'app.kubernetes.io/name': 'meshdoor' } } });
  });

  it('renders the admission webhook for cert-manager, or not at all, on request', async function () {
    const byKind = (manifests: Manifest[], kind: string): Manifest[] => manifests.filter((m) => m.kind === kind);
    const args = (manifests: Manifest[]): string[] => ((byKind(manifests, 'Deployment').find((m) => m.metadata.name === 'meshdoor')?.spec as { template: { spec: { containers: { args: string[] }[] } } }).template.spec.containers[0]?.args ?? []);
    const certManager = parseManifests(await template(['webhook.certificates=certManager']));
    expect(byKind(certManager, 'ValidatingWebhookConfiguration')[0]?.metadata.annotations).to.deep.equal({ 'cert-manager.io/inject-ca-from': 'kong/meshdoor-webhook' });
    expect(byKind(certManager, 'Certificate').map((m) => (m.spec as { secretName: string }).secretName)).to.deep.equal(['meshdoor-webhook-tls']);
    expect(byKind(certManager, 'Secret').map((m) => m.metadata.name), 'the Secret is cert-manager\'s').to.not.include('meshdoor-webhook-tls');
    expect(args(certManager).join(' ')).to.contain('--webhook-certificates provided');
    const roles = JSON.stringify(byKind(certManager, 'ClusterRole').concat(byKind(certManager, 'Role')));
    expect(roles, 'no caBundle rights when cert-manager injects it').to.not.contain('validatingwebhookconfigurations');
    const off = parseManifests(await template(['webhook.enabled=false']));
    expect(off.filter((m) => m.kind === 'ValidatingWebhookConfiguration' || m.metadata.name.startsWith('meshdoor-webhook'))).to.deep.equal([]);
    expect(args(off).join(' ')).to.contain('--webhook-port 0');
  });

  it('a controller started before the CRD or the MeshDoor exist exits 1 with one line naming the fix', async function () {
    const start = (): Promise<KubectlResult> => runKubectl(process.execPath, [
      path.join(REPO_ROOT, 'bin', 'meshdoor.js'), 'controller', '--kubeconfig', cluster.adminKubeconfig, '--no-leader-elect', '--metrics-port', '0',
    ], { allowFailure: true, timeoutMs: 60_000 });
    const noCrd = await start();
    expect(noCrd.code).to.equal(1);
    expect(noCrd.stderr.trim()).to.match(/^meshdoor controller: the MeshDoor CRD \(meshdoors\.meshdoor\.dev\/v1alpha1\) is not installed .*kubectl apply --server-side -k deploy\/crds\/[^\n]*$/);
    await cluster.kubectl(['apply', '--server-side', '-f', path.join(CHART_DIR, 'crds')]);
    await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/meshdoors.meshdoor.dev']);
    const noMeshDoor = await start();
    expect(noMeshDoor.code, noMeshDoor.stderr).to.equal(1);
    expect(noMeshDoor.stderr.trim()).to.match(/^meshdoor controller: MeshDoor "default" does not exist .*--meshdoor[^\n]*$/);
  });

  it('renders what the real kube-apiserver accepts (server-side dry run), with the defaults and with every knob set', async function () {
    await cluster.kubectl(['apply', '--server-side', '-f', path.join(CHART_DIR, 'crds')]);
    await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/meshdoors.meshdoor.dev']);
    for (const ns of ['kong', 'edge-gw']) await cluster.kubectl(['create', 'namespace', ns]);
    const plain = await cluster.kubectl(['apply', '--dry-run=server', '-f', '-'], { stdin: await template() });
    expect(plain.stdout).to.include('deployment.apps/meshdoor created (server dry run)');
    expect(plain.stdout).to.include('meshdoor.meshdoor.dev/default created (server dry run)');
    const knobs = await cluster.kubectl(['apply', '--dry-run=server', '-f', '-'], { stdin: await template(NON_DEFAULT_VALUES) });
    expect(knobs.stdout).to.include('role.rbac.authorization.k8s.io/meshdoor-gateway created (server dry run)');
    expect(knobs.stdout).to.include('ingressclass.networking.k8s.io/meshdoor created (server dry run)');
  });

  describe('helm install', function () {
    let env: Environment | undefined;
    let installed: Manifest[] = [];

    afterEach(function () {
      if (this.currentTest?.state === 'failed' && env) console.error(env.logs());
    });

    after(async function () {
      await Promise.all(env?.controllers.map((c) => c.process.stop('SIGTERM', 5000)) ?? []);
      await env?.kong.process.stop('SIGTERM', 3000);
    });

    it('installs the chart (its CRD first) into a namespace labelled as deploy/namespace.yaml does', async function () {
      await cluster.kubectl(['apply', '-f', path.join(DEPLOY_DIR, 'namespace.yaml')]);
      const result = await helm(cluster, ['install', 'meshdoor', CHART_DIR, '-n', 'kong']);
      expect(result.stdout).to.match(/STATUS: deployed/);
      const crd = await cluster.getJson<{ spec: { versions: { name: string }[] } }>(['crd', 'meshdoors.meshdoor.dev']);
      expect(crd?.spec.versions.map((v) => v.name)).to.deep.equal(['v1alpha1']);
      // As installed, before a controller adds the Kuma metadata to the gateway.
      installed = await liveObjects(cluster, parseManifests(await template()));
    });

    it('runs a controller that converges under the chart\'s own ServiceAccount and RBAC (no request refused)', async function () {
      const kong = await startKongDouble(cluster);
      env = new Environment(cluster, kong, []);
      await env.setPublishAddress('203.0.113.30');
      await env.startController();
      await cluster.kubectl(['apply', '-f', path.join(REPO_ROOT, 'examples', 'single-zone')]);
      await expectRoutedTo(env, { path: '/' }, 'frontend.kong.svc.cluster.local:80');
      await waitReady(env.controller);
      await eventually(async () => {
        const status = await meshdoorStatus(cluster);
        expect(status.conditions?.find((c) => c.type === 'Synced')?.status).to.equal('True');
      });
      expect(await env.forbiddenControllerRequests()).to.deep.equal([]);
    });

    it('installed the same objects as kubectl apply -k deploy/ does (compared after helm uninstall)', async function () {
      await Promise.all(env?.controllers.map((c) => c.process.stop('SIGTERM', 5000)) ?? []);
      await helm(cluster, ['uninstall', 'meshdoor', '-n', 'kong', '--wait']);
      await cluster.kubectl(['apply', '-k', DEPLOY_DIR]);
      const applied = byKey(await liveObjects(cluster, parseManifests((await cluster.kubectl(['kustomize', DEPLOY_DIR])).stdout).filter((m) => m.kind !== 'Namespace')));
      const fromHelm = byKey(installed);
      expect([...fromHelm.keys()].sort()).to.deep.equal([...applied.keys()].sort());
      for (const [name, object] of applied) expect(fromHelm.get(name), name).to.deep.equal(object);
    });
  });
});

/** The live objects (from the API server) named by `manifests`. */
async function liveObjects(cluster: Cluster, manifests: Manifest[]): Promise<Manifest[]> {
  return Promise.all(manifests.map(async (m) => {
    const group = m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : '';
    const resource = `${m.kind.toLowerCase()}${group ? `.${group}` : ''}`;
    const found = await cluster.getJson<Manifest>([resource, m.metadata.name, ...(m.metadata.namespace ? ['-n', m.metadata.namespace] : [])]);
    if (!found) throw new Error(`${key(m)} is not in the cluster`);
    return found;
  }));
}
