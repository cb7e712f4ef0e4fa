// `meshdoor controller`: wires the live controller to a cluster (in cluster or
// --kubeconfig), the Kong gateways, the metrics/health server and signals.
// SIGTERM/SIGINT: stop watches, finish the in-flight sync, release the Lease, exit 0.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { settingsFromMeshDoor } from '../config/meshdoor-spec.ts';
import { Controller } from '../controller/controller.ts';
import { CONTROLLER_USAGE, parseControllerFlags, type ControllerFlags } from '../controller/controller-flags.ts';
import { kongBackend } from '../controller/kong-backend.ts';
import type { ClientDefaults } from '../kong/client-pool.ts';
import { createKongSyncEngine } from '../kong/sync-engine.ts';
import { systemClock } from '../kube/clock.ts';
import { createKubeClients, podNamespace, type KubeClients } from '../kube/clients.ts';
import { informerSourceFactory } from '../kube/informer-source.ts';
import { kubeWriter } from '../kube/kube-writer.ts';
import { kubeMeshApi } from '../mesh/mesh-reader.ts';
import { leaderIdentity } from '../kube/leader-election.ts';
import { kubeLeaseApi } from '../kube/lease-api.ts';
import { preflight, preflightApi } from '../kube/preflight.ts';
import { startHealthServer } from '../observe/health-server.ts';
import { createLogger, errorField, type Logger } from '../observe/logger.ts';
import { Metrics } from '../observe/metrics.ts';
import { VERSION } from '../observe/version.ts';
import { createTranslator } from '../translate/index.ts';

function kongClientDefaults(flags: ControllerFlags): ClientDefaults {
  const read = (path: string): string => readFileSync(path, 'utf8');
  const defaults: ClientDefaults = {};
  if (flags.kongAdminTokenFile) defaults.token = read(flags.kongAdminTokenFile).trim();
  if (flags.kongCaFile) defaults.ca = read(flags.kongCaFile);
  if (flags.kongClientCertFile && flags.kongClientKeyFile) {
    defaults.cert = read(flags.kongClientCertFile);
    defaults.key = read(flags.kongClientKeyFile);
  }
  return defaults;
}

function waitForSignal(log: Logger): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: string): void => {
      log.info('shutting down', { signal });
      // A second signal does not wait for the graceful path.
      process.once(signal, () => { process.exit(1); });
      resolve(signal);
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}

/** The cluster clients once the cluster can serve the MeshDoor; else the one line to print. */
async function connect(flags: ControllerFlags): Promise<KubeClients | string> {
  try {
    const clients = createKubeClients({ ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}), ...(flags.context ? { context: flags.context } : {}) });
    await preflight(preflightApi(clients), flags.meshdoor);
    return clients;
  } catch (err) {
    return errorField(err);
  }
}

async function runController(flags: ControllerFlags): Promise<number> {
  const log = createLogger({ level: flags.logLevel, ...(flags.logFormat ? { format: flags.logFormat } : {}) });
  log.info('meshdoor starting', { version: VERSION, node: process.version, meshdoor: flags.meshdoor });
  const clients = await connect(flags);
  if (typeof clients === 'string') {
    process.stderr.write(`meshdoor controller: ${clients}\n`);
    return 1;
  }
  const metrics = new Metrics({ defaultMetrics: true });
  const client = { ...kongClientDefaults(flags), logger: log };
  const engine = createKongSyncEngine({ mode: flags.kongMode, client, logger: log, observer: metrics.kongObserver('db-less') });
  const kong = kongBackend(engine, flags.kongMode, client);
  const identity = leaderIdentity();
  const leaseNamespace = flags.leaderElectNamespace ?? process.env.POD_NAMESPACE ?? podNamespace('kong');
  const controller = new Controller({
    meshdoorName: flags.meshdoor, watchNamespaces: flags.watchNamespaces,
    ...(flags.secretLabelSelector ? { secretLabelSelector: flags.secretLabelSelector } : {}),
    secretWatch: flags.secretWatch,
    holdoffMs: flags.syncHoldoffMs, maxDelayMs: flags.syncMaxDelayMs, resyncMs: flags.resyncPeriodMs, dblessCheckMs: flags.gatewayCheckPeriodMs,
    gatewayPollMs: flags.gatewayStatusPollMs,
    kongAdminUrls: flags.kongAdminUrls, publishStatusAddresses: flags.publishStatusAddresses,
    ...(flags.kongAdminServerName !== undefined ? { kongAdminServerName: flags.kongAdminServerName } : {}),
    dblessPushFromAllReplicas: flags.dblessPushFromAllReplicas, restartUnmeshedGateway: flags.restartUnmeshedGateway,
    ...(flags.kongCaFile !== undefined || flags.kongClientCertFile !== undefined ? { staticClientTls: { clientCert: flags.kongClientCertFile !== undefined } } : {}),
    ...(flags.leaderElect ? { leaderElection: { namespace: leaseNamespace } } : {}),
    identity,
  }, {
    watchFactory: informerSourceFactory(clients, { minWatchTimeoutMs: flags.watchTimeoutMs }), writer: kubeWriter(clients), leaseApi: kubeLeaseApi(clients),
    kong, translate: createTranslator().translate, settingsFromMeshDoor, clock: systemClock, log, metrics, meshApi: kubeMeshApi(clients),
  });
  const health = await startHealthServer({ port: flags.metricsPort, host: flags.bindAddress, readiness: controller.readiness, registry: metrics.registry });
  log.info('serving health and metrics', { address: `${flags.bindAddress}:${health.port}` });
  const signal = waitForSignal(log);
  await controller.start();
  await signal;
  await controller.stop();
  await health.close();
  kong.close();
  log.info('shutdown complete');
  // Keep-alive sockets of the API client must not hold the process open.
  setTimeout(() => { process.exit(0); }, 2000).unref();
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  let flags: ControllerFlags;
  try {
    flags = parseControllerFlags(argv, process.env);
  } catch (err) {
    process.stderr.write(`meshdoor controller: ${errorField(err)}\n\n${CONTROLLER_USAGE}\n`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(`${CONTROLLER_USAGE}\n`);
    return 0;
  }
  return runController(flags);
}
