// The gateway in the mesh, with kube-controller-manager turning pod-template
// changes into ReplicaSets: the controller adds the Kuma metadata, repairs
// drift, and does not patch when nothing differs (counted in the audit log).
import { expect } from 'chai';
import type { V1ReplicaSet } from '@kubernetes/client-node';
import { auditEventsFor } from './harness/audit.ts';
import { startEnvironment, expectRoutedTo } from './harness/environment.ts';
import type { Environment } from './harness/environment.ts';
import { eventually } from './harness/eventually.ts';
import { gatewayDeployment, gatewayReplicaSets, meshdoorStatus } from './harness/kube-reads.ts';

const INJECTION_LABEL = 'kuma.io/sidecar-injection';
const GATEWAY_ANNOTATION = 'kuma.io/gateway';

function meshed(rs: V1ReplicaSet): boolean {
  const meta = rs.spec?.template?.metadata;
  return meta?.labels?.[INJECTION_LABEL] === 'enabled' && meta.annotations?.[GATEWAY_ANNOTATION] === 'enabled';
}

describe('gateway in the mesh (with kube-controller-manager)', function () {
  let env: Environment;

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
    await env.startController();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(env.logs());
  });

  after(async function () {
    await env?.stop();
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

  it('reports gateway pods without a kuma-sidecar in the MeshDoor status', async function () {
    // No Kuma webhook here, so the pods the ReplicaSets create have no sidecar.
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

  it('made no request that the shipped RBAC refuses', async function () {
    expect(await env.forbiddenControllerRequests()).to.deep.equal([]);
  });
});
