import { expect } from 'chai';
import type { KubernetesObject } from '@kubernetes/client-node';
import { systemClock } from '../../src/kube/clock.ts';
import { SupervisedWatch } from '../../src/kube/supervised-watch.ts';
import type { WatchHandlers, WatchSource } from '../../src/kube/watch-source.ts';
import { silentLogger } from '../../src/observe/logger.ts';

const ns = (name: string, rv: string): KubernetesObject => ({ kind: 'Namespace', metadata: { name, resourceVersion: rv } });

describe('SupervisedWatch: a source that lists again', () => {
  it('replaces the cache with the relisted objects (gone ones removed) without restarting the source', async () => {
    let handlers: WatchHandlers<KubernetesObject> | undefined;
    let starts = 0;
    const source: WatchSource = {
      start: (h) => { handlers = h; starts += 1; return Promise.resolve([ns('a', '1'), ns('b', '2')]); },
      stop: () => Promise.resolve(),
    };
    let changes = 0;
    const watch = new SupervisedWatch({
      spec: { role: 'gatewayNamespace', kind: 'Namespace', gate: 'hard' }, factory: () => source,
      clock: systemClock, log: silentLogger(), onChange: () => { changes += 1; },
    });
    watch.start();
    await new Promise((resolve) => { setImmediate(resolve); });
    expect(watch.store.list().map((o) => o.metadata?.name)).to.deep.equal(['a', 'b']);
    const before = changes;
    handlers?.onRelist([ns('b', '2'), ns('c', '3')]);
    expect(watch.store.list().map((o) => o.metadata?.name)).to.deep.equal(['b', 'c']);
    expect(changes).to.equal(before + 1);
    handlers?.onRelist([ns('b', '2'), ns('c', '3')]);
    expect(changes, 'the same content again changes nothing').to.equal(before + 1);
    expect(starts).to.equal(1);
    await watch.stop();
  });
});
