// Lease-based leader election, compatible with client-go's resourcelock: same
// timings, MicroTime fields, expiry judged on the local clock from when the
// record was last seen to change, release on shutdown. decideLeaseAction is the
// pure core; LeaderElector is the loop around it.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { V1MicroTime, type V1Lease, type V1LeaseSpec } from '@kubernetes/client-node';
import type { Clock } from './clock.ts';
import { httpStatus } from './clients.ts';
import type { LeaseApi } from './lease-api.ts';
import { errorField, type Logger } from '../observe/index.ts';

export interface LeaderElectionTimings {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** client-go / controller-runtime defaults. */
export const DEFAULT_LEADER_TIMINGS: Readonly<LeaderElectionTimings> = Object.freeze({
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
});

const JITTER_FACTOR = 1.2;

export type LeaseDecision =
  | { action: 'create'; spec: V1LeaseSpec }
  | { action: 'update'; spec: V1LeaseSpec; takeover: boolean }
  | { action: 'wait'; holder: string; expiresInMs: number };

export interface LeaseDecisionInput {
  lease: V1Lease | undefined;
  me: string;
  /** Local clock, ms. */
  now: number;
  /** Local time (ms) at which the lease record was last seen to change. */
  observedTime: number;
  leaseDurationSeconds: number;
}

/** client-go's tryAcquireOrRenew decision, on plain data. */
export function decideLeaseAction(input: LeaseDecisionInput): LeaseDecision {
  const nowTime = new V1MicroTime(input.now);
  if (!input.lease) {
    return {
      action: 'create',
      spec: { holderIdentity: input.me, leaseDurationSeconds: input.leaseDurationSeconds, acquireTime: nowTime, renewTime: nowTime, leaseTransitions: 0 },
    };
  }
  const old = input.lease.spec ?? {};
  const holder = old.holderIdentity ?? '';
  const expiresAt = input.observedTime + (old.leaseDurationSeconds ?? input.leaseDurationSeconds) * 1000;
  if (holder !== '' && holder !== input.me && expiresAt > input.now) {
    return { action: 'wait', holder, expiresInMs: expiresAt - input.now };
  }
  const mine = holder === input.me;
  return {
    action: 'update',
    takeover: !mine,
    spec: {
      holderIdentity: input.me,
      leaseDurationSeconds: input.leaseDurationSeconds,
      acquireTime: mine && old.acquireTime ? old.acquireTime : nowTime,
      renewTime: nowTime,
      leaseTransitions: mine ? old.leaseTransitions ?? 0 : (old.leaseTransitions ?? 0) + 1,
    },
  };
}

/** Pod name (or host name) plus a random suffix, like controller-runtime's `hostname_uuid`. */
export function leaderIdentity(podName = process.env.POD_NAME ?? hostname()): string {
  return `${podName}_${randomBytes(4).toString('hex')}`;
}

export interface LeaderElectorOptions {
  api: LeaseApi;
  namespace: string;
  name: string;
  identity: string;
  clock: Clock;
  log: Logger;
  timings?: LeaderElectionTimings;
  random?: () => number;
  onStartedLeading?: () => void;
  onStoppedLeading?: () => void;
}

export class LeaderElector {
  private leading = false;
  private stopped = false;
  private timer: unknown;
  private inFlight: Promise<void> | undefined;
  private cached: V1Lease | undefined;
  private observedJson = '';
  private observedTime = 0;
  private lastRenew = 0;
  private readonly timings: LeaderElectionTimings;

  constructor(private readonly o: LeaderElectorOptions) {
    this.timings = o.timings ?? DEFAULT_LEADER_TIMINGS;
  }

  isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops campaigning and, when leading, releases the Lease so another replica takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
    if (this.leading) {
      await this.release();
      this.setLeading(false);
    }
  }

  private schedule(ms: number): void {
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.tick().finally(() => { this.inFlight = undefined; });
    }, ms);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const ok = await this.tryAcquireOrRenew();
    if (this.stopped) return;
    const now = this.o.clock.now();
    if (ok) {
      this.lastRenew = now;
      this.setLeading(true);
    } else if (this.leading && (this.heldByOther() || now - this.lastRenew >= this.timings.renewDeadlineMs)) {
      this.o.log.warn('lost leadership', { lease: this.o.name, holder: this.cached?.spec?.holderIdentity ?? '' });
      this.setLeading(false);
    }
    const retry = this.timings.retryPeriodMs;
    this.schedule(this.leading ? retry : retry + (this.o.random ?? Math.random)() * JITTER_FACTOR * retry);
  }

  private heldByOther(): boolean {
    const holder = this.cached?.spec?.holderIdentity ?? '';
    return holder !== '' && holder !== this.o.identity;
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.o.log.info(leading ? 'became leader' : 'stopped leading', { lease: `${this.o.namespace}/${this.o.name}`, identity: this.o.identity });
    if (leading) this.o.onStartedLeading?.();
    else this.o.onStoppedLeading?.();
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { api, namespace, name } = this.o;
    const now = this.o.clock.now();
    if (this.leading && this.cached && this.observedTime + this.timings.leaseDurationMs > now) {
      if (await this.put(this.renewed(this.cached, now))) return true;
    }
    let lease: V1Lease | undefined;
    try {
      lease = await api.get(namespace, name);
    } catch (err) {
      this.o.log.warn('reading lease failed', { lease: name, error: errorField(err) });
      return false;
    }
    const json = JSON.stringify(lease?.spec ?? null);
    if (json !== this.observedJson) {
      this.observedJson = json;
      this.observedTime = now;
    }
    this.cached = lease;
    const decision = decideLeaseAction({
      lease, me: this.o.identity, now, observedTime: this.observedTime,
      leaseDurationSeconds: Math.round(this.timings.leaseDurationMs / 1000),
    });
    if (decision.action === 'wait') return false;
    if (decision.action === 'create') {
      return this.write(() => api.create(namespace, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec: decision.spec }));
    }
    return this.put({ ...lease, spec: decision.spec });
  }

  private renewed(lease: V1Lease, now: number): V1Lease {
    return { ...lease, spec: { ...lease.spec, holderIdentity: this.o.identity, renewTime: new V1MicroTime(now) } };
  }

  private put(lease: V1Lease): Promise<boolean> {
    return this.write(() => this.o.api.replace(this.o.namespace, this.o.name, lease));
  }

  private async write(call: () => Promise<V1Lease>): Promise<boolean> {
    try {
      const stored = await call();
      this.cached = stored;
      this.observedJson = JSON.stringify(stored.spec ?? null);
      this.observedTime = this.o.clock.now();
      return true;
    } catch (err) {
      const level = httpStatus(err) === 409 ? 'debug' : 'warn';
      this.o.log.log(level, 'writing lease failed', { lease: this.o.name, error: errorField(err) });
      return false;
    }
  }

  private async release(): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const lease = attempt === 0 ? this.cached : await this.o.api.get(this.o.namespace, this.o.name).catch(() => undefined);
      if (!lease || (lease.spec?.holderIdentity ?? '') !== this.o.identity) return;
      const now = new V1MicroTime(this.o.clock.now());
      const spec: V1LeaseSpec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now };
      if (await this.put({ ...lease, spec })) {
        this.o.log.info('released lease', { lease: `${this.o.namespace}/${this.o.name}` });
        return;
      }
    }
  }
}
