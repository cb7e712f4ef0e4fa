// List once, then watch from where the last watch left off. A watch connection
// ends routinely (the server's timeout, an idle connection dropped); it is
// resumed from the last resourceVersion seen, events and bookmarks alike. The
// server sends bookmarks (requested with allowWatchBookmarks) to watches that
// see no events, so even a quiet, filtered watch resumes from a recent version
// and never from its original list, which etcd compacts away. When the version
// is gone anyway (410 Gone), only this watch lists again. Any other failure is
// the supervisor's (supervised-watch.ts): it restarts a fresh source with backoff.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { WatchHandlers, WatchSource } from './watch-source.ts';

export interface ListResult {
  items: KubernetesObject[];
  resourceVersion: string;
}

export interface WatchConnection {
  abort(): void;
}

/** One list or one watch request: the HTTP part, kept apart so the resume logic is testable. */
export interface WatchTransport {
  list(): Promise<ListResult>;
  /** Opens a watch from `resourceVersion`; `onDone` is called once when it ends (err undefined: closed normally). */
  watch(resourceVersion: string, onEvent: (type: string, obj: KubernetesObject) => void, onDone: (err: unknown) => void): Promise<WatchConnection>;
}

/** Watches that end this soon after opening, with nothing received, count as failing fast. */
const SHORT_WATCH_MS = 1000;
const MAX_RECONNECT_DELAY_MS = 30_000;

export interface ResumingWatchOptions {
  /** For tests; real timers otherwise. */
  delay?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** HTTP status of a watch error, or of a watch ERROR event's Status object. */
function statusCode(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { code, statusCode: status } = value as { code?: unknown; statusCode?: unknown };
  if (typeof status === 'number') return status;
  return typeof code === 'number' ? code : undefined;
}

function isClientTimeout(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'TimeoutError';
}

export class ResumingWatchSource implements WatchSource {
  private resourceVersion = '';
  /** The last list while start() runs: it hands over this one, in case a 410 already made the source list again. */
  private listed: readonly KubernetesObject[] | undefined;
  private connection: WatchConnection | undefined;
  private stopped = false;
  private shortWatches = 0;
  private readonly delay: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly transport: WatchTransport, options: ResumingWatchOptions = {}) {
    this.delay = options.delay ?? ((ms) => new Promise((resolve) => { setTimeout(resolve, ms).unref(); }));
    this.now = options.now ?? (() => performance.now());
  }

  /** The version the next watch starts from (the last one seen). */
  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  async start(handlers: WatchHandlers<KubernetesObject>): Promise<readonly KubernetesObject[]> {
    const listed = await this.transport.list();
    this.resourceVersion = listed.resourceVersion;
    this.listed = listed.items;
    await this.open(handlers);
    const handed = this.listed ?? listed.items;
    // The store keeps its own (trimmed) copies: holding the list too would keep a second one.
    this.listed = undefined;
    return handed;
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.connection?.abort();
    this.connection = undefined;
    return Promise.resolve();
  }

  private async open(handlers: WatchHandlers<KubernetesObject>): Promise<void> {
    const openedAt = this.now();
    let received = false;
    let gone = false;
    let failure: unknown;
    const onEvent = (type: string, obj: KubernetesObject): void => {
      if (this.stopped) return;
      if (type === 'ERROR') {
        if (statusCode(obj) === 410) gone = true;
        else failure ??= new Error(`watch error event: ${JSON.stringify(obj)}`);
        return;
      }
      received = true;
      if (type === 'ADDED' || type === 'MODIFIED') handlers.onUpsert(obj);
      else if (type === 'DELETED') handlers.onDelete(obj);
      // BOOKMARK: only its version matters.
      const version = obj.metadata?.resourceVersion;
      if (version) this.resourceVersion = version;
    };
    const onDone = (err: unknown): void => {
      if (this.stopped) return;
      this.connection = undefined;
      if (gone || statusCode(err) === 410) {
        void this.relist(handlers);
        return;
      }
      const error = failure ?? (err && !isClientTimeout(err) ? err : undefined);
      if (error !== undefined) {
        handlers.onError(error);
        return;
      }
      this.shortWatches = !received && this.now() - openedAt < SHORT_WATCH_MS ? this.shortWatches + 1 : 0;
      void this.reconnect(handlers);
    };
    this.connection = await this.transport.watch(this.resourceVersion, onEvent, onDone);
    if (this.stopped) this.connection.abort();
  }

  /** Resumes from the last version seen; backs off while watches end as soon as they open. */
  private async reconnect(handlers: WatchHandlers<KubernetesObject>): Promise<void> {
    if (this.shortWatches > 0) await this.delay(Math.min(MAX_RECONNECT_DELAY_MS, 500 * 2 ** this.shortWatches));
    await this.guard(handlers, () => this.open(handlers));
  }

  /** The version is gone (compacted): list this watch's objects again and watch from the new list. */
  private async relist(handlers: WatchHandlers<KubernetesObject>): Promise<void> {
    await this.guard(handlers, async () => {
      const listed = await this.transport.list();
      if (this.stopped) return;
      this.resourceVersion = listed.resourceVersion;
      if (this.listed) this.listed = listed.items;
      handlers.onRelist(listed.items);
      await this.open(handlers);
    });
  }

  private async guard(handlers: WatchHandlers<KubernetesObject>, work: () => Promise<void>): Promise<void> {
    if (this.stopped) return;
    try {
      await work();
    } catch (err) {
      if (!this.stopped) handlers.onError(err);
    }
  }
}
