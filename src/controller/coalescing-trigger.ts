// One reconcile loop (the sync, or the gateway-in-mesh check): bounds how often
// its pass runs. Events only mark it dirty; a run starts once
// no new mark arrived for `holdoffMs`, or at the latest `maxDelayMs` after the
// first pending mark. One run at a time; marks during a run cause one more,
// at the latest `holdoffMs` after the run ended: those changes already waited
// for the run in flight, so under steady churn (marks closer together than the
// holdoff) they must not wait a full `maxDelayMs` more. What a run returns
// (its PassResult) is the only other way a run is scheduled: a requeue or retry
// runs again after the delay it names, unless a mark starts one sooner.
import type { Clock } from '../kube/index.ts';
import { delayOf, type PassResult } from './pass-result.ts';

export interface CoalescingTriggerOptions {
  holdoffMs: number;
  maxDelayMs: number;
  clock: Clock;
  /** One pass; resolves with what to do next (it must not reject: a rejection schedules nothing). */
  run: () => Promise<PassResult>;
}

export class CoalescingTrigger {
  private timer: unknown;
  private dueAt = 0;
  private firstMarkAt: number | undefined;
  private lastMarkAt = 0;
  private marks = 0;
  /** When the last run asked to run again (requeue or retry). */
  private requestedAt: number | undefined;
  /** When marks arrived during the last run: a holdoff after it ended. */
  private afterRunAt: number | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly o: CoalescingTriggerOptions) {}

  /** Marks since the last run started (the "queue depth"). */
  get pending(): number {
    return this.marks;
  }

  mark(): void {
    if (this.stopped) return;
    const now = this.o.clock.now();
    this.marks += 1;
    this.firstMarkAt ??= now;
    this.lastMarkAt = now;
    if (!this.running) this.reschedule();
  }

  /** Stops scheduling; resolves once the in-flight run (if any) has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.disarm();
    await this.running;
  }

  private reschedule(): void {
    let due: number | undefined;
    if (this.marks > 0 && this.firstMarkAt !== undefined) {
      due = Math.min(this.lastMarkAt + this.o.holdoffMs, this.firstMarkAt + this.o.maxDelayMs);
    }
    if (due !== undefined && this.afterRunAt !== undefined) due = Math.min(due, this.afterRunAt);
    if (this.requestedAt !== undefined) due = Math.min(due ?? this.requestedAt, this.requestedAt);
    if (due === undefined) return;
    if (this.timer !== undefined && this.dueAt === due) return;
    this.disarm();
    this.dueAt = due;
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, Math.max(0, due - this.o.clock.now()));
  }

  private disarm(): void {
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    if (this.stopped || this.running) return;
    this.marks = 0;
    this.firstMarkAt = undefined;
    this.requestedAt = undefined;
    this.afterRunAt = undefined;
    this.running = this.o.run()
      .catch((): undefined => undefined)
      .then((result) => {
        this.running = undefined;
        const now = this.o.clock.now();
        const delay = result ? delayOf(result) : undefined;
        if (delay !== undefined) this.requestedAt = now + delay;
        if (this.marks > 0) this.afterRunAt = now + this.o.holdoffMs;
        if (!this.stopped) this.reschedule();
      });
  }
}
