// Two tenants on the real API server with spec.hosts.ownership: Namespace:
// team-b's Ingress that adds team-a's host as an alias (with a more specific
// Exact /login) is refused for that host with a Warning Event, team-a keeps all
// its traffic, and team-b's own host is still served. Deleting team-a's
// Ingress hands the host over to team-b (Normal Event); team-a coming back
// finds it taken (the status names the owner); under Shared both serve the host
// and each gets a Normal SharedHost Event.
import { expect } from 'chai';
import { startEnvironment, expectNotRouted, expectRoutedTo } from './harness/environment.ts';
import type { Environment } from './harness/environment.ts';
import { eventually } from './harness/eventually.ts';
import { meshdoorStatus, warningEvents } from './harness/kube-reads.ts';

const tenant = (namespace: string) => `
apiVersion: v1
kind: Namespace
metadata: { name: ${namespace} }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: ${namespace} }
spec:
  ports: [{ port: 80 }]
`;

const TEAM_A = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: site, namespace: team-a }
spec:
  ingressClassName: kong
  rules:
    - host: a.example.com
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
`;

const TEAM_B = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: site
  namespace: team-b
  annotations:
    konghq.com/host-aliases: a.example.com
spec:
  ingressClassName: kong
  rules:
    - host: b.example.com
      http:
        paths:
          - { path: /login, pathType: Exact, backend: { service: { name: web, port: { number: 80 } } } }
`;

const TEAM_A_WEB = 'web.team-a.svc.cluster.local:80';
const TEAM_B_WEB = 'web.team-b.svc.cluster.local:80';

describe('multi-tenant host ownership (spec.hosts.ownership: Namespace)', function () {
  let env: Environment;

  before(async function () {
    env = await startEnvironment();
    const namespaceMode = ['patch', 'meshdoor', 'default', '--type=merge', '-p', JSON.stringify({ spec: { hosts: { ownership: 'Namespace' } } })];
    await env.cluster.kubectl(namespaceMode);
    await env.apply([tenant('team-a'), tenant('team-b'), TEAM_A].join('---\n'));
    await expectRoutedTo(env, { host: 'a.example.com', path: '/login' }, TEAM_A_WEB);
    await env.apply(TEAM_B);
    await expectRoutedTo(env, { host: 'b.example.com', path: '/login' }, TEAM_B_WEB);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(env.logs());
  });

  after(async function () {
    await env?.stop();
  });

  it("refuses team-b's alias of team-a's host with a Warning Event naming the owner", async function () {
    await eventually(async () => {
      const events = await warningEvents(env.cluster, 'team-b', { kind: 'Ingress', name: 'site' });
      const text = events.map((e) => `${e.reason ?? ''} ${e.message ?? ''}`).join('\n');
      expect(text).to.contain('HostNotOwned').and.to.contain("host 'a.example.com' belongs to namespace team-a");
    });
    const failing = (await meshdoorStatus(env.cluster)).failingObjects ?? [];
    expect(failing.find((f) => f.namespace === 'team-b' && f.name === 'site')?.reason).to.equal('HostNotOwned');
  });

  it('keeps all of team-a\'s traffic, /login included, and serves team-b on its own host', async function () {
    await expectRoutedTo(env, { host: 'a.example.com', path: '/login' }, TEAM_A_WEB);
    await expectRoutedTo(env, { host: 'a.example.com', path: '/' }, TEAM_A_WEB);
    await expectRoutedTo(env, { host: 'b.example.com', path: '/login' }, TEAM_B_WEB);
  });

  it('serves team-b on the alias once team-a delegates the host to it', async function () {
    await env.cluster.kubectl(['annotate', 'ingress', 'site', '-n', 'team-a', 'meshdoor.dev/host-delegates=team-b']);
    await expectRoutedTo(env, { host: 'a.example.com', path: '/login' }, TEAM_B_WEB);
    await expectRoutedTo(env, { host: 'a.example.com', path: '/' }, TEAM_A_WEB);
  });

  it('hands the host over to team-b when team-a deletes its Ingress, and keeps it when team-a comes back', async function () {
    await env.cluster.kubectl(['delete', 'ingress', 'site', '-n', 'team-a']);
    await expectNotRouted(env, { host: 'a.example.com', path: '/' });
    await expectRoutedTo(env, { host: 'a.example.com', path: '/login' }, TEAM_B_WEB);
    await eventually(async () => {
      const events = await warningEvents(env.cluster, 'team-b', { kind: 'Ingress', name: 'site' }, 'Normal');
      expect(events.map((e) => `${e.reason ?? ''} ${e.message ?? ''}`)).to.include(
        "HostHandedOver host 'a.example.com' now belongs to namespace team-b: namespace team-a, its owner, no longer claims it");
    });
    await env.apply(TEAM_A);
    await eventually(async () => {
      const events = await warningEvents(env.cluster, 'team-a', { kind: 'Ingress', name: 'site' });
      expect(events.map((e) => e.message ?? '').join('\n')).to.contain("host 'a.example.com' belongs to namespace team-b");
    });
    await eventually(async () => {
      expect((await meshdoorStatus(env.cluster)).hostOwners).to.deep.equal([{ host: 'a.example.com', namespace: 'team-b' }]);
    });
    await expectNotRouted(env, { host: 'a.example.com', path: '/' });
    await expectRoutedTo(env, { host: 'a.example.com', path: '/login' }, TEAM_B_WEB);
  });

  it('Shared: both namespaces serve the host, and each is told with a Normal SharedHost Event', async function () {
    await env.cluster.kubectl(['patch', 'meshdoor', 'default', '--type=merge', '-p', JSON.stringify({ spec: { hosts: { ownership: 'Shared' } } })]);
    await expectRoutedTo(env, { host: 'a.example.com', path: '/' }, TEAM_A_WEB);
    await expectRoutedTo(env, { host: 'a.example.com', path: '/login' }, TEAM_B_WEB);
    for (const namespace of ['team-a', 'team-b']) {
      await eventually(async () => {
        const events = await warningEvents(env.cluster, namespace, { kind: 'Ingress', name: 'site' }, 'Normal');
        expect(events.map((e) => `${e.reason ?? ''} ${e.message ?? ''}`).join('\n'))
          .to.contain("SharedHost host 'a.example.com' is served from namespaces team-a, team-b");
      });
    }
    await eventually(async () => {
      expect((await meshdoorStatus(env.cluster)).sharedHosts).to.deep.equal([{ host: 'a.example.com', namespaces: ['team-a', 'team-b'] }]);
    });
  });
});
