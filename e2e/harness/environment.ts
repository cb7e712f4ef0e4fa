// A whole meshdoor setup for a scenario file: control plane, deploy/crds/ + deploy/
// applied, the Kong double, and `meshdoor controller` replicas running under
// the shipped ServiceAccount and pointed at the double.
import { startCluster } from './cluster.ts';
import type { Cluster } from './cluster.ts';
import { eventually } from './eventually.ts';
import { installMeshdoor } from './install.ts';
import { KongDoubleClient } from './kong-double-client.ts';
import { startController, startKongDouble, waitForEndpoint } from './meshdoor-processes.ts';
import type { ControllerProcess, KongDouble } from './meshdoor-processes.ts';

export interface EnvironmentOptions {
  /** Run kube-controller-manager (gateway Deployment → ReplicaSets). */
  controllerManager?: boolean;
  /** Controller replicas to start (default 1; 0 = the test starts them). */
  replicas?: number;
  controllerArgs?: string[];
  /** More kube-apiserver flags. */
  apiserverArgs?: string[];
}

export class Environment {
  readonly controllers: ControllerProcess[] = [];
  private started = 0;

  constructor(
    readonly cluster: Cluster,
    public kong: KongDouble,
    private readonly controllerArgs: string[],
  ) {}

  get double(): KongDoubleClient {
    return new KongDoubleClient(this.kong.url);
  }

  /** The most recently started replica that is still running. */
  get controller(): ControllerProcess {
    const latest = this.controllers.filter((c) => c.process.running).at(-1);
    if (!latest) throw new Error('no controller running');
    return latest;
  }

  /**
   * Starts one more replica (named meshdoor-1, meshdoor-2, ...) and waits for
   * /healthz; pointed at the double, or at `kongAdminUrl` (a tap in front of it).
   */
  async startController(extraArgs: string[] = [], kongAdminUrl = this.kong.url): Promise<ControllerProcess> {
    this.started += 1;
    const controller = await startController(this.cluster, {
      name: `meshdoor-${this.started}`,
      kongAdminUrl,
      extraArgs: [...this.controllerArgs, ...extraArgs],
    });
    this.controllers.push(controller);
    await waitForEndpoint(controller, '/healthz');
    return controller;
  }

  /** Kills the Kong double and starts a fresh (empty) one on the same port. */
  async restartKong(): Promise<void> {
    await this.kong.process.kill();
    this.kong = await startKongDouble(this.cluster, { port: this.kong.port, name: 'kong-double' });
  }

  /** What a cloud load balancer controller would do for the publish Service. */
  async setPublishAddress(ip: string): Promise<void> {
    const patch = JSON.stringify({ status: { loadBalancer: { ingress: [{ ip }] } } });
    await this.cluster.kubectl(['patch', 'service', 'kong-proxy', '-n', 'kong', '--subresource=status', '--type=merge', '-p', patch]);
  }

  /** Applies a manifest given as YAML text. */
  async apply(yaml: string): Promise<void> {
    await this.cluster.kubectl(['apply', '-f', '-'], { stdin: yaml });
  }

  /** Requests of the controller's ServiceAccount that RBAC refused (`verb URI`). */
  /**
   * Requests of the controllers that RBAC refused. `exceptDuring` leaves out time
   * windows (ms since epoch) in which a freshly restarted kube-apiserver refuses
   * everyone until its RBAC caches have synced.
   */
  async forbiddenControllerRequests(exceptDuring: Array<{ from: number; to: number }> = []): Promise<string[]> {
    const usernames = new Set(this.controllers.map((c) => c.username));
    const events = await this.cluster.auditEvents();
    const excused = (at: string | undefined): boolean => {
      const t = at === undefined ? NaN : Date.parse(at);
      return exceptDuring.some((w) => t >= w.from && t <= w.to);
    };
    return events
      .filter((e) => usernames.has(e.user.username) && e.responseStatus?.code === 403 && !excused(e.requestReceivedTimestamp))
      .map((e) => `${e.verb} ${e.requestURI}`);
  }

  /** Log tails of every process, for a failing test. */
  logs(lines = 40): string {
    const procs = [this.kong.process, ...this.controllers.map((c) => c.process)];
    return `${procs.map((p) => `--- ${p.name}\n${p.tail(lines)}`).join('\n')}\n${this.cluster.logs(10)}`;
  }

  async stop(): Promise<void> {
    await Promise.all(this.controllers.map((c) => c.process.stop('SIGTERM', 5000)));
    await this.kong.process.stop('SIGTERM', 3000);
    await this.cluster.stop();
  }
}

export async function startEnvironment(options: EnvironmentOptions = {}): Promise<Environment> {
  const cluster = await startCluster({ controllerManager: options.controllerManager ?? false, ...(options.apiserverArgs ? { apiserverArgs: options.apiserverArgs } : {}) });
  try {
    await installMeshdoor(cluster);
    const kong = await startKongDouble(cluster);
    const env = new Environment(cluster, kong, options.controllerArgs ?? []);
    for (let i = 0; i < (options.replicas ?? 1); i += 1) await env.startController();
    return env;
  } catch (err) {
    const logs = cluster.logs();
    await cluster.stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${logs}`, { cause: err });
  }
}

/** Waits for the controller's /readyz (caches synced and the last push succeeded). */
export async function waitReady(controller: ControllerProcess, timeoutMs = 60_000): Promise<void> {
  await waitForEndpoint(controller, '/readyz', timeoutMs);
}

/** Waits until the double routes `host` + `path` to `backend` (host:port). */
export async function expectRoutedTo(env: Environment, request: { host?: string; path: string }, backend: string | RegExp, timeoutMs = 30_000): Promise<void> {
  await eventually(async () => {
    const result = await env.double.route(request);
    const ok = typeof backend === 'string' ? result.backend === backend : backend.test(result.backend ?? '');
    if (!ok) throw new Error(`${request.host ?? ''}${request.path} → ${result.status} ${result.backend ?? '(no backend)'}, want ${String(backend)}`);
  }, { timeoutMs, message: 'route not as expected' });
}

/** Waits until no route matches `host` + `path`. */
export async function expectNotRouted(env: Environment, request: { host?: string; path: string }, timeoutMs = 30_000): Promise<void> {
  await eventually(async () => {
    const result = await env.double.route(request);
    if (result.status !== 404) throw new Error(`${request.host ?? ''}${request.path} still routed to ${result.backend ?? '?'}`);
  }, { timeoutMs, message: 'route still present' });
}

/**
 * Waits until the Kong double, restarted empty, accepted a config push (its
 * request log starts with the new process). Its hash is no witness: the
 * controller may refill it before any read after the restart.
 */
export async function expectRefilled(env: Environment, timeoutMs = 60_000): Promise<void> {
  await eventually(async () => {
    const statuses = (await env.double.configPushes()).map((p) => p.status);
    if (!statuses.includes(201)) throw new Error(`config pushes to the restarted Kong: [${statuses.join(', ')}]`);
  }, { timeoutMs, message: 'the restarted Kong got no accepted config' });
}
