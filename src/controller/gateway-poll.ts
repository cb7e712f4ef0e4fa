// A cheap watch on the DB-less gateways between passes: one `GET /status` per
// gateway every period (no retries, short timeout). A gateway whose
// configuration_hash is not the one it showed after our last pass (it restarted
// empty, or someone replaced its config), or that answers again after failing,
// triggers a pass at once — so an empty gateway is refilled, and a gateway back
// from an outage is found, within about one period instead of the full check
// period or the retry backoff.
import type { GatewayTarget } from '../kong/index.ts';
import type { Clock } from '../kube/index.ts';
import { GATEWAY_FAILED } from './kong-step.ts';

export interface GatewayPollOptions {
  periodMs: number;
  clock: Clock;
  /** Kong's configuration_hash (undefined when it shows none); throws when unreachable. */
  probe(gateway: GatewayTarget): Promise<string | undefined>;
  /** Called once per detected change, with why. */
  onChange(gateway: string, why: string): void;
}

export class GatewayPoll {
  private gateways: readonly GatewayTarget[] = [];
  /** Per URL: the hash Kong showed after our last pass, or GATEWAY_FAILED. */
  private expected: ReadonlyMap<string, string> = new Map();
  private timer: unknown;
  private running = false;
  private stopped = false;

  constructor(private readonly o: GatewayPollOptions) {}

  /** After each pass: what to watch, and what each gateway should show. */
  update(gateways: readonly GatewayTarget[], expected: ReadonlyMap<string, string> | undefined): void {
    this.gateways = gateways;
    if (expected) this.expected = expected;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.stopped || this.o.periodMs <= 0 || this.timer !== undefined || this.gateways.length === 0) return;
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, this.o.periodMs);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const changed = await Promise.all(this.gateways.map((g) => this.check(g)));
      const first = changed.find((c) => c !== undefined);
      if (first) this.o.onChange(first.url, first.why);
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  private async check(gateway: GatewayTarget): Promise<{ url: string; why: string } | undefined> {
    const expected = this.expected.get(gateway.url);
    if (expected === undefined) return undefined;
    let shown: string | undefined;
    try {
      shown = await this.o.probe(gateway);
    } catch {
      return undefined; // still down: the pass's own retry reports it
    }
    if (expected === GATEWAY_FAILED) return { url: gateway.url, why: 'answers again' };
    if (shown !== undefined && expected !== '' && shown !== expected) {
      return { url: gateway.url, why: shown === '00000000000000000000000000000000' ? 'has no configuration (restarted?)' : 'runs another configuration' };
    }
    return undefined;
  }
}
