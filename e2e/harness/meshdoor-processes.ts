// The two processes under test besides the control plane: `meshdoor
// controller`, running under a ServiceAccount token (so the shipped RBAC is
// what it gets), and the Kong Admin API test double.
import path from 'node:path';
import process from 'node:process';
import type { Cluster } from './cluster.ts';
import { eventually } from './eventually.ts';
import { freePort } from './free-port.ts';
import { httpGet } from './http.ts';
import { startProcess } from './processes.ts';
import type { ManagedProcess } from './processes.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface KongDouble {
  process: ManagedProcess;
  /** Admin API base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
}

/** PEM files of an HTTPS admin listener; with a client CA, client certificates are required. */
export interface DoubleTlsFiles {
  certFile: string;
  keyFile: string;
  clientCaFile?: string;
}

/** Starts the Kong double (DB-less, or DB mode) on a free port, or on `port` to restart it in place. */
export async function startKongDouble(cluster: Cluster, options: { name?: string; port?: number; host?: string; tls?: DoubleTlsFiles; mode?: 'dbless' | 'db' } = {}): Promise<KongDouble> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? await freePort();
  const name = options.name ?? 'kong-double';
  const tls = options.tls;
  const tlsArgs = tls ? ['--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile, ...(tls.clientCaFile ? ['--client-ca-file', tls.clientCaFile] : [])] : [];
  const proc = startProcess({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'kong-double', 'main.ts'), '--mode', options.mode ?? 'dbless', '--host', host, '--port', String(port), ...tlsArgs],
    logFile: path.join(cluster.dir, `${name}.log`),
    cwd: REPO_ROOT,
  });
  const url = `${tls ? 'https' : 'http'}://${host}:${port}`;
  await eventually(async () => {
    if (!proc.running) throw new Error(`${name} exited:\n${proc.tail()}`);
    // The control API answers without a client certificate.
    const res = await httpGet(`${url}/__double/state`, { insecure: true });
    if (res.status !== 200) throw new Error(`GET /__double/state: ${res.status}`);
  }, { timeoutMs: 30_000, message: `${name} not serving` });
  return { process: proc, url, port };
}

export interface ControllerOptions {
  /** `--kong-admin-url`; without it the controller discovers the gateways from the admin Service. */
  kongAdminUrl?: string;
  /** Distinguishes replicas: process name, log file and leader identity. */
  name?: string;
  /** The identity it runs as (default: the shipped `kong/meshdoor` ServiceAccount). */
  serviceAccount?: { namespace: string; name: string };
  meshdoor?: string;
  extraArgs?: string[];
  /**
   * What to run instead of bin/meshdoor.js from the checkout (tsx): a compiled
   * entry with the Node flags and environment the image starts it with.
   */
  entry?: { file: string; nodeFlags: readonly string[]; env: Readonly<Record<string, string>> };
}

export interface ControllerProcess {
  process: ManagedProcess;
  name: string;
  metricsUrl: string;
  kubeconfig: string;
  username: string;
}

/** Runs `meshdoor controller` as a separate process with a ServiceAccount token. */
export async function startController(cluster: Cluster, options: ControllerOptions): Promise<ControllerProcess> {
  const name = options.name ?? 'meshdoor';
  const sa = options.serviceAccount ?? { namespace: 'kong', name: 'meshdoor' };
  const token = await cluster.createServiceAccountToken(sa.namespace, sa.name);
  const kubeconfig = await cluster.kubeconfigFor(token, `${name}-sa`);
  const metricsPort = await freePort();
  // Replicas share this host: each its own admission webhook port (a test may name one in extraArgs).
  const webhookPort = await freePort();
  const proc = startProcess({
    name,
    command: process.execPath,
    args: [
      ...(options.entry ? [...options.entry.nodeFlags, options.entry.file] : [path.join(REPO_ROOT, 'bin', 'meshdoor.js')]), 'controller',
      '--kubeconfig', kubeconfig,
      '--meshdoor', options.meshdoor ?? 'default',
      ...(options.kongAdminUrl !== undefined ? ['--kong-admin-url', options.kongAdminUrl] : []),
      '--metrics-port', String(metricsPort),
      '--log-level', 'debug',
      '--bind-address', '127.0.0.1',
      '--webhook-port', String(webhookPort),
      ...(options.extraArgs ?? []),
    ],
    logFile: path.join(cluster.dir, `${name}.log`),
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.entry?.env, POD_NAME: name, POD_NAMESPACE: sa.namespace },
  });
  return {
    process: proc,
    name,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    kubeconfig,
    username: `system:serviceaccount:${sa.namespace}:${sa.name}`,
  };
}

/** Waits until the controller answers `path` (e.g. /healthz, /readyz) with 200. */
export async function waitForEndpoint(controller: ControllerProcess, endpoint: string, timeoutMs = 60_000): Promise<void> {
  await eventually(async () => {
    if (!controller.process.running) throw new Error(`${controller.name} exited:\n${controller.process.tail()}`);
    const res = await httpGet(`${controller.metricsUrl}${endpoint}`);
    if (res.status !== 200) throw new Error(`${endpoint}: ${res.status} ${res.body.slice(0, 300)}`);
  }, { timeoutMs, intervalMs: 500, message: `${controller.name} ${endpoint}` });
}
