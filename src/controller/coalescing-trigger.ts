// Bounds how often the sync runs: events only mark it dirty; a run starts once
// no new mark arrived for `holdoffMs`, or at the latest `maxDelayMs` after the
// first pending mark. One run at a time; marks during a run cause one more,
// at the latest `holdoffMs` after the run ended: those changes already waited
// for the run in flight, so under steady churn (marks closer together than the
// holdoff) they must not wait a full `maxDelayMs` more.
import type { Clock } from '../kube/index.ts';

export interface CoalescingTriggerOptions {
  holdoffMs: number;
  maxDelayMs: number;
  clock: Clock;
  run: () => Promise<void>;
}

export class CoalescingTrigger {
  private timer: unknown;
  private dueAt = 0;
  private firstMarkAt: number | undefined;
  private lastMarkAt = 0;
  private marks = 0;
  private retryAt: number | undefined;
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

  /** Runs again after `ms` even without new marks (retry of a failed sync). */
  retryIn(ms: number): void {
    if (this.stopped) return;
    const at = this.o.clock.now() + ms;
    this.retryAt = Math.min(this.retryAt ?? at, at);
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
    if (this.retryAt !== undefined) due = Math.min(due ?? this.retryAt, this.retryAt);
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
    this.retryAt = undefined;
    this.afterRunAt = undefined;
    this.running = this.o.run()
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
        if (this.marks > 0) this.afterRunAt = this.o.clock.now() + this.o.holdoffMs;
        if (!this.stopped) this.reschedule();
      });
  }
}
