import { expect } from 'chai';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ResumingWatchSource } from '../../src/kube/resuming-watch.ts';
import type { ListResult, WatchTransport } from '../../src/kube/resuming-watch.ts';
import type { WatchHandlers } from '../../src/kube/watch-source.ts';

interface OpenWatch {
  resourceVersion: string;
  emit(type: string, obj: object): void;
  end(err?: unknown): void;
  aborted: boolean;
}

class FakeTransport implements WatchTransport {
  lists = 0;
  readonly watches: OpenWatch[] = [];
  nextList: ListResult = { items: [], resourceVersion: '100' };

  list(): Promise<ListResult> {
    this.lists += 1;
    return Promise.resolve(this.nextList);
  }

  watch(resourceVersion: string, onEvent: (type: string, obj: KubernetesObject) => void, onDone: (err: unknown) => void) {
    const open: OpenWatch = {
      resourceVersion, aborted: false,
      emit: (type, obj) => { onEvent(type, obj); },
      end: (err) => { onDone(err); },
    };
    this.watches.push(open);
    return Promise.resolve({ abort: () => { open.aborted = true; } });
  }

  get last(): OpenWatch {
    const last = this.watches.at(-1);
    if (!last) throw new Error('no watch opened');
    return last;
  }
}

const ns = (name: string, rv: string): KubernetesObject => ({ kind: 'Namespace', metadata: { name, resourceVersion: rv } });
const settle = () => new Promise((resolve) => { setImmediate(resolve); });

function recorder() {
  const seen = { upserts: [] as string[], deletes: [] as string[], relists: [] as string[][], errors: [] as unknown[] };
  const handlers: WatchHandlers<KubernetesObject> = {
    onUpsert: (obj) => { seen.upserts.push(obj.metadata?.name ?? ''); },
    onDelete: (obj) => { seen.deletes.push(obj.metadata?.name ?? ''); },
    onRelist: (items) => { seen.relists.push(items.map((o) => o.metadata?.name ?? '')); },
    onError: (err) => { seen.errors.push(err); },
  };
  return { seen, handlers };
}

describe('ResumingWatchSource', () => {
  it('lists once, then resumes each ended watch from the last version seen, bookmarks included', async () => {
    const transport = new FakeTransport();
    transport.nextList = { items: [ns('kong', '90')], resourceVersion: '100' };
    const source = new ResumingWatchSource(transport, { delay: () => Promise.resolve() });
    const { seen, handlers } = recorder();
    const items = await source.start(handlers);
    expect(items.map((o) => o.metadata?.name)).to.deep.equal(['kong']);
    expect(transport.last.resourceVersion).to.equal('100');

    transport.last.emit('MODIFIED', ns('kong', '120'));
    transport.last.end();
    await settle();
    expect(transport.last.resourceVersion, 'resumed after the event').to.equal('120');

    // A quiet watch: only a bookmark, then the server's timeout ends it.
    transport.last.emit('BOOKMARK', { kind: 'Namespace', metadata: { resourceVersion: '5000' } });
    transport.last.end();
    await settle();
    expect(transport.last.resourceVersion, 'resumed after the bookmark').to.equal('5000');

    // The client's idle timeout (a dropped connection) resumes too.
    transport.last.end(Object.assign(new Error('aborted'), { name: 'TimeoutError' }));
    await settle();
    expect(transport.last.resourceVersion).to.equal('5000');
    expect(transport.lists, 'no list after the first').to.equal(1);
    expect(seen.upserts).to.deep.equal(['kong']);
    expect(seen.errors).to.deep.equal([]);
    expect(transport.watches).to.have.length(4);
  });

  it('on 410 Gone lists this watch again, hands over the new list, and watches from its version', async () => {
    const transport = new FakeTransport();
    transport.nextList = { items: [ns('a', '1'), ns('b', '2')], resourceVersion: '100' };
    const source = new ResumingWatchSource(transport, { delay: () => Promise.resolve() });
    const { seen, handlers } = recorder();
    await source.start(handlers);
    transport.nextList = { items: [ns('b', '2'), ns('c', '300')], resourceVersion: '400' };
    // As the API server reports it: an ERROR event with a 410 Status, then the stream ends.
    transport.last.emit('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 100 (350)' });
    transport.last.end();
    await settle();
    expect(transport.lists).to.equal(2);
    expect(seen.relists).to.deep.equal([['b', 'c']]);
    expect(transport.last.resourceVersion).to.equal('400');
    expect(seen.errors).to.deep.equal([]);

    // A 410 answer to the watch request itself does the same.
    transport.nextList = { items: [ns('c', '300')], resourceVersion: '500' };
    transport.last.end(Object.assign(new Error('Gone'), { statusCode: 410 }));
    await settle();
    expect(transport.lists).to.equal(3);
    expect(transport.last.resourceVersion).to.equal('500');
  });

  it('leaves other failures to the supervisor, and stops for good', async () => {
    const transport = new FakeTransport();
    const source = new ResumingWatchSource(transport, { delay: () => Promise.resolve() });
    const { seen, handlers } = recorder();
    await source.start(handlers);
    transport.last.end(Object.assign(new Error('Forbidden'), { statusCode: 403 }));
    await settle();
    expect(seen.errors).to.have.length(1);
    expect(transport.watches, 'no reconnect of its own').to.have.length(1);

    const second = new FakeTransport();
    const stopping = new ResumingWatchSource(second, { delay: () => Promise.resolve() });
    await stopping.start(recorder().handlers);
    await stopping.stop();
    expect(second.last.aborted).to.equal(true);
    second.last.end();
    await settle();
    expect(second.watches).to.have.length(1);
  });

  it('backs off while watches end as soon as they open with nothing received', async () => {
    const transport = new FakeTransport();
    const delays: number[] = [];
    let now = 0;
    const source = new ResumingWatchSource(transport, { delay: (ms) => { delays.push(ms); return Promise.resolve(); }, now: () => now });
    await source.start(recorder().handlers);
    for (let i = 0; i < 3; i += 1) {
      transport.last.end();
      await settle();
    }
    expect(delays).to.deep.equal([1000, 2000, 4000]);
    now += 60_000;
    transport.last.end();
    await settle();
    expect(delays, 'a watch that lasted resumes at once').to.have.length(3);
  });
});
