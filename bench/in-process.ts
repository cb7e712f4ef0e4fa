// The controller's real pipeline in this process (watch set → store → coalescing
// trigger → translate → DB-less engine), fed by any watch source and pushing to
// a Kong (double) URL; every POST /config is reported when it leaves.
import type { KubernetesObject } from '@kubernetes/client-node';
import { settingsFromMeshDoor } from '../src/config/meshdoor-spec.ts';
import { Controller } from '../src/controller/controller.ts';
import type { KongBackend, TranslateFn } from '../src/controller/kong-step.ts';
import { KongClientPool } from '../src/kong/client-pool.ts';
import type { KongAdminClient } from '../src/kong/admin-client.ts';
import { DblessSyncEngine } from '../src/kong/dbless-engine.ts';
import { systemClock } from '../src/kube/clock.ts';
import type { KubeWriter } from '../src/kube/kube-writer.ts';
import type { SupervisorTimings } from '../src/kube/supervised-watch.ts';
import type { WatchSourceFactory } from '../src/kube/watch-source.ts';
import { silentLogger } from '../src/observe/logger.ts';
import { Metrics } from '../src/observe/metrics.ts';
import { createTranslator } from '../src/translate/index.ts';
import type { SecretWatchScope } from '../src/controller/watch-plan.ts';

export interface PostEvent {
  /** performance.now() when the engine handed the body to the Admin API client. */
  leftAt: number;
  /** performance.now() when Kong answered. */
  doneAt?: number;
  bytes: number;
  /** Only with `keepBodies` (a 10k config is ~15 MiB). */
  body?: string;
}

export interface InProcessOptions {
  watchFactory: WatchSourceFactory;
  writer?: KubeWriter;
  kongUrl: string;
  holdoffMs: number;
  maxDelayMs: number;
  onPost?: (event: PostEvent) => void;
  /** The same event once Kong answered (or the POST failed). */
  onPostDone?: (event: PostEvent) => void;
  keepBodies?: boolean;
  /** The watches' backoff and periodic relist (the controller's defaults otherwise). */
  supervisorTimings?: SupervisorTimings;
  /** TLS Secret watches per namespace (the default) or one cluster-wide. */
  secretWatch?: SecretWatchScope;
  /** Each translation the controller ran, with its duration. */
  onTranslate?: (ms: number) => void;
}

export interface InProcessController {
  controller: Controller;
  stop(): Promise<void>;
}

/** A KubeWriter that drops every write: status and Events are not measured here. */
export const discardingWriter: KubeWriter = {
  patchIngressStatus: () => Promise.resolve(),
  patchDeployment: () => Promise.resolve(),
  applyDeployment: () => Promise.resolve(),
  rewriteDeploymentManagedFields: () => Promise.resolve(false),
  applyNamespace: () => Promise.resolve(),
  patchMeshDoorStatus: () => Promise.resolve(),
  createEvent: () => Promise.resolve(),
  patchSecret: () => Promise.resolve(),
  createSecret: () => Promise.resolve(),
};

/** Reports each POST /config of this client when it leaves and when it returns. */
function observePosts(client: KongAdminClient, o: InProcessOptions): KongAdminClient {
  const original = client.postConfig.bind(client);
  client.postConfig = async (body, options) => {
    const event: PostEvent = { leftAt: performance.now(), bytes: Buffer.byteLength(body) };
    if (o.keepBodies) event.body = body;
    o.onPost?.(event);
    try {
      return await original(body, options);
    } finally {
      event.doneAt = performance.now();
      o.onPostDone?.(event);
    }
  };
  return client;
}

function dblessBackend(pool: KongClientPool, o: InProcessOptions): KongBackend {
  const observed = new WeakSet<KongAdminClient>();
  const engine = new DblessSyncEngine({
    clientFor: (target) => {
      const client = pool.get(target);
      if ((o.onPost || o.onPostDone) && !observed.has(client)) {
        observed.add(client);
        observePosts(client, o);
      }
      return client;
    },
  });
  return { resolveMode: () => Promise.resolve('dbless'), engine: () => engine, retain: (gateways) => { pool.retain(gateways); }, rejections: engine.rejections };
}

/** The pipeline's own translator (one per pipeline, as one per controller), timed when asked. */
function timedTranslate(onTranslate: ((ms: number) => void) | undefined): TranslateFn {
  const { translate } = createTranslator();
  if (!onTranslate) return translate;
  return (snapshot, options) => {
    const started = performance.now();
    const result = translate(snapshot, options);
    onTranslate(performance.now() - started);
    return result;
  };
}

export async function startInProcessController(o: InProcessOptions): Promise<InProcessController> {
  const pool = new KongClientPool({ configTimeoutMs: 600_000, retry: { retries: 0 } });
  const controller = new Controller({
    meshdoorName: 'default', watchNamespaces: [], holdoffMs: o.holdoffMs, maxDelayMs: o.maxDelayMs,
    kongAdminUrls: [o.kongUrl], publishStatusAddresses: [], dblessPushFromAllReplicas: true,
    restartUnmeshedGateway: false, identity: 'bench', ...(o.secretWatch ? { secretWatch: o.secretWatch } : {}),
    ...(o.supervisorTimings ? { supervisorTimings: o.supervisorTimings } : {}),
  }, {
    watchFactory: o.watchFactory, writer: o.writer ?? discardingWriter, kong: dblessBackend(pool, o),
    translate: timedTranslate(o.onTranslate), settingsFromMeshDoor, clock: systemClock, log: silentLogger(), metrics: new Metrics(),
  });
  await controller.start();
  return {
    controller,
    async stop() {
      await controller.stop();
      pool.close();
    },
  };
}

export function benchMeshDoor(): KubernetesObject & { spec: Record<string, unknown> } {
  return { apiVersion: 'meshdoor.dev/v1alpha1', kind: 'MeshDoor', metadata: { name: 'default' }, spec: {} };
}
