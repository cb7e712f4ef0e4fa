// A KongBackend that records each sync and answers like a healthy gateway,
// for tests about when and how often the controller syncs.
import type { KongBackend } from '../../src/controller/kong-step.ts';
import { configHash } from '../../src/kong/config-hash.ts';
import type { KongMode, SyncReport, SyncRequest } from '../../src/kong/sync-types.ts';

export interface RecordingKong extends KongBackend {
  syncs: SyncReport[];
  /** Fail the next `count` syncs for every gateway. */
  failNext(count: number): void;
}

export function recordingKong(mode: KongMode = 'dbless'): RecordingKong {
  let failing = 0;
  const syncs: SyncReport[] = [];
  return {
    syncs,
    failNext(count) { failing = count; },
    resolveMode: () => Promise.resolve(mode),
    engine: () => ({
      sync(request: SyncRequest): Promise<SyncReport> {
        const applied = request.translate(new Set());
        const failed = failing > 0;
        if (failed) failing -= 1;
        const report: SyncReport = {
          applied, rejected: [],
          gateways: request.gateways.map((g) => ({
            url: g.url, mode, status: failed ? 'failed' : 'pushed', created: 0, updated: 0, deleted: 0,
            ...(failed ? { error: 'connect ECONNREFUSED' } : { configHash: configHash(applied.config) }),
          })),
          ...(failed ? { retryAfterMs: 1000 } : {}),
        };
        syncs.push(report);
        return Promise.resolve(report);
      },
    }),
  };
}
