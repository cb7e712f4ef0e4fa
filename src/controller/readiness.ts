// Readiness: caches synced and, when this replica pushes to gateways that
// exist, the last sync succeeded. Recomputed on every pass, never latched.
import type { ReadinessProbe } from '../observe/index.ts';

export interface ReadinessState {
  /** A problem that stops every pass (e.g. the MeshDoor is gone), with its fix. */
  blocked?: string;
  cachesSynced: boolean;
  /** Watches still waiting for their first list (for the message). */
  pendingWatches?: readonly string[];
  /** This replica pushes to Kong. */
  pushing: boolean;
  gateways: number;
  /** Undefined until a sync ran against the current gateways. */
  lastSyncOk?: boolean;
  lastError?: string;
}

export function notReadyReason(state: ReadinessState): string | undefined {
  if (state.blocked) return state.blocked;
  if (!state.cachesSynced) {
    const pending = state.pendingWatches ?? [];
    return `caches not synced${pending.length > 0 ? ` (${pending.slice(0, 5).join(', ')})` : ''}`;
  }
  if (!state.pushing || state.gateways === 0) return undefined;
  if (state.lastSyncOk === undefined) return 'first sync pending';
  if (!state.lastSyncOk) return `last sync failed${state.lastError ? `: ${state.lastError}` : ''}`;
  return undefined;
}

export class Readiness implements ReadinessProbe {
  private state: ReadinessState = { cachesSynced: false, pushing: false, gateways: 0 };

  update(patch: Partial<ReadinessState>): void {
    this.state = { ...this.state, ...patch };
  }

  snapshot(): Readonly<ReadinessState> {
    return this.state;
  }

  notReadyReason(): string | undefined {
    return notReadyReason(this.state);
  }

  isReady(): boolean {
    return this.notReadyReason() === undefined;
  }
}
