import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadManifests, loadTranslationInput, selectMeshDoor } from '../../src/cli/manifests.ts';

describe('loadManifests', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'meshdoor-manifests-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(name: string, text: string): string {
    const file = join(dir, name);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
    return file;
  }

  it('reads multi-document YAML and JSON from directories recursively, grouping by kind', async () => {
    write('a.yaml', [
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i1}\nspec: {}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: s1, namespace: kong}\nspec: {}',
      '',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ignored}',
    ].join('\n---\n'));
    write('nested/deeper/b.yml', 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: kong}\n---\napiVersion: meshdoor.dev/v1alpha1\nkind: MeshDoor\nmetadata: {name: default}\nspec: {upstreamMode: mesh}');
    write('c.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'e1' } }] }));
    write('notes.txt', 'not a manifest');
    const { snapshot, meshdoors } = await loadManifests([dir]);
    expect(snapshot.Ingress.map((i) => [i.metadata?.namespace, i.metadata?.name])).to.deep.equal([['default', 'i1']]);
    expect(snapshot.Service.map((s) => [s.metadata?.namespace, s.metadata?.name])).to.deep.equal([['kong', 's1']]);
    expect(snapshot.IngressClass.map((c) => c.metadata)).to.deep.equal([{ name: 'kong' }]);
    expect(snapshot.EndpointSlice.map((e) => e.metadata?.namespace)).to.deep.equal(['default']);
    expect(meshdoors.map((m) => m.metadata?.name)).to.deep.equal(['default']);
  });

  it('turns Secret stringData into base64 data as the API server does', async () => {
    const file = write('s.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: t}\ntype: kubernetes.io/tls\ndata: {other: eA==}\nstringData: {tls.crt: hello}');
    const { snapshot } = await loadManifests([file]);
    expect(snapshot.Secret[0]?.data).to.deep.equal({ other: 'eA==', 'tls.crt': Buffer.from('hello').toString('base64') });
    expect(snapshot.Secret[0]).to.not.have.property('stringData');
  });

  it('names the file when YAML is invalid', async () => {
    const file = write('bad.yaml', 'kind: [unclosed');
    await loadManifests([file]).then(() => expect.fail('should throw'), (err: Error) => expect(err.message).to.contain(file).and.to.contain('invalid YAML'));
  });

  it('names the path when it cannot be read', async () => {
    const missing = join(dir, 'nope.yaml');
    await loadManifests([missing]).then(() => expect.fail('should throw'), (err: Error) => expect(err.message).to.contain(missing));
  });

  it('rejects documents that are not objects, and objects without a name', async () => {
    await loadManifests([write('list.yaml', '- a\n- b')]).then(() => expect.fail('should throw'), (err: Error) => expect(err.message).to.contain('list.yaml'));
    await loadManifests([write('anon.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {}')]).then(() => expect.fail('should throw'), (err: Error) => expect(err.message).to.contain('metadata.name'));
  });

  it('picks the MeshDoor: by name, the only one, or `default`', () => {
    const a = { metadata: { name: 'a' } };
    const def = { metadata: { name: 'default' } };
    expect(selectMeshDoor([])).to.equal(undefined);
    expect(selectMeshDoor([a])).to.equal(a);
    expect(selectMeshDoor([a, def])).to.equal(def);
    expect(selectMeshDoor([a, def], 'a')).to.equal(a);
    expect(() => selectMeshDoor([a], 'b')).to.throw("no MeshDoor named 'b'");
    expect(() => selectMeshDoor([a, { metadata: { name: 'c' } }])).to.throw('--meshdoor');
  });

  it('builds settings from the selected MeshDoor', async () => {
    const file = write('m.yaml', 'apiVersion: meshdoor.dev/v1alpha1\nkind: MeshDoor\nmetadata: {name: edge}\nspec: {ingressClass: edge, upstreamMode: endpoints}');
    const { settings } = await loadTranslationInput([file]);
    expect(settings).to.deep.include({ name: 'edge', ingressClass: 'edge', upstreamMode: 'endpoints' });
  });
});
