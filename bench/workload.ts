// What every workload gets and returns.
import type { ResultRow } from './report.ts';

export interface WorkloadContext {
  /** Small sizes only: proves the harness works, not how fast anything is. */
  quick: boolean;
  /** Measured runs per size (each workload has its own default). */
  runs?: number;
  /** Soak duration in minutes, and its sizes (the soak workload's own defaults otherwise). */
  soakMinutes?: number;
  soakSizes?: number[];
  log(message: string): void;
}

export interface Workload {
  name: string;
  description: string;
  run(ctx: WorkloadContext): Promise<ResultRow[]>;
}

export function runsOr(ctx: WorkloadContext, fallback: number): number {
  return ctx.runs ?? fallback;
}
