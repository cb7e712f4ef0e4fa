// A real control plane on loopback for one test file: etcd, kube-apiserver
// (RBAC, token auth, ServiceAccount tokens, audit log) and optionally
// kube-controller-manager, all in a temp dir that stop() removes.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findAssets } from './assets.ts';
import type { ControlPlaneAssets } from './assets.ts';
import {
  apiserverArgs, auditPolicy, controllerManagerArgs, etcdArgs, files, renderKubeconfig, tokenFile,
} from './control-plane-config.ts';
import type { ControlPlaneLayout } from './control-plane-config.ts';
import { eventually } from './eventually.ts';
import { freePort } from './free-port.ts';
import { httpGet } from './http.ts';
import { runKubectl } from './kubectl.ts';
import type { KubectlOptions, KubectlResult } from './kubectl.ts';
import { removeAtExit, startProcess } from './processes.ts';
import type { ManagedProcess } from './processes.ts';
import { readAuditEvents } from './audit.ts';
import type { AuditEvent } from './audit.ts';

export interface StartClusterOptions {
  /** Run kube-controller-manager too (Deployments → ReplicaSets → Pods). */
  controllerManager?: boolean;
  /** How long to wait for /readyz (default 90 s: a cold start on 2 cores). */
  readyTimeoutMs?: number;
  /** More kube-apiserver flags (e.g. a short `--etcd-compaction-interval`). */
  apiserverArgs?: string[];
}

export class Cluster {
  readonly server: string;
  readonly dir: string;
  readonly adminKubeconfig: string;
  private readonly processes = new Map<string, ManagedProcess>();
  private caData = '';
  private extraApiserverArgs: string[] = [];

  constructor(
    readonly assets: ControlPlaneAssets,
    private readonly layout: ControlPlaneLayout,
    private readonly adminToken: string,
  ) {
    this.dir = layout.dir;
    this.server = `https://127.0.0.1:${layout.apiserverPort}`;
    this.adminKubeconfig = path.join(layout.dir, files.adminKubeconfig);
  }

  /** etcd's client URL (its v3 JSON gateway, e.g. to check what was compacted). */
  get etcdUrl(): string {
    return `http://127.0.0.1:${this.layout.etcdClientPort}`;
  }

  /** `kubectl` as cluster admin (or as the kubeconfig in options). */
  kubectl(args: string[], options: KubectlOptions = {}): Promise<KubectlResult> {
    return runKubectl(this.assets.kubectl, args, { kubeconfig: this.adminKubeconfig, ...options });
  }

  /** `kubectl get -o json`, parsed; undefined when NotFound. */
  async getJson<T = Record<string, unknown>>(args: string[]): Promise<T | undefined> {
    const result = await this.kubectl(['get', ...args, '-o', 'json'], { allowFailure: true });
    if (result.code !== 0) {
      if (/NotFound|not found/.test(result.stderr)) return undefined;
      throw new Error(`kubectl get ${args.join(' ')}: ${result.stderr.trim()}`);
    }
    return JSON.parse(result.stdout) as T;
  }

  /** A bound token for a ServiceAccount (TokenRequest API). */
  async createServiceAccountToken(namespace: string, serviceAccount: string): Promise<string> {
    const result = await this.kubectl(['create', 'token', serviceAccount, '-n', namespace, '--duration=2h']);
    return result.stdout.trim();
  }

  /** Writes a kubeconfig that authenticates with `token`; returns its path. */
  async kubeconfigFor(token: string, name: string): Promise<string> {
    const file = path.join(this.dir, `${name}.kubeconfig`);
    await writeFile(file, renderKubeconfig({ server: this.server, caData: this.caData, user: name, token }), { mode: 0o600 });
    return file;
  }

  /** Audit events so far (ServiceAccount requests only, Metadata level). */
  auditEvents(): Promise<AuditEvent[]> {
    return readAuditEvents(path.join(this.dir, files.auditLog));
  }

  process(name: string): ManagedProcess | undefined {
    return this.processes.get(name);
  }

  async start(options: StartClusterOptions): Promise<void> {
    this.extraApiserverArgs = options.apiserverArgs ?? [];
    await this.startEtcd();
    await this.startApiserver(options.readyTimeoutMs ?? 90_000);
    if (options.controllerManager) this.startControllerManager();
  }

  /** Stops and starts kube-apiserver on the same port and etcd (watches must resume). */
  async restartApiserver(): Promise<void> {
    await this.processes.get('kube-apiserver')?.stop('SIGTERM', 10_000);
    await this.startApiserver(90_000);
  }

  async stop(): Promise<void> {
    const order = ['kube-controller-manager', 'kube-apiserver', 'etcd'];
    for (const name of order) await this.processes.get(name)?.stop('SIGTERM', 5_000);
    await rm(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }

  /** Output of every control-plane process, for a failing test's message. */
  logs(lines = 30): string {
    return [...this.processes.values()].map((p) => `--- ${p.name} (${p.logFile})\n${p.tail(lines)}`).join('\n');
  }

  private spawn(name: string, command: string, args: string[]): ManagedProcess {
    const proc = startProcess({ name, command, args, logFile: path.join(this.dir, `${name}.log`) });
    this.processes.set(name, proc);
    return proc;
  }

  private async startEtcd(): Promise<void> {
    const etcd = this.spawn('etcd', this.assets.etcd, etcdArgs(this.layout));
    await eventually(async () => {
      if (!etcd.running) throw new Error(`etcd exited:\n${etcd.tail()}`);
      const res = await httpGet(`http://127.0.0.1:${this.layout.etcdClientPort}/health`);
      if (res.status !== 200) throw new Error(`etcd /health: ${res.status}`);
    }, { timeoutMs: 30_000, message: 'etcd not healthy' });
  }

  private async startApiserver(timeoutMs: number): Promise<void> {
    const apiserver = this.spawn('kube-apiserver', this.assets.kubeApiserver, [...apiserverArgs(this.layout), ...this.extraApiserverArgs]);
    const certFile = path.join(this.dir, files.servingCert);
    await eventually(async () => {
      if (!apiserver.running) throw new Error(`kube-apiserver exited:\n${apiserver.tail()}`);
      this.caData = await readFile(certFile, 'utf8');
      const res = await httpGet(`${this.server}/readyz`, { ca: this.caData, token: this.adminToken });
      if (res.status !== 200) throw new Error(`/readyz ${res.status}: ${res.body.slice(0, 500)}`);
    }, { timeoutMs, intervalMs: 500, message: 'kube-apiserver not ready' });
    await writeFile(this.adminKubeconfig, renderKubeconfig({ server: this.server, caData: this.caData, user: 'admin', token: this.adminToken }), { mode: 0o600 });
  }

  private startControllerManager(): void {
    if (!this.assets.kubeControllerManager) throw new Error('kube-controller-manager is not among the e2e assets');
    this.spawn('kube-controller-manager', this.assets.kubeControllerManager, controllerManagerArgs(this.layout));
  }
}

/** Starts a fresh control plane; the caller must `await cluster.stop()` (in `after`). */
export async function startCluster(options: StartClusterOptions = {}): Promise<Cluster> {
  const assets = await findAssets();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'meshdoor-e2e-'));
  removeAtExit(dir);
  const layout: ControlPlaneLayout = {
    dir,
    etcdClientPort: await freePort(),
    etcdPeerPort: await freePort(),
    apiserverPort: await freePort(),
  };
  const adminToken = randomBytes(24).toString('hex');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await mkdir(path.join(dir, files.certDir), { recursive: true });
  await writeFile(path.join(dir, files.saKey), privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  await writeFile(path.join(dir, files.tokens), tokenFile(adminToken), { mode: 0o600 });
  await writeFile(path.join(dir, files.auditPolicy), auditPolicy());
  const cluster = new Cluster(assets, layout, adminToken);
  try {
    await cluster.start(options);
  } catch (err) {
    const logs = cluster.logs();
    await cluster.stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${logs}`, { cause: err });
  }
  return cluster;
}
