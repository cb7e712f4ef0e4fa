// deploy/ as a user installs it: validated by a real kube-apiserver, applied,
// idempotent, least-privilege for the controller's ServiceAccount, and pod
// templates that the `restricted` Pod Security Standard admits.
import { expect } from 'chai';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startCluster } from './harness/cluster.ts';
import type { Cluster } from './harness/cluster.ts';
import { DEPLOY_DIR, installCrds } from './harness/install.ts';

const CONTROLLER = 'system:serviceaccount:kong:meshdoor';

interface PodTemplateOwner {
  kind: string;
  metadata: { name: string };
  spec: { template: { metadata?: Record<string, unknown>; spec: Record<string, unknown> } };
}

describe('deploy/: the kustomize base a user installs', function () {
  let cluster: Cluster;

  before(async function () {
    cluster = await startCluster({ controllerManager: true });
  });

  after(async function () {
    await cluster?.stop();
  });

  it('passes server-side validation (dry run) once the CRDs are installed', async function () {
    await installCrds(cluster);
    // A dry run creates no namespace, so namespaced objects would fail with
    // NotFound: create the namespace for real, validate everything else.
    await cluster.kubectl(['apply', '-f', path.join(DEPLOY_DIR, 'namespace.yaml')]);
    const { stdout } = await cluster.kubectl(['apply', '--dry-run=server', '-k', DEPLOY_DIR]);
    expect(stdout).to.include('meshdoor.meshdoor.dev/default created (server dry run)');
    expect(stdout).to.include('deployment.apps/kong-gateway created (server dry run)');
  });

  it('applies, and applying again changes nothing', async function () {
    await cluster.kubectl(['apply', '-k', DEPLOY_DIR]);
    const { stdout } = await cluster.kubectl(['apply', '-k', DEPLOY_DIR]);
    const changed = stdout.split('\n').filter((line) => line.trim() !== '' && !line.endsWith(' unchanged'));
    expect(changed).to.deep.equal([]);
  });

  it('installs the kong IngressClass, the default MeshDoor and a namespace Kuma will inject into', async function () {
    const ingressClass = await cluster.getJson<{ spec: { controller: string } }>(['ingressclass', 'kong']);
    expect(ingressClass?.spec.controller).to.equal('meshdoor.dev/ingress-controller');
    const meshdoor = await cluster.getJson<{ spec: Record<string, unknown> }>(['meshdoors.meshdoor.dev', 'default']);
    expect(meshdoor?.spec).to.include({ ingressClass: 'kong', publishService: 'kong/kong-proxy' });
    const namespace = await cluster.getJson<{ metadata: { labels: Record<string, string> } }>(['namespace', 'kong']);
    expect(namespace?.metadata.labels).to.have.property('kuma.io/sidecar-injection');
  });

  it('lets kube-controller-manager roll out both Deployments (ReplicaSets appear)', async function () {
    const { stdout } = await cluster.kubectl(['wait', '--for=jsonpath={.status.replicas}=1', '--timeout=60s', '-n', 'kong', 'deployment/meshdoor', 'deployment/kong-gateway']);
    expect(stdout).to.match(/condition met/);
  });

  describe('RBAC of the controller ServiceAccount', function () {
    // [verb, resource or resource/name, namespace (none = all), subresource]
    type Access = [string, string, string?, string?];
    const canI = async ([verb, resource, namespace, subresource]: Access): Promise<boolean> => {
      const args = ['auth', 'can-i', verb, resource, `--as=${CONTROLLER}`];
      args.push(...(namespace === undefined ? ['--all-namespaces'] : ['-n', namespace]));
      if (subresource) args.push(`--subresource=${subresource}`);
      const result = await cluster.kubectl(args, { allowFailure: true });
      return result.stdout.trim() === 'yes';
    };
    const describeAccess = ([verb, resource, namespace, subresource]: Access): string =>
      `${verb} ${resource}${subresource ? `/${subresource}` : ''}${namespace ? ` in ${namespace}` : ''}`;

    const allowed: Access[] = [
      ['watch', 'ingresses.networking.k8s.io'],
      ['patch', 'ingresses.networking.k8s.io', 'apps', 'status'],
      ['list', 'ingressclasses.networking.k8s.io'],
      ['watch', 'services'],
      ['watch', 'endpointslices.discovery.k8s.io'],
      ['watch', 'secrets', 'apps'],
      ['create', 'events', 'apps'],
      ['watch', 'meshdoors.meshdoor.dev'],
      ['patch', 'meshdoors.meshdoor.dev', undefined, 'status'],
      ['update', 'leases.coordination.k8s.io', 'kong'],
      ['watch', 'deployments.apps/kong-gateway', 'kong'],
      ['patch', 'deployments.apps/kong-gateway', 'kong'],
      ['watch', 'pods', 'kong'],
      ['watch', 'namespaces/kong'],
      ['patch', 'namespaces/kong'],
      ['watch', 'secrets/meshdoor-admin-client', 'kong'],
      ['patch', 'secrets/meshdoor-admin-ca', 'kong'],
      ['patch', 'secrets/kong-admin-tls', 'kong'],
      ['patch', 'secrets/meshdoor-admin-client', 'kong'],
    ];
    for (const access of allowed) {
      it(`may ${describeAccess(access)}`, async function () {
        expect(await canI(access)).to.equal(true);
      });
    }

    const denied: Access[] = [
      ['update', 'ingresses.networking.k8s.io', 'apps'],
      ['delete', 'services', 'apps'],
      ['create', 'secrets', 'apps'],
      ['patch', 'deployments.apps/meshdoor', 'kong'],
      ['patch', 'deployments.apps', 'apps'],
      ['list', 'pods', 'apps'],
      ['update', 'leases.coordination.k8s.io', 'apps'],
      ['patch', 'namespaces/default'],
      ['watch', 'namespaces'],
      ['update', 'meshdoors.meshdoor.dev'],
      ['patch', 'services', 'apps', 'status'],
      ['create', 'clusterrolebindings.rbac.authorization.k8s.io'],
      ['create', 'secrets', 'kong'],
      ['patch', 'secrets/kong-proxy-tls', 'kong'],
      ['delete', 'secrets/kong-admin-tls', 'kong'],
    ];
    for (const access of denied) {
      it(`may not ${describeAccess(access)}`, async function () {
        expect(await canI(access)).to.equal(false);
      });
    }

    // Kuma's CRDs are not installed here, so kubectl cannot map the resource
    // for `auth can-i`; a SubjectAccessReview asks RBAC directly.
    const mayOnMeshes = async (verb: string): Promise<boolean> => {
      const review = {
        apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview',
        spec: { user: CONTROLLER, groups: ['system:serviceaccounts', 'system:serviceaccounts:kong', 'system:authenticated'], resourceAttributes: { group: 'kuma.io', resource: 'meshes', verb } },
      };
      const { stdout } = await cluster.kubectl(['create', '-f', '-', '-o', 'json'], { stdin: JSON.stringify(review) });
      return (JSON.parse(stdout) as { status?: { allowed?: boolean } }).status?.allowed === true;
    };

    it('may get the gateway\'s Kuma Mesh (the optional read), and do nothing else with Meshes', async function () {
      expect(await mayOnMeshes('get')).to.equal(true);
      for (const verb of ['list', 'watch', 'update', 'patch', 'delete']) expect(await mayOnMeshes(verb), verb).to.equal(false);
    });

    it('lists single objects by name-selector, as the controller watches them, and nothing more', async function () {
      const token = await cluster.createServiceAccountToken('kong', 'meshdoor');
      const kubeconfig = await cluster.kubeconfigFor(token, 'rbac-check');
      const list = (args: string[]) => cluster.kubectl(['get', ...args, '-o', 'name'], { kubeconfig, allowFailure: true });
      const byName = await list(['deployments', '-n', 'kong', '--field-selector', 'metadata.name=kong-gateway']);
      expect(byName.stdout.trim(), byName.stderr).to.equal('deployment.apps/kong-gateway');
      const namespace = await list(['namespaces', '--field-selector', 'metadata.name=kong']);
      expect(namespace.stdout.trim(), namespace.stderr).to.equal('namespace/kong');
      const allDeployments = await list(['deployments', '-n', 'kong']);
      expect(allDeployments.stderr).to.match(/forbidden/i);
      const allNamespaces = await list(['namespaces']);
      expect(allNamespaces.stderr).to.match(/forbidden/i);
    });
  });

  it('has pod templates that the restricted Pod Security Standard admits', async function () {
    await cluster.kubectl(['create', 'namespace', 'restricted']);
    await cluster.kubectl(['label', 'namespace', 'restricted', 'pod-security.kubernetes.io/enforce=restricted']);
    const { stdout } = await cluster.kubectl(['kustomize', DEPLOY_DIR]);
    const owners = parseAllDocuments(stdout)
      .map((doc) => doc.toJS() as PodTemplateOwner)
      .filter((doc) => doc.kind === 'Deployment');
    expect(owners.map((d) => d.metadata.name).sort()).to.deep.equal(['kong-gateway', 'meshdoor']);
    for (const owner of owners) {
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: owner.metadata.name, namespace: 'restricted' },
        // The ServiceAccounts stay named: the gateway's projected token volume needs one.
        spec: owner.spec.template.spec,
      };
      const result = await cluster.kubectl(['create', '--dry-run=server', '-f', '-'], { stdin: JSON.stringify(pod), allowFailure: true });
      expect(result.stderr, owner.metadata.name).to.not.match(/violates PodSecurity/);
      expect(result.code, `${owner.metadata.name}: ${result.stderr}`).to.equal(0);
    }
  });
});
