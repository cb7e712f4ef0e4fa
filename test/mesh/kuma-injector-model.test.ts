// The e2e injector stand-in reproduces what a real Kuma 2.14.3 did: every row
// of the recorded injection matrix, and the recorded injected gateway pod.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { admit, sidecarTokenMount, type InjectorConfig, type NamespaceView } from '../../e2e/harness/kuma-injector-model.ts';
import { kumaRecordingsDir } from '../../e2e/harness/kuma-recordings.ts';

const config: InjectorConfig = { meshes: new Set(['default']), controlPlaneNamespace: 'kuma-system' };

interface Row {
  text: string;
  ns: NamespaceView;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  expected: string;
}

/** `-` is an absent label; anything else (even empty) its value. */
function labelCell(key: string, cell: string): Record<string, string> {
  return cell === '-' ? {} : { [key]: cell };
}

// Rows that do not say so ran in a namespace labelled `disabled` with the pod
// label `enabled`: the setup that injects only opted-in pods (fact 4).
const BASE_NS: NamespaceView = { name: 'matrix', labels: { 'kuma.io/sidecar-injection': 'disabled' } };
const OPTED_IN = { 'kuma.io/sidecar-injection': 'enabled' };

function parseRow(line: string): Row {
  const [left = '', expected = ''] = line.split(' -> ');
  const cells = left.trim().split(/\s+/);
  let m = /^\d+\s+ns-label=(\S*)\s+pod-label=(\S*)$/.exec(left.trim());
  if (m) {
    return {
      text: line, expected, annotations: {}, labels: labelCell('kuma.io/sidecar-injection', m[2] ?? ''),
      ns: { name: 'matrix', labels: labelCell('kuma.io/sidecar-injection', m[1] ?? '') },
    };
  }
  m = /^gateway-annotation=(\S+)$/.exec(left.trim());
  if (m) return { text: line, expected, ns: BASE_NS, labels: OPTED_IN, annotations: { 'kuma.io/gateway': m[1] ?? '' } };
  m = /^mesh-label=(\S+)$/.exec(left.trim());
  if (m) return { text: line, expected, ns: BASE_NS, labels: { ...OPTED_IN, 'kuma.io/mesh': m[1] ?? '' }, annotations: {} };
  m = /labels=(\{.*\}) annotations=(\{.*\})$/.exec(left.trim());
  if (m) return { text: line, expected, ns: BASE_NS, labels: JSON.parse(m[1] ?? '{}') as Record<string, string>, annotations: JSON.parse(m[2] ?? '{}') as Record<string, string> };
  throw new Error(`unparsed matrix row (${cells.length} cells): ${line}`);
}

function outcome(row: Row): string {
  const pod: V1Pod = { metadata: { name: 'p', labels: row.labels, annotations: row.annotations }, spec: { containers: [{ name: 'app', image: 'app' }] } };
  const result = admit(pod, row.ns, config);
  if (!result.allowed) return `REJECTED: Error from server: error when creating "STDIN": ${result.message}`;
  const init = (result.pod.spec?.initContainers ?? []).map((c) => c.name).join(' ');
  const containers = (result.pod.spec?.containers ?? []).map((c) => c.name).join(' ');
  return `init:${init} containers:${containers} injected:${result.pod.metadata?.annotations?.['kuma.io/sidecar-injected'] ?? ''}`;
}

describe('Kuma injector stand-in, against the recorded Kuma 2.14.3', () => {
  const dir = kumaRecordingsDir();
  const rows = readFileSync(path.join(dir, 'injection-matrix.txt'), 'utf8').split('\n').filter((l) => l.trim() !== '').map(parseRow);

  it('has the whole matrix (16 rows)', () => {
    expect(rows).to.have.length(16);
  });

  for (const row of rows) {
    it(`reproduces: ${row.text.trim()}`, () => {
      expect(outcome(row)).to.equal(row.expected.trim());
    });
  }

  describe('the recorded injected gateway pod', () => {
    const recorded = (parseAllDocuments(readFileSync(path.join(dir, 'injected-gateway-pod.yaml'), 'utf8'))[0]?.toJS() as { items: V1Pod[] }).items[0] as V1Pod;
    const added = ['kuma.io/mesh'];
    const injectedAnnotations = new Set(Object.keys(recorded.metadata?.annotations ?? {}).filter((k) => k !== 'kuma.io/gateway' && k !== 'traffic.kuma.io/exclude-inbound-ports'));

    /** The pod as meshdoor's template made it, before Kuma's webhook. */
    function beforeInjection(): V1Pod {
      const pod = structuredClone(recorded);
      const labels = Object.fromEntries(Object.entries(pod.metadata?.labels ?? {}).filter(([k]) => !added.includes(k)));
      const annotations = Object.fromEntries(Object.entries(pod.metadata?.annotations ?? {}).filter(([k]) => !injectedAnnotations.has(k)));
      annotations['traffic.kuma.io/exclude-inbound-ports'] = '8001,8444';
      pod.metadata = { ...pod.metadata, labels, annotations };
      pod.spec = { ...pod.spec!, initContainers: [], volumes: (pod.spec?.volumes ?? []).filter((v) => !v.name.startsWith('kuma-')) };
      return pod;
    }

    const ns: NamespaceView = { name: 'kong', labels: { 'kuma.io/sidecar-injection': 'disabled' } };
    const result = admit(beforeInjection(), ns, config);
    const pod = result.allowed ? result.pod : undefined;

    it('is injected, with the same labels and annotations', () => {
      expect(pod?.metadata?.labels).to.deep.equal(recorded.metadata?.labels);
      expect(pod?.metadata?.annotations).to.deep.equal(recorded.metadata?.annotations);
    });

    it('gets kuma-init (gateway mode, NET_ADMIN/NET_RAW) and kuma-sidecar as a native sidecar, and the tmp volumes', () => {
      const init = pod?.spec?.initContainers ?? [];
      const want = recorded.spec?.initContainers ?? [];
      expect(init.map((c) => [c.name, c.restartPolicy ?? null])).to.deep.equal(want.map((c) => [c.name, c.restartPolicy ?? null]));
      expect(init[0]?.args).to.deep.equal(want[0]?.args);
      expect(init[0]?.securityContext?.capabilities).to.deep.equal(want[0]?.securityContext?.capabilities);
      const envOf = (c: typeof init[number] | undefined, name: string) => c?.env?.find((e) => e.name === name)?.value;
      for (const name of ['KUMA_DATAPLANE_MESH', 'KUMA_DATAPLANE_RUNTIME_TOKEN_PATH']) expect(envOf(init[1], name)).to.equal(envOf(want[1], name));
      expect(pod?.spec?.volumes?.map((v) => v.name)).to.deep.equal(recorded.spec?.volumes?.map((v) => v.name));
      expect(pod?.spec?.containers.map((c) => c.name)).to.deep.equal(['proxy']);
    });

    it('gives the sidecar no token, as Kuma did with automountServiceAccountToken: false and no token volume', () => {
      const mounts = (pod?.spec?.initContainers?.[1]?.volumeMounts ?? []).map((m) => m.mountPath);
      expect(mounts).to.deep.equal((recorded.spec?.initContainers?.[1]?.volumeMounts ?? []).map((m) => m.mountPath));
      expect(mounts).to.not.include('/var/run/secrets/kubernetes.io/serviceaccount');
    });
  });

  describe('token mount rules', () => {
    const base = (): V1Pod => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'app' }] } });

    it('mounts the volume kuma.io/service-account-token-volume names, read-only, at the default token path', () => {
      const pod = base();
      pod.metadata!.annotations = { 'kuma.io/service-account-token-volume': 'tok' };
      pod.spec!.volumes = [{ name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }];
      expect(sidecarTokenMount(pod)).to.deep.equal({ name: 'tok', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true });
    });

    it('otherwise copies an app container\'s mount of the default token path, and else mounts nothing', () => {
      const pod = base();
      expect(sidecarTokenMount(pod)).to.equal(undefined);
      pod.spec!.containers[0]!.volumeMounts = [{ name: 'kube-api-access-x', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }];
      expect(sidecarTokenMount(pod)?.name).to.equal('kube-api-access-x');
    });
  });
});
