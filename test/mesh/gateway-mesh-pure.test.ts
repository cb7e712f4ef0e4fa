// The pure pieces behind GatewayInMesh, the mesh identity and the Mesh read.
import { expect } from 'chai';
import type { V1PodTemplateSpec, V1Service } from '@kubernetes/client-node';
import { gatewayIdentity } from '../../src/mesh/gateway-identity.ts';
import { migrateLegacyOwnership, templateFieldSet, templateKeysOf } from '../../src/mesh/managed-fields.ts';
import { legacyExternalNames, meshAddressingNote } from '../../src/mesh/mesh-addressing.ts';
import { blockingCondition, namespaceNeverInjected, type BlockingInput } from '../../src/mesh/mesh-condition.ts';
import { MeshReader, type MeshApi, type MeshGet } from '../../src/mesh/mesh-reader.ts';
import { summarizeGatewayPods } from '../../src/mesh/sidecar.ts';
import { templateTokenProblem, tokenVolume } from '../../src/mesh/sidecar-token.ts';
import { silentLogger } from '../../src/observe/logger.ts';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';

function svc(name: string, port: number, o: { ns?: string; selector?: Record<string, string>; ignore?: boolean; type?: string } = {}): V1Service {
  return {
    metadata: { namespace: o.ns ?? 'kong', name, ...(o.ignore ? { annotations: { 'kuma.io/ignore': 'true' } } : {}) },
    spec: { type: o.type ?? 'ClusterIP', selector: o.selector ?? { app: 'gw' }, ports: [{ port }, { port: port + 1 }] },
  };
}

describe('gateway mesh identity (pure)', () => {
  const base = { namespace: 'kong', workload: 'kong-gateway', podLabels: { app: 'gw', tier: 'edge' }, proxyService: 'kong/kong-proxy' };

  it('is the first selecting Service by name, its first port, as Kuma derives it', () => {
    const identity = gatewayIdentity({ ...base, services: [svc('kong-proxy', 80), svc('kong-admin', 8001)] });
    expect(identity.service).to.equal('kong-admin_kong_svc_8001');
    expect(identity.warning).to.contain('kong-admin').and.to.contain('kuma.io/ignore');
  });

  it('skips ignored, ExternalName, non-selecting and other-namespace Services', () => {
    const services = [
      svc('a-ignored', 1, { ignore: true }), svc('b-external', 2, { type: 'ExternalName' }), svc('c-other', 3, { selector: { app: 'other' } }),
      svc('d-elsewhere', 4, { ns: 'shop' }), svc('e-empty', 5, { selector: {} }), svc('kong-proxy', 80),
    ];
    expect(gatewayIdentity({ ...base, services })).to.deep.equal({ service: 'kong-proxy_kong_svc_80', fromService: 'kong/kong-proxy' });
  });

  it('falls back to the service-less tag and says so', () => {
    const identity = gatewayIdentity({ ...base, services: [] });
    expect(identity.service).to.equal('kong-gateway_kong_svc');
    expect(identity.warning).to.contain('none selects the gateway pods');
  });
});

describe('sidecar token of a pod template (pure)', () => {
  const template = (o: Partial<V1PodTemplateSpec['spec']> = {}, annotations: Record<string, string> = {}): V1PodTemplateSpec => ({
    metadata: { annotations }, spec: { containers: [{ name: 'proxy' }], ...o },
  });

  it('is fine with automount (Kuma copies the app mount) or a named token volume', () => {
    expect(templateTokenProblem(template())).to.equal(undefined);
    expect(templateTokenProblem(template({ automountServiceAccountToken: false, volumes: [tokenVolume('t')] }, { 'kuma.io/service-account-token-volume': 't' }))).to.equal(undefined);
  });

  it('names what to add when no token reaches the sidecar', () => {
    const none = templateTokenProblem(template({ automountServiceAccountToken: false }));
    expect(none).to.contain('automountServiceAccountToken: false').and.to.contain('kuma.io/service-account-token-volume: kuma-sidecar-token');
    expect(templateTokenProblem(template({ automountServiceAccountToken: false }, { 'kuma.io/service-account-token-volume': 'gone' }))).to.contain('"gone" names no volume');
    const notToken = template({ automountServiceAccountToken: false, volumes: [{ name: 'x', emptyDir: {} }] }, { 'kuma.io/service-account-token-volume': 'x' });
    expect(templateTokenProblem(notToken)).to.contain('holds no ServiceAccount token');
  });
});

describe('blocking conditions (pure)', () => {
  const input = (o: Partial<BlockingInput> = {}): BlockingInput => ({
    gateway: 'kong/kong-gateway', deployment: { metadata: { namespace: 'kong' } }, namespace: { metadata: { name: 'kong' } },
    controlPlaneNamespace: 'kuma-system', pods: summarizeGatewayPods([]), meshName: 'default', mesh: { state: 'unread', why: '' },
    templateToken: undefined, ...o,
  });

  it('knows the namespaces Kuma\'s webhooks skip', () => {
    expect(namespaceNeverInjected('kube-system', 'kuma-system')).to.equal(true);
    expect(namespaceNeverInjected('mesh-cp', 'mesh-cp')).to.equal(true);
    expect(namespaceNeverInjected('kong', 'kuma-system')).to.equal(false);
  });

  it('reports a ReplicaFailure that is not about the Mesh as such', () => {
    const deployment = { metadata: { namespace: 'kong' }, status: { conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "x" is forbidden: exceeded quota' }] } };
    expect(blockingCondition(input({ deployment }))).to.include({ reason: 'ReplicaFailure' });
    expect(blockingCondition(input({ deployment }))?.message).to.contain('exceeded quota');
  });

  it('puts what no restart can fix first', () => {
    const everything = input({
      deployment: { metadata: { namespace: 'kuma-system' } }, templateToken: 'no token', mesh: { state: 'missing', name: 'default' },
    });
    expect(blockingCondition(everything)?.reason).to.equal('NamespaceNeverInjected');
    expect(blockingCondition(input({ templateToken: 'no token', mesh: { state: 'missing', name: 'default' } }))?.reason).to.equal('SidecarTokenMissing');
    expect(blockingCondition(input())).to.equal(undefined);
  });
});

describe('mesh addressing under meshServices.mode Exclusive (pure)', () => {
  const external = (name: string, externalName: string): V1Service => ({ metadata: { namespace: 'shop', name }, spec: { type: 'ExternalName', externalName } });
  const services = [external('legacy', 'web.shop.svc.80.mesh'), external('modern', 'web.shop.svc.zone-1.mesh.local'), external('mz', 'web.mzsvc.mesh.local')];

  it('finds only the legacy ExternalName targets', () => {
    expect(legacyExternalNames(services, 'mesh')).to.deep.equal(['shop/legacy']);
  });

  it('warns only in Exclusive mode and only when something relies on legacy names', () => {
    const settings = { upstreamMode: 'service' as const, mesh: DEFAULT_SETTINGS.mesh };
    expect(meshAddressingNote({ settings, meshServicesMode: 'Exclusive', services: services.slice(1) })).to.equal(undefined);
    expect(meshAddressingNote({ settings, meshServicesMode: 'Everywhere', services })).to.equal(undefined);
    expect(meshAddressingNote({ settings, meshServicesMode: 'Exclusive', services })).to.contain('shop/legacy');
  });
});

describe('MeshReader', () => {
  class Api implements MeshApi {
    asked = 0;
    reads = 0;
    constructor(private readonly allowed: boolean, private readonly answer: MeshGet | Error) {}
    mayReadMeshes() { this.asked += 1; return Promise.resolve(this.allowed); }
    getMesh() {
      this.reads += 1;
      return this.answer instanceof Error ? Promise.reject(this.answer) : Promise.resolve(this.answer);
    }
  }
  let now = 0;
  const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => undefined };
  const reader = (api: MeshApi) => new MeshReader({ api, clock, log: silentLogger(), ttlMs: 1000 });

  it('reads only when RBAC allows, and caches the answer for a while', async () => {
    const denied = new Api(false, { missing: true });
    expect(await reader(denied).lookup('default')).to.deep.include({ state: 'unread' });
    expect(denied.reads).to.equal(0);
    const api = new Api(true, { found: { spec: { meshServices: { mode: 'Exclusive' } } } });
    const r = reader(api);
    expect(await r.lookup('default')).to.deep.equal({ state: 'found', name: 'default', meshServicesMode: 'Exclusive' });
    await r.lookup('default');
    expect(api.reads).to.equal(1);
    now += 1001;
    await r.lookup('default');
    expect(api.reads).to.equal(2);
  });

  it('tells a missing Mesh from an absent Kuma API and from a failure', async () => {
    expect(await reader(new Api(true, { missing: true })).lookup('x')).to.deep.equal({ state: 'missing', name: 'x' });
    expect(await reader(new Api(true, { noKumaApi: true })).lookup('x')).to.deep.include({ state: 'unread' });
    expect(await reader(new Api(true, new Error('boom'))).lookup('x')).to.deep.include({ state: 'unread' });
    expect(await reader(new Api(true, { found: {} })).lookup('x')).to.deep.include({ meshServicesMode: 'Disabled' });
  });
});

describe('taking over merge-patched keys (pure)', () => {
  const keys = { labels: ['kuma.io/sidecar-injection', 'kuma.io/mesh'], annotations: ['kuma.io/gateway'] };

  it('moves only the listed keys from meshdoor\'s Update entry into its Apply entry', () => {
    const update = {
      manager: 'meshdoor', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1',
      fieldsV1: templateFieldSet({ labels: ['kuma.io/mesh'], annotations: ['kuma.io/gateway', 'kubectl.kubernetes.io/restartedAt'], volumes: [] }),
    };
    const other = { manager: 'kubectl', operation: 'Update', fieldsV1: templateFieldSet({ labels: ['kuma.io/mesh'], annotations: [], volumes: [] }) };
    const next = migrateLegacyOwnership([other, update], keys) ?? [];
    const entry = (manager: string, operation: string) => next.find((e) => e.manager === manager && e.operation === operation);
    expect(templateKeysOf(entry('meshdoor', 'Apply')?.fieldsV1)).to.deep.include({ labels: new Set(['kuma.io/mesh']), annotations: new Set(['kuma.io/gateway']) });
    expect(templateKeysOf(entry('meshdoor', 'Update')?.fieldsV1)).to.deep.include({ labels: new Set(), annotations: new Set(['kubectl.kubernetes.io/restartedAt']) });
    expect(entry('kubectl', 'Update'), 'other managers untouched').to.deep.equal(other);
  });

  it('has nothing to do without such an entry', () => {
    expect(migrateLegacyOwnership(undefined, keys)).to.equal(undefined);
    expect(migrateLegacyOwnership([{ manager: 'meshdoor', operation: 'Update', fieldsV1: { 'f:status': {} } }], keys)).to.equal(undefined);
  });
});
