import { expect } from 'chai';
import type { KubernetesObject } from '@kubernetes/client-node';
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
});
