// The real kube-apiserver side of the cold start and burst workloads: a control
// plane from the e2e harness with meshdoor installed, a Kong double in this
// process (its body limit raised: a 10k config is larger than Kong's default
// 10 MiB), bulk object creation over parallel REST calls, and the controller
// as its own process.
import { readFileSync } from 'node:fs';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import PQueue from 'p-queue';
import { startCluster } from '../e2e/harness/cluster.ts';
import type { Cluster } from '../e2e/harness/cluster.ts';
import { installMeshdoor } from '../e2e/harness/install.ts';
import { startController, waitForEndpoint } from '../e2e/harness/meshdoor-processes.ts';
import type { ControllerProcess } from '../e2e/harness/meshdoor-processes.ts';
import { startKongDouble } from '../test/kong-double/index.ts';
import type { KongDouble } from '../test/kong-double/index.ts';
import { toManifest } from './generate.ts';

export interface BenchCluster {
  cluster: Cluster;
  objects: KubernetesObjectApi;
  stop(): Promise<void>;
}

export async function startBenchCluster(): Promise<BenchCluster> {
  const cluster = await startCluster();
  try {
    await installMeshdoor(cluster);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.adminKubeconfig);
  return { cluster, objects: KubernetesObjectApi.makeApiClient(kc), stop: () => cluster.stop() };
}

/**
 * An object as the bench creates it: a manifest, and ClusterIP Services made
 * headless, so creating 50k of them costs no ClusterIP allocation (the e2e
 * Service CIDR is a /16). The translator addresses Services by DNS name either way.
 */
export function forApiServer(obj: KubernetesObject): KubernetesObject {
  const manifest = toManifest(obj) as KubernetesObject & { spec?: { type?: string; clusterIP?: string } };
  if (manifest.kind === 'Service' && manifest.spec?.type === 'ClusterIP') manifest.spec.clusterIP = 'None';
  return manifest;
}

/** Creates the objects with `concurrency` requests in flight; an existing object is left alone. */
export async function createObjects(api: KubernetesObjectApi, objects: readonly KubernetesObject[], concurrency = 16): Promise<void> {
  const queue = new PQueue({ concurrency });
  const failures: string[] = [];
  for (const obj of objects) {
    void queue.add(async () => {
      try {
        await api.create(forApiServer(obj));
      } catch (error) {
        if ((error as { code?: number }).code === 409) return;
        failures.push(`${obj.kind ?? ''} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}: ${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)}`);
      }
    });
  }
  await queue.onIdle();
  if (failures.length > 0) throw new Error(`${failures.length} objects not created, e.g. ${failures[0] ?? ''}`);
}

export function namespaceObjects(names: readonly string[]): KubernetesObject[] {
  return names.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
}

/** A DB-less Kong double in this process that accepts configs of any realistic size. */
export function startLargeKongDouble(): Promise<KongDouble> {
  return startKongDouble({ mode: 'dbless', configLimitBytes: 1024 * 2 ** 20 });
}

/** `meshdoor controller` as a process (shipped ServiceAccount, leader election on), logging at info. */
export async function startControllerProcess(cluster: Cluster, kongUrl: string, name: string): Promise<ControllerProcess> {
  const controller = await startController(cluster, { name, kongAdminUrl: kongUrl, extraArgs: ['--log-level', 'info'] });
  await waitForEndpoint(controller, '/healthz', 120_000);
  return controller;
}

/** Resident set size of a process, from /proc. */
export function processRssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** Routes and certificates the double holds. */
export function doubleCounts(double: KongDouble): { routes: number; certificates: number } {
  const state = double.state as Record<string, unknown[]>;
  return { routes: state.routes?.length ?? 0, certificates: state.certificates?.length ?? 0 };
}
