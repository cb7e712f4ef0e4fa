// `meshdoor controller`: wires the live controller to a cluster (in cluster or
// --kubeconfig), the Kong gateways, the metrics/health server and signals.
// SIGTERM/SIGINT: stop watches, finish the in-flight sync, release the Lease, exit 0.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import type { KubernetesObject } from '@kubernetes/client-node';
import { AdmissionWebhook, kubeWebhookApi } from '../admission/index.ts';
import { settingsFromMeshDoor } from '../config/index.ts';
import { buildSnapshot, Controller, CONTROLLER_USAGE, GatewaySchemas, kongBackend, parseControllerFlags } from '../controller/index.ts';
import type { ControllerFlags } from '../controller/index.ts';
import { createKongSyncEngine, type ClientDefaults } from '../kong/index.ts';
import {
  createKubeClients, informerSourceFactory, kubeLeaseApi, kubeWriter, leaderIdentity, podNamespace, preflight, preflightApi, systemClock,
} from '../kube/index.ts';
import type { KubeClients } from '../kube/index.ts';
import { kubeMeshApi } from '../mesh/index.ts';
import { createLogger, errorField, Metrics, startHealthServer, VERSION, type Logger } from '../observe/index.ts';
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
  const schemas = new GatewaySchemas();
  const engine = createKongSyncEngine({ mode: flags.kongMode, client, logger: log, observer: metrics.kongObserver('db-less'), completePluginConfig: schemas.completePluginConfig });
  const kong = kongBackend(engine, flags.kongMode, client, schemas);
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
    onSnapshot: (snapshot, settings, hostOwners, pluginSchemas) => { webhook?.onSnapshot(snapshot, settings, hostOwners, pluginSchemas); },
  });
  const webhook = flags.webhook.port > 0 ? admissionWebhook(flags, clients, controller, log) : undefined;
  const health = await startHealthServer({ port: flags.metricsPort, host: flags.bindAddress, readiness: controller.readiness, registry: metrics.registry });
  log.info('serving health and metrics', { address: `${flags.bindAddress}:${health.port}` });
  const signal = waitForSignal(log);
  await controller.start();
  webhook?.start();
  await signal;
  await webhook?.stop();
  await controller.stop();
  await health.close();
  kong.close();
  log.info('shutdown complete');
  // Keep-alive sockets of the API client must not hold the process open.
  setTimeout(() => { process.exit(0); }, 2000).unref();
  return 0;
}

/** The admission webhook of this replica, judging from the controller's caches. */
function admissionWebhook(flags: ControllerFlags, clients: KubeClients, controller: Controller, log: Logger): AdmissionWebhook {
  const w = flags.webhook;
  const caches = { list: <T extends KubernetesObject>(role: Parameters<Controller['cachedObjects']>[0]): T[] => controller.cachedObjects(role) as T[] };
  return new AdmissionWebhook({
    port: w.port, host: flags.bindAddress, namespace: process.env.POD_NAMESPACE ?? podNamespace('kong'),
    certificates: w.certificates, secret: w.secret, configuration: w.configuration, service: w.service, servingNames: w.servingNames,
    certLifetimeMs: w.certLifetimeMs, caLifetimeMs: w.caLifetimeMs, checkPeriodMs: w.checkPeriodMs,
    watchNamespaces: flags.watchNamespaces, api: kubeWebhookApi(clients),
    caches: () => (controller.readiness.snapshot().cachesSynced ? { snapshot: buildSnapshot(caches), settings: controller.currentSettings().settings } : undefined),
    isLeader: () => controller.isLeader(), clock: systemClock, log,
  });
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
