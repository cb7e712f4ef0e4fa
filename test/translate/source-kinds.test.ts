// The registry of kinds: what the controller watches, the RBAC it ships and
// the manifests the CLI reads all follow it.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '@kubernetes/client-node';
import { buildSnapshot } from '../../src/controller/snapshot.ts';
import { desiredWatchSpecs } from '../../src/controller/watch-plan.ts';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';
import { INPUT_KINDS } from '../../src/cli/manifest-checks.ts';
import { REFERENCED_KINDS, SOURCE_KINDS, TRANSLATED_KINDS } from '../../src/translate/index.ts';
import type { RbacRule } from '../../src/translate/index.ts';
import { objectRefFromTags } from '../../src/kong/rejections.ts';
import { OBJECT_KINDS } from '../../src/model/index.ts';

interface Rule { apiGroups?: string[]; resources?: string[]; verbs?: string[] }

/** The ClusterRole rules of a manifest; Helm template lines are dropped, other template values replaced. */
function clusterRoleRules(file: string): Rule[] {
  const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8').split('\n').filter((line) => !/^\s*\{\{.*\}\}\s*$/.test(line))
    .join('\n').replace(/\{\{[^}]*\}\}/g, 'templated');
  const docs = parseAllDocuments(text).map((d) => d.toJS() as { kind?: string; rules?: Rule[] });
  return docs.filter((d) => d.kind === 'ClusterRole').flatMap((d) => d.rules ?? []);
}

function granted(rules: readonly Rule[], wanted: RbacRule): boolean {
  return wanted.apiGroups.every((group) => wanted.resources.every((resource) => wanted.verbs.every((verb) => rules.some((r) =>
    (r.apiGroups ?? []).includes(group) && (r.resources ?? []).includes(resource) && (r.verbs ?? []).includes(verb)))));
}

const watchInput = { settings: DEFAULT_SETTINGS, meshdoorName: 'default', secretRefs: [], staticAdminUrls: true, staticPublishAddresses: true };

describe('source kinds registry', () => {
  it('lists each kind once, sources before referenced kinds', () => {
    const kinds = TRANSLATED_KINDS.map((k) => k.kind);
    expect(new Set(kinds).size).to.equal(kinds.length);
    expect(kinds).to.deep.equal([...SOURCE_KINDS, ...REFERENCED_KINDS].map((k) => k.kind));
    expect(SOURCE_KINDS.map((k) => k.kind)).to.deep.equal(['Ingress']);
  });

  for (const file of ['deploy/rbac.yaml', 'deploy/helm/meshdoor/templates/rbac.yaml']) {
    it(`the ClusterRole of ${file} grants every rule a kind asks for`, () => {
      const rules = clusterRoleRules(file);
      expect(rules).to.not.deep.equal([]);
      for (const kind of TRANSLATED_KINDS) {
        for (const rule of kind.rbac) expect(granted(rules, rule), `${kind.kind}: ${JSON.stringify(rule)}`).to.equal(true);
      }
    });
  }

  it('the controller watches every source kind, cluster-wide or per watched namespace', () => {
    for (const source of SOURCE_KINDS) {
      const all = desiredWatchSpecs({ ...watchInput, watchNamespaces: [] }).filter((s) => s.kind === source.kind);
      expect(all).to.deep.equal([{ role: source.watchRole, kind: source.kind, gate: 'hard' }]);
      const some = desiredWatchSpecs({ ...watchInput, watchNamespaces: ['b', 'a'] }).filter((s) => s.kind === source.kind);
      expect(some.map((s) => s.namespace)).to.deep.equal(['a', 'b']);
    }
  });

  it('the CLI reads manifests of every kind, in the apiVersion the registry names', () => {
    for (const kind of TRANSLATED_KINDS) expect(INPUT_KINDS[kind.kind], kind.kind).to.equal(kind.apiVersion);
  });

  it('the controller builds the snapshot keyed by kind, each kind from the watches of its role', () => {
    const byRole = new Map(TRANSLATED_KINDS.map((k): [string, KubernetesObject[]] => [k.watchRole, [{ metadata: { name: `one-${k.kind}` } }]]));
    const snapshot = buildSnapshot({ list: <T extends KubernetesObject>(role: string) => (byRole.get(role) ?? []) as unknown as readonly T[] });
    expect(Object.keys(snapshot)).to.deep.equal(TRANSLATED_KINDS.map((k) => k.kind));
    for (const kind of TRANSLATED_KINDS) expect(snapshot[kind.kind], kind.kind).to.equal(byRole.get(kind.watchRole));
  });

  it('Kong entities tagged with any translated kind map back to their object', () => {
    for (const kind of TRANSLATED_KINDS) {
      expect(OBJECT_KINDS, kind.kind).to.include(kind.kind);
      expect(objectRefFromTags([`k8s-kind:${kind.kind}`, 'k8s-name:x']), kind.kind).to.deep.equal({ kind: kind.kind, name: 'x' });
    }
  });
});
