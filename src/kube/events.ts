// Kubernetes Events (core/v1), deduplicated and rate-limited: the sync runs
// often and would otherwise repeat the same Warning on every pass.
import { randomBytes } from 'node:crypto';
import type { CoreV1Event } from '@kubernetes/client-node';
import { LRUCache } from 'lru-cache';
import PQueue from 'p-queue';
import type { Clock } from './clock.ts';
import type { KubeWriter } from './kube-writer.ts';
import { errorField, type Logger } from '../observe/index.ts';

export interface EventTarget {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
}

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  writer: Pick<KubeWriter, 'createEvent'>;
  clock: Clock;
  log: Logger;
  /** reportingInstance: this replica's identity. */
  instance: string;
  component?: string;
  /** The same event is not sent again within this window. Default 10 min. */
  dedupWindowMs?: number;
  ratePerSecond?: number;
  /** Events beyond this backlog are dropped (logged at debug). */
  maxBacklog?: number;
}

const MAX_MESSAGE = 1024;

export function targetKey(target: Pick<EventTarget, 'kind' | 'namespace' | 'name'>): string {
  return `${target.kind}/${target.namespace ?? ''}/${target.name}`;
}

export class EventRecorder {
  private readonly sent: LRUCache<string, true>;
  /** Bumped when a target recovers, so its next failure is reported again. */
  private readonly epochs = new LRUCache<string, number>({ max: 10_000 });
  private readonly queue: PQueue;
  private readonly component: string;
  private readonly maxBacklog: number;

  constructor(private readonly o: EventRecorderOptions) {
    this.sent = new LRUCache<string, true>({
      max: 10_000, ttl: o.dedupWindowMs ?? 10 * 60_000, ttlAutopurge: false, perf: { now: () => o.clock.now() },
    });
    this.queue = new PQueue({ concurrency: 2, intervalCap: o.ratePerSecond ?? 10, interval: 1000 });
    this.component = o.component ?? 'meshdoor';
    this.maxBacklog = o.maxBacklog ?? 1000;
  }

  /** Queues an Event unless the same one was sent recently; returns whether it was queued. */
  record(target: EventTarget, type: EventType, reason: string, message: string): boolean {
    const tkey = targetKey(target);
    const dedupKey = `${tkey}|${this.epochs.get(tkey) ?? 0}|${type}|${reason}|${message}`;
    if (this.sent.has(dedupKey)) return false;
    if (this.queue.size >= this.maxBacklog) {
      this.o.log.debug('event dropped, backlog full', { object: tkey, reason });
      return false;
    }
    this.sent.set(dedupKey, true);
    const event = this.build(target, type, reason, message);
    void this.queue.add(async () => {
      try {
        await this.o.writer.createEvent(event);
      } catch (err) {
        this.sent.delete(dedupKey);
        this.o.log.warn('creating event failed', { object: tkey, reason, error: errorField(err) });
      }
    });
    return true;
  }

  /** Forget what was sent for a target (it recovered), so a new failure is reported again. */
  reset(target: Pick<EventTarget, 'kind' | 'namespace' | 'name'>): void {
    const tkey = targetKey(target);
    this.epochs.set(tkey, (this.epochs.get(tkey) ?? 0) + 1);
  }

  /** Resolves when every queued Event has been written (or failed). */
  idle(): Promise<void> {
    return this.queue.onIdle();
  }

  private build(target: EventTarget, type: EventType, reason: string, message: string): CoreV1Event {
    const now = new Date(this.o.clock.now());
    const namespace = target.namespace ?? 'default';
    const suffix = `${Math.floor(this.o.clock.now()).toString(16)}${randomBytes(3).toString('hex')}`;
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${target.name.slice(0, 200)}.${suffix}`, namespace },
      involvedObject: {
        apiVersion: target.apiVersion, kind: target.kind, name: target.name,
        ...(target.namespace ? { namespace: target.namespace } : {}),
        ...(target.uid ? { uid: target.uid } : {}),
      },
      type,
      reason,
      message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 3)}...` : message,
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.o.instance,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
  }
}
