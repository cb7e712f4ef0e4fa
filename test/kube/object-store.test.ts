import { expect } from 'chai';
import type { KubernetesObject, V1Ingress } from '@kubernetes/client-node';
import { ObjectStore } from '../../src/kube/object-store.ts';

const obj = (name: string, resourceVersion: string): KubernetesObject => ({ metadata: { namespace: 'shop', name, resourceVersion } });

describe('ObjectStore', () => {
  it('reports a new resourceVersion as a change', () => {
    const store = new ObjectStore();
    expect(store.upsert(obj('web', '1'))).to.equal(true);
    expect(store.upsert(obj('web', '2'))).to.equal(true);
  });

  it('takes over a relisted copy without reporting a change, so only one copy stays in memory', () => {
    const store = new ObjectStore();
    const first = obj('web', '1');
    store.upsert(first);
    const before = store.list();
    const relisted = obj('web', '1');
    expect(store.replaceAll([relisted])).to.equal(false);
    expect(store.list()[0]).to.equal(relisted);
    expect(store.list()).to.not.equal(before);
  });

  it('hands out the same list while nothing was upserted or removed', () => {
    const store = new ObjectStore();
    const web = obj('web', '1');
    store.upsert(web);
    const list = store.list();
    expect(store.upsert(web)).to.equal(false);
    expect(store.list()).to.equal(list);
  });

  it('freezes what it stores, all the way down: an in-place edit throws instead of going unnoticed', () => {
    const store = new ObjectStore<V1Ingress>();
    const created = new Date('2026-01-01T00:00:00Z');
    store.upsert({
      metadata: { namespace: 'shop', name: 'web', resourceVersion: '1', annotations: { a: 'b' }, creationTimestamp: created },
      spec: { rules: [{ host: 'shop.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    });
    const stored = store.get('web', 'shop');
    if (!stored?.metadata?.annotations || !stored.spec?.rules?.[0]?.http) throw new Error('stored ingress missing');
    const { metadata, spec } = stored;
    const { annotations } = stored.metadata;
    const http = stored.spec.rules[0].http;
    expect(() => { metadata.resourceVersion = '2'; }).to.throw(TypeError);
    expect(() => { annotations.a = 'c'; }).to.throw(TypeError);
    expect(() => { http.paths.push({ pathType: 'Exact', backend: {} }); }).to.throw(TypeError);
    expect(() => { spec.ingressClassName = 'kong'; }).to.throw(TypeError);
    expect(store.get('web', 'shop')?.metadata?.resourceVersion).to.equal('1');
    expect(metadata.creationTimestamp).to.equal(created);
  });

  it('freezes a relisted object as it replaces the stored one', () => {
    const store = new ObjectStore();
    store.replaceAll([obj('web', '1')]);
    const relisted = obj('web', '2');
    store.replaceAll([relisted]);
    expect(Object.isFrozen(relisted.metadata)).to.equal(true);
  });
});
