// The seed scenarios from the examples, then updates and deletes flowing
// through: `kubectl apply` in, Kong config (the double) and Ingress status out.
import { expect } from 'chai';
import path from 'node:path';
import { startEnvironment, expectNotRouted, expectRoutedTo, waitReady } from './harness/environment.ts';
import type { Environment } from './harness/environment.ts';
import { eventually } from './harness/eventually.ts';
import { ingressAddresses, warningEvents } from './harness/kube-reads.ts';
import { REPO_ROOT } from './harness/meshdoor-processes.ts';

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const PUBLISH_IP = '203.0.113.10';

describe('seed scenarios on a real API server', function () {
  let env: Environment;

  before(async function () {
    env = await startEnvironment();
    await env.setPublishAddress(PUBLISH_IP);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(env.logs());
  });

  after(async function () {
    await env?.stop();
  });

  it('single zone: Ingress demo sends / to frontend.kong on port 80', async function () {
    await env.cluster.kubectl(['apply', '-f', path.join(EXAMPLES, 'single-zone')]);
    await expectRoutedTo(env, { path: '/' }, 'frontend.kong.svc.cluster.local:80');
    await expectRoutedTo(env, { path: '/any/page' }, 'frontend.kong.svc.cluster.local:80');
    await waitReady(env.controller);
  });

  it('single zone: the Ingress status carries the publish Service address', async function () {
    await eventually(async () => {
      expect(await ingressAddresses(env.cluster, 'kong', 'demo')).to.deep.equal([PUBLISH_IP]);
    });
  });

  it('multi-zone: ExternalName front → frontend.kong.svc.80.mesh is reached on port 80', async function () {
    await env.cluster.kubectl(['apply', '-f', path.join(EXAMPLES, 'multi-zone')]);
    await expectRoutedTo(env, { host: 'multizone.example.com', path: '/' }, 'frontend.kong.svc.80.mesh:80');
    // The single-zone route is untouched.
    await expectRoutedTo(env, { path: '/' }, 'frontend.kong.svc.cluster.local:80');
  });

  it('a path change moves the route', async function () {
    const patch = [{ op: 'replace', path: '/spec/rules/0/http/paths/0/path', value: '/shop' }];
    await env.cluster.kubectl(['patch', 'ingress', 'demo', '-n', 'kong', '--type=json', '-p', JSON.stringify(patch)]);
    await expectRoutedTo(env, { path: '/shop/cart' }, 'frontend.kong.svc.cluster.local:80');
    await expectNotRouted(env, { path: '/' });
  });

  it('a backend change moves the route to the new Service and port', async function () {
    await env.apply(`
apiVersion: v1
kind: Service
metadata: { name: frontend-v2, namespace: kong }
spec:
  selector: { app: frontend-v2 }
  ports: [{ name: web, port: 8080, targetPort: 8080 }]
`);
    const patch = [{ op: 'replace', path: '/spec/rules/0/http/paths/0/backend/service', value: { name: 'frontend-v2', port: { number: 8080 } } }];
    await env.cluster.kubectl(['patch', 'ingress', 'demo', '-n', 'kong', '--type=json', '-p', JSON.stringify(patch)]);
    await expectRoutedTo(env, { path: '/shop' }, 'frontend-v2.kong.svc.cluster.local:8080');
  });

  it('a Service port renamed under an Ingress that names it: route dropped with a Warning, back once the Ingress follows', async function () {
    // Without the last valid version: the edit to a port name and the rename may reach one pass together,
    // and then the last version served is the one by number, still valid (the convergence e2e covers that).
    const lastValid = (on: boolean): string[] => ['patch', 'meshdoor', 'default', '--type=merge', '-p', JSON.stringify({ spec: { serveLastValid: on } })];
    await env.cluster.kubectl(lastValid(false));
    const byName = [{ op: 'replace', path: '/spec/rules/0/http/paths/0/backend/service/port', value: { name: 'web' } }];
    await env.cluster.kubectl(['patch', 'ingress', 'demo', '-n', 'kong', '--type=json', '-p', JSON.stringify(byName)]);
    await expectRoutedTo(env, { path: '/shop' }, 'frontend-v2.kong.svc.cluster.local:8080');

    const rename = [{ op: 'replace', path: '/spec/ports/0/name', value: 'www' }];
    await env.cluster.kubectl(['patch', 'service', 'frontend-v2', '-n', 'kong', '--type=json', '-p', JSON.stringify(rename)]);
    await expectNotRouted(env, { path: '/shop' });
    await eventually(async () => {
      expect(await warningEvents(env.cluster, 'kong', { kind: 'Ingress', name: 'demo' })).to.not.be.empty;
    });

    const follow = [{ op: 'replace', path: '/spec/rules/0/http/paths/0/backend/service/port', value: { name: 'www' } }];
    await env.cluster.kubectl(['patch', 'ingress', 'demo', '-n', 'kong', '--type=json', '-p', JSON.stringify(follow)]);
    await expectRoutedTo(env, { path: '/shop' }, 'frontend-v2.kong.svc.cluster.local:8080');
    await env.cluster.kubectl(lastValid(true));
  });

  it('deleting the Ingress removes its route and keeps the others', async function () {
    await env.cluster.kubectl(['delete', 'ingress', 'demo', '-n', 'kong']);
    await expectNotRouted(env, { path: '/shop' });
    await expectRoutedTo(env, { host: 'multizone.example.com', path: '/' }, 'frontend.kong.svc.80.mesh:80');
  });

  it('made no request that the shipped RBAC refuses', async function () {
    expect(await env.forbiddenControllerRequests()).to.deep.equal([]);
  });
});
