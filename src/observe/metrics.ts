// Prometheus metrics, by Prometheus' naming conventions: one prefix
// (`meshdoor_`), base units (seconds, bytes), `_total` on counters. Each one and
// its labels are listed in the README ("Metrics"); the Node.js process metrics
// (`process_*`, `nodejs_*`) come from prom-client.
import type { KongSyncObserver } from '../kong/index.ts';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { VERSION } from './version.ts';

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const seconds = (ms: number): number => ms / 1000;

export type PushProtocol = 'db-less' | 'db';

export class Metrics {
  readonly registry = new Registry();

  readonly syncCount = new Counter({
    name: 'meshdoor_sync_total', help: 'Sync passes that ran, by result (ok, failed, waiting).',
    labelNames: ['result'] as const, registers: [this.registry],
  });

  readonly syncDuration = new Histogram({
    name: 'meshdoor_sync_duration_seconds', help: 'Duration of one sync pass (snapshot, translate, push, report).',
    buckets: SECONDS_BUCKETS, registers: [this.registry],
  });

  readonly translationCount = new Counter({
    name: 'meshdoor_translations_total', help: 'Translations of the store snapshot into Kong configuration.',
    labelNames: ['success'] as const, registers: [this.registry],
  });

  readonly translationDuration = new Histogram({
    name: 'meshdoor_translation_duration_seconds', help: 'Duration of one translation.',
    buckets: SECONDS_BUCKETS, registers: [this.registry],
  });

  readonly translationBroken = new Gauge({
    name: 'meshdoor_translation_failing_objects', help: 'Objects that failed translation in the last sync.',
    registers: [this.registry],
  });

  readonly pushCount = new Counter({
    name: 'meshdoor_config_pushes_total', help: 'Configuration pushes to Kong gateways.',
    labelNames: ['success', 'protocol', 'dataplane', 'failure_reason'] as const, registers: [this.registry],
  });

  readonly pushDuration = new Histogram({
    name: 'meshdoor_config_push_duration_seconds', help: 'Duration of a configuration push to one gateway.',
    labelNames: ['success', 'protocol', 'dataplane'] as const, buckets: SECONDS_BUCKETS, registers: [this.registry],
  });

  readonly pushSize = new Gauge({
    name: 'meshdoor_config_push_size_bytes', help: 'Size in bytes of the last configuration pushed to a gateway.',
    labelNames: ['protocol', 'dataplane'] as const, registers: [this.registry],
  });

  readonly pushBroken = new Gauge({
    name: 'meshdoor_config_push_rejected_objects', help: 'Objects Kong rejected in the last push.',
    registers: [this.registry],
  });

  readonly pushLastSuccessful = new Gauge({
    name: 'meshdoor_config_push_last_success_timestamp_seconds', help: 'Unix time of the last successful push to a gateway.',
    labelNames: ['dataplane'] as const, registers: [this.registry],
  });

  // Every POST /config attempt (retries included), whatever its answer.
  readonly configPosts = new Counter({
    name: 'meshdoor_kong_config_posts_total',
    help: 'POST /config requests to a DB-less gateway, by outcome: the HTTP status (201, 304, 400, 413, ...), transport_error or error.',
    labelNames: ['dataplane', 'outcome'] as const, registers: [this.registry],
  });

  readonly configPostDuration = new Histogram({
    name: 'meshdoor_kong_config_post_duration_seconds', help: 'Duration of one POST /config request, by outcome.',
    labelNames: ['dataplane', 'outcome'] as const, buckets: SECONDS_BUCKETS, registers: [this.registry],
  });

  readonly configSentBytes = new Counter({
    name: 'meshdoor_kong_config_sent_bytes_total', help: 'Request body bytes sent with POST /config.',
    labelNames: ['dataplane'] as const, registers: [this.registry],
  });

  readonly configReceivedBytes = new Counter({
    name: 'meshdoor_kong_config_received_bytes_total', help: 'Response body bytes Kong answered POST /config with (read and discarded on success).',
    labelNames: ['dataplane'] as const, registers: [this.registry],
  });

  readonly configPostsPerSync = new Histogram({
    name: 'meshdoor_kong_config_posts_per_sync', help: 'POST /config requests one gateway got in one sync pass (one change window); 1 is the goal, 0 when it was current.',
    buckets: [0, 1, 2, 3, 4, 5, 10], registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'meshdoor_sync_queue_depth', help: 'Changes waiting for the next sync pass.', registers: [this.registry],
  });

  readonly storeObjects = new Gauge({
    name: 'meshdoor_store_objects', help: 'Objects in the watch caches, by role.',
    labelNames: ['role'] as const, registers: [this.registry],
  });

  readonly gatewayPods = new Gauge({
    name: 'meshdoor_gateway_pods', help: 'Running gateway pods, by whether they carry the kuma-sidecar.',
    labelNames: ['sidecar'] as const, registers: [this.registry],
  });

  readonly watchRestarts = new Counter({
    name: 'meshdoor_watch_restarts_total', help: 'Watches restarted after an error.',
    labelNames: ['role'] as const, registers: [this.registry],
  });

  readonly buildInfo = new Gauge({
    name: 'meshdoor_build_info', help: 'Always 1; labels: the meshdoor version and the Node.js version it runs on.',
    labelNames: ['version', 'node_version'] as const, registers: [this.registry],
  });

  readonly leader = new Gauge({
    name: 'meshdoor_leader', help: '1 while this replica holds the leader Lease.', registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
    this.buildInfo.set({ version: VERSION, node_version: process.version }, 1);
  }

  /** Records a sync pass's duration given in milliseconds. */
  observeSyncMs(ms: number): void {
    this.syncDuration.observe(seconds(ms));
  }

  /** Records a translation's duration given in milliseconds. */
  observeTranslationMs(ms: number): void {
    this.translationDuration.observe(seconds(ms));
  }

  /** Hooks for a Kong sync engine: push size and duration per gateway, every POST /config. */
  kongObserver(protocol: PushProtocol): KongSyncObserver {
    return {
      configPushed: (dataplane, bytes, durationMs) => {
        this.pushSize.set({ protocol, dataplane }, bytes);
        this.pushDuration.observe({ success: 'true', protocol, dataplane }, seconds(durationMs));
      },
      configPosted: (dataplane, post) => {
        this.configPosts.inc({ dataplane, outcome: post.outcome });
        this.configPostDuration.observe({ dataplane, outcome: post.outcome }, seconds(post.durationMs));
        this.configSentBytes.inc({ dataplane }, post.sentBytes);
        this.configReceivedBytes.inc({ dataplane }, post.receivedBytes);
      },
    };
  }
}
