// The KongPlugin, KongClusterPlugin and KongConsumer CRDs of deploy/crds/ on the
// real API server: objects written for the Kong Ingress Controller are accepted
// and stored field for field (nothing pruned), and the rules the Kong Ingress
// Controller's CRDs enforce are enforced the same way.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { startCluster } from './harness/cluster.ts';
import type { Cluster } from './harness/cluster.ts';
import { CRDS_DIR, installCrds } from './harness/install.ts';

type Manifest = Record<string, unknown> & { kind: string; metadata: { name: string; namespace?: string } };

const GROUP = 'configuration.konghq.com/v1';

// One object per kind using every field the Kong Ingress Controller's CRDs define.
const RATE_LIMIT: Manifest = {
  apiVersion: GROUP, kind: 'KongPlugin', metadata: { name: 'rl', namespace: 'shop' },
  plugin: 'rate-limiting', config: { minute: 5, policy: 'local', redis: { port: 6379 } },
  configPatches: [{ path: '/redis/password', valueFrom: { secretKeyRef: { name: 'redis', key: 'password' } } }],
  disabled: false, protocols: ['http', 'https'], instance_name: 'shop-rl', consumerRef: 'alice', run_on: 'first',
  ordering: { before: { access: ['key-auth'] } },
};
const GLOBAL_CORS: Manifest = {
  apiVersion: GROUP, kind: 'KongClusterPlugin', metadata: { name: 'cors', labels: { global: 'true' } } as Manifest['metadata'],
  plugin: 'cors', configFrom: { secretKeyRef: { name: 'cors-config', namespace: 'kong', key: 'config' } },
};
const ALICE: Manifest = {
  apiVersion: GROUP, kind: 'KongConsumer', metadata: { name: 'alice', namespace: 'shop' },
  username: 'alice', custom_id: 'u-1', credentials: ['alice-key', 'alice-acl'], consumerGroups: ['gold'],
  spec: { tags: ['team-a'] },
};

describe('deploy/crds: KongPlugin, KongClusterPlugin and KongConsumer on the real API server', function () {
  let cluster: Cluster;

  const apply = (manifest: Manifest): Promise<{ code: number; stderr: string }> =>
    cluster.kubectl(['apply', '--server-side', '-f', '-'], { stdin: stringify(manifest), allowFailure: true });

  /** The stored object, without what the server adds. */
  async function stored(manifest: Manifest): Promise<Record<string, unknown>> {
    const ns = manifest.metadata.namespace;
    const found = await cluster.getJson<Record<string, unknown>>([manifest.kind.toLowerCase(), manifest.metadata.name, ...(ns ? ['-n', ns] : [])]);
    const { metadata: _metadata, status: _status, ...rest } = found ?? {};
    return rest;
  }

  before(async function () {
    cluster = await startCluster();
    await installCrds(cluster);
    await cluster.kubectl(['create', 'namespace', 'shop']);
  });

  after(async function () {
    await cluster?.stop();
  });

  it('accepts the Kong Ingress Controller\'s shapes and keeps every field', async function () {
    for (const manifest of [RATE_LIMIT, GLOBAL_CORS, ALICE]) {
      const result = await apply(manifest);
      expect(result.code, result.stderr).to.equal(0);
      const { metadata: _metadata, ...expected } = manifest;
      expect(await stored(manifest), manifest.kind).to.deep.equal(expected);
    }
  });

  it('refuses what the Kong Ingress Controller\'s CRDs refuse, naming the rule', async function () {
    const refusals: [Manifest, RegExp][] = [
      [{ ...RATE_LIMIT, metadata: { name: 'both', namespace: 'shop' }, configPatches: undefined, configFrom: { secretKeyRef: { name: 's', key: 'k' } } },
        /Using both config and configFrom fields is not allowed/],
      [{ ...GLOBAL_CORS, metadata: { name: 'patched' }, configPatches: [{ path: '/a', valueFrom: { secretKeyRef: { name: 's', namespace: 'kong', key: 'k' } } }] },
        /Using both configFrom and configPatches fields is not allowed/],
      [{ ...GLOBAL_CORS, metadata: { name: 'no-ns' }, configFrom: { secretKeyRef: { name: 's', key: 'k' } } }, /namespace: Required value/],
      [{ apiVersion: GROUP, kind: 'KongPlugin', metadata: { name: 'nameless', namespace: 'shop' }, config: {} }, /plugin: Required value/],
      [{ ...RATE_LIMIT, metadata: { name: 'bad-proto', namespace: 'shop' }, protocols: ['ws'] }, /Unsupported value: "ws"/],
      [{ apiVersion: GROUP, kind: 'KongConsumer', metadata: { name: 'nobody', namespace: 'shop' }, credentials: ['x'] },
        /Need to provide either username or custom_id/],
    ];
    for (const [manifest, message] of refusals) {
      const result = await apply(JSON.parse(JSON.stringify(manifest)) as Manifest);
      expect(result.code, manifest.metadata.name).to.not.equal(0);
      expect(result.stderr, manifest.metadata.name).to.match(message);
    }
  });

  it('keeps a plugin\'s name immutable', async function () {
    const result = await apply({ ...RATE_LIMIT, plugin: 'key-auth' });
    expect(result.code).to.not.equal(0);
    expect(result.stderr).to.match(/The plugin field is immutable/);
  });
});

describe('deploy/crds next to the Kong Ingress Controller\'s CRDs (same names): no fight', function () {
  let cluster: Cluster;

  before(async function () {
    cluster = await startCluster();
  });

  after(async function () {
    await cluster?.stop();
  });

  it('kubectl apply --server-side -k deploy/crds/ stops on a conflict and leaves the installed CRD as it was', async function () {
    // Stands for KIC's CRD: the same name, installed by another tool, differing in a description.
    const theirs = parse(readFileSync(path.join(CRDS_DIR, 'kongplugin.yaml'), 'utf8')) as { spec: { versions: { schema: { openAPIV3Schema: { description: string } } }[] } };
    const version = theirs.spec.versions[0];
    if (version) version.schema.openAPIV3Schema.description = 'KongPlugin is the Schema for the kongplugins API.';
    await cluster.kubectl(['create', '-f', '-'], { stdin: stringify(theirs) });
    const applied = await cluster.kubectl(['apply', '--server-side', '-k', CRDS_DIR], { allowFailure: true });
    expect(applied.code).to.not.equal(0);
    expect(applied.stderr).to.match(/conflict/i);
    const stored = await cluster.getJson<typeof theirs>(['crd', 'kongplugins.configuration.konghq.com']);
    expect(stored?.spec.versions[0]?.schema.openAPIV3Schema.description).to.equal('KongPlugin is the Schema for the kongplugins API.');
    // What the README says to do then: only the MeshDoor CRD.
    const meshdoorOnly = await cluster.kubectl(['apply', '--server-side', '-f', path.join(CRDS_DIR, 'meshdoor.yaml')], { allowFailure: true });
    expect(meshdoorOnly.code, meshdoorOnly.stderr).to.equal(0);
  });
});
