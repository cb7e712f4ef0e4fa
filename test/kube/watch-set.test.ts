import { expect } from 'chai';
import type { KubernetesObject } from '@kubernetes/client-node';
import { systemClock } from '../../src/kube/clock.ts';
import { WatchSet } from '../../src/kube/watch-set.ts';
import type { WatchSource, WatchSpec } from '../../src/kube/watch-source.ts';
import { silentLogger } from '../../src/observe/logger.ts';

const secret = (name: string): KubernetesObject => ({ kind: 'Secret', metadata: { namespace: 'shop', name, resourceVersion: '1' } });
const names = (objects: readonly KubernetesObject[]): string[] => objects.map((o) => o.metadata?.name ?? '');
const spec = (keep: string[]): WatchSpec => ({ role: 'secrets', kind: 'Secret', namespace: 'shop', fieldSelector: 'type=kubernetes.io/tls', keep, gate: 'soft' });

describe('WatchSet: watches that keep only some objects', () => {
  it('drops objects not kept on arrival, and a new keep list starts from the previous cache (no gap until it lists)', async () => {
    const lists: ((items: KubernetesObject[]) => void)[] = [];
    const factory = (): WatchSource => ({
      start: () => new Promise((resolve) => { lists.push(resolve); }),
      stop: () => Promise.resolve(),
    });
    const set = new WatchSet({ factory, clock: systemClock, log: silentLogger(), onChange: () => undefined });
    const all = [secret('a'), secret('b'), secret('unreferenced')];
    await set.reconcile([spec(['shop/a', 'shop/b'])]);
    lists[0]?.([...all]);
    await new Promise((resolve) => { setImmediate(resolve); });
    expect(names(set.list('secrets'))).to.deep.equal(['a', 'b']);

    await set.reconcile([spec(['shop/a', 'shop/c'])]);
    expect(set.specs()).to.have.length(1);
    expect(names(set.list('secrets')), 'before the new watch lists').to.deep.equal(['a']);
    lists[1]?.([...all, secret('c')]);
    await new Promise((resolve) => { setImmediate(resolve); });
    expect(names(set.list('secrets'))).to.deep.equal(['a', 'c']);
    await set.stop();
  });
});
