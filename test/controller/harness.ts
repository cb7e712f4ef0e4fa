// In-process controller for feature tests: the real store, trigger, sync,
// status and mesh logic, fed by the fake cluster, against the Kong double.
// Only the controller's own timers run on the fake clock; HTTP is real.
import FakeTimers from '@sinonjs/fake-timers';
import type { KubernetesObject } from '@kubernetes/client-node';
import { settingsFromMeshDoor } from '../../src/config/meshdoor-spec.ts';
import { Controller, type ControllerDeps, type ControllerOptions } from '../../src/controller/controller.ts';
import { kongBackend } from '../../src/controller/kong-backend.ts';
import type { KongBackend, TranslateFn } from '../../src/controller/kong-step.ts';
import { createKongSyncEngine } from '../../src/kong/sync-engine.ts';
import type { Clock } from '../../src/kube/clock.ts';
import { FakeCluster } from '../kube/fake-cluster.ts';
import type { MeshApi } from '../../src/mesh/mesh-reader.ts';
import { silentLogger, type Logger } from '../../src/observe/logger.ts';
import { Metrics } from '../../src/observe/metrics.ts';
import { createTranslator } from '../../src/translate/index.ts';

export type TestClock = ReturnType<typeof FakeTimers.createClock>;

export interface HarnessOptions {
  cluster?: FakeCluster;
  clock?: TestClock;
  objects?: KubernetesObject[];
  kong?: KongBackend;
  /** Kong admin URL(s) given as flags (instead of discovery). */
  kongAdminUrls?: string[];
  kongMode?: 'auto' | 'dbless' | 'db';
  identity?: string;
  leaderElection?: boolean;
  translate?: TranslateFn;
  options?: Partial<ControllerOptions>;
  /** Kuma Mesh reads (none: the controller infers from the Deployment alone). */
  meshApi?: MeshApi;
  /** Where the controller logs (default: nowhere). */
  log?: Logger;
  /** Told each pass's snapshot (the admission webhook's hook). */
  onSnapshot?: ControllerDeps['onSnapshot'];
}

export interface Harness {
  cluster: FakeCluster;
  clock: TestClock;
  controller: Controller;
  metrics: Metrics;
  /** Advances the fake clock in steps, letting real I/O run between them. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Advances until `check` stops throwing (or fails after `withinMs` of fake time). */
  eventually(check: () => void, withinMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The controller's Clock on a fake-timers clock (which keeps `now` as a number). */
export function controllerClock(fake: TestClock): Clock {
  return {
    now: () => fake.now,
    setTimeout: (fn, ms) => fake.setTimeout(fn, ms),
    clearTimeout: (handle) => { fake.clearTimeout(handle as Parameters<TestClock['clearTimeout']>[0]); },
  };
}

const realDelay = (ms: number): Promise<void> => new Promise((resolve) => { setTimeout(resolve, ms); });

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const cluster = o.cluster ?? new FakeCluster();
  for (const obj of o.objects ?? []) cluster.apply(obj);
  const clock = o.clock ?? FakeTimers.createClock(1_700_000_000_000);
  const metrics = new Metrics();
  const client = { retry: { retries: 0 }, timeoutMs: 2000 };
  const backend = o.kong ?? kongBackend(createKongSyncEngine({ mode: o.kongMode ?? 'auto', client }), o.kongMode ?? 'auto', client);
  const controller = new Controller({
    meshdoorName: 'default', watchNamespaces: [], holdoffMs: 100, maxDelayMs: 1000,
    kongAdminUrls: o.kongAdminUrls ?? [], publishStatusAddresses: [], dblessPushFromAllReplicas: true,
    restartUnmeshedGateway: false, identity: o.identity ?? 'test-replica',
    ...(o.leaderElection ? { leaderElection: { namespace: 'kong' } } : {}),
    ...o.options,
  }, {
    watchFactory: cluster.watchFactory, writer: cluster.writer, leaseApi: cluster.leaseApi, kong: backend,
    translate: o.translate ?? createTranslator().translate, settingsFromMeshDoor, clock: controllerClock(clock), log: o.log ?? silentLogger(), metrics,
    ...(o.meshApi ? { meshApi: o.meshApi } : {}),
    ...(o.onSnapshot ? { onSnapshot: o.onSnapshot } : {}),
  });
  await controller.start();
  const advance = async (ms: number, stepMs = 50): Promise<void> => {
    for (let t = 0; t < ms; t += stepMs) {
      await clock.tickAsync(Math.min(stepMs, ms - t));
      await realDelay(1);
    }
  };
  return {
    cluster, clock, controller, metrics, advance,
    async eventually(check, withinMs = 10_000) {
      let lastError: unknown;
      for (let t = 0; t <= withinMs; t += 50) {
        try {
          check();
          return;
        } catch (err) {
          lastError = err;
        }
        await advance(50);
      }
      throw lastError instanceof Error ? lastError : new Error(String(lastError));
    },
    async stop() {
      const stopping = controller.stop();
      await advance(100);
      await stopping;
      if ('close' in backend && typeof backend.close === 'function') (backend.close as () => void)();
    },
  };
}
