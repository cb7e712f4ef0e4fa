// `meshdoor controller` flags → one frozen options object. Pure: the command
// module does the I/O (files, signals, servers).
import { parseArgs } from 'node:util';
import type { LogFormat, LogLevel } from '../observe/index.ts';
import type { SecretWatchScope } from './watch-plan.ts';

export const CONTROLLER_USAGE = `usage: meshdoor controller [options]

Runs the ingress controller: watches Ingresses, Services, Secrets and the
MeshDoor it serves, keeps Kong converged and the gateway in the Kuma mesh.

Cluster:
      --kubeconfig <path>              kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, in-cluster)
      --context <name>                 kubeconfig context (default: the current one)
      --meshdoor <name>                MeshDoor whose settings to serve (default: default)
      --watch-namespace <ns>           only watch Ingresses/Services/Secrets here; repeatable (default: all)
      --secret-watch namespace|cluster TLS Secret watches: one per namespace holding referenced ones,
                                       or one cluster-wide (default: namespace); unreferenced are dropped
      --secret-label-selector <sel>    read TLS Secrets through one watch with this label selector
      --watch-timeout <duration>       the API server ends each watch after this to twice this; it then
                                       resumes from the last version seen (default: 5m)
Kong:
      --kong-admin-url <url>           Admin API URL; repeatable; overrides the MeshDoor and discovery
      --kong-mode auto|dbless|db       gateway mode (default: auto, read from GET /)
      --kong-admin-token-file <path>   file holding the Kong-Admin-Token (Kong Enterprise RBAC)
      --kong-ca-file <path>            PEM CA bundle for an HTTPS Admin API
      --kong-client-cert-file <path>   PEM client certificate for mutual TLS (with --kong-client-key-file)
      --kong-client-key-file <path>    PEM client key for mutual TLS
      --kong-admin-server-name <name>  TLS name to verify static https admin URLs against (e.g.
                                       kong-admin.kong.svc for a pod IP); discovered ones use the Service's
      --dbless-push-from-all-replicas  in DB-less mode every replica pushes (default: true; --no-... to disable)
Sync:
      --sync-holdoff <duration>        quiet time before a sync (default: 100ms)
      --sync-max-delay <duration>      longest a change waits under constant churn (default: 1s)
      --resync-period <duration>       full pass through the Kong engine at least this often (default: 5m; 0 disables)
      --gateway-check-period <duration>  DB-less: check each gateway's /status this often and re-push one
                                       that restarted empty (default: 10s; 0 disables)
      --gateway-status-poll <duration>  between passes, GET each gateway's /status this often (no retries): an
                                       emptied/replaced config or a gateway back from an outage syncs at once
                                       (default: 1s; 0 disables)
      --publish-status-address <addr>  address for Ingress status; repeatable (overrides the publish Service)
      --restart-unmeshed-gateway       rollout-restart the gateway when its pods lack the sidecar
Admission webhook:
      --webhook-port <port>            HTTPS port of the validating admission webhook (default: 8443; 0 disables)
      --webhook-certificates managed|provided  managed: meshdoor keeps a CA and serving certificate in
                                       --webhook-secret and the configuration's caBundle current; provided:
                                       the Secret is filled by someone else (cert-manager) (default: managed)
      --webhook-secret <name>          Secret (this pod's namespace) with tls.crt/tls.key (default: meshdoor-webhook-tls)
      --webhook-configuration <name>   ValidatingWebhookConfiguration whose caBundle the leader keeps (default: meshdoor)
      --webhook-service <name>         Service (this pod's namespace) named by the serving certificate
                                       (default: meshdoor-webhook)
      --webhook-serving-name <name>    one more DNS name or IP address for the serving certificate; repeatable
      --webhook-cert-lifetime <duration>  managed serving certificates live this long (default: 2160h)
      --webhook-ca-lifetime <duration>  the managed CA lives this long (default: 26280h); both are renewed
                                       with a third of their life left
      --webhook-cert-check-period <duration>  read (and, leader, renew) the certificates this often (default: 1m)
Leader election:
      --leader-elect                   elect a leader through a Lease (default: true; --no-leader-elect)
      --leader-elect-namespace <ns>    namespace of the Lease (default: this pod's namespace, else kong)
Process:
      --log-level error|warn|info|debug  (default: info)
      --log-format json|text           (default: text on a terminal, json otherwise)
      --metrics-port <port>            /metrics, /healthz and /readyz (default: 10254)
      --bind-address <addr>            address the metrics/health server listens on (default: 0.0.0.0)
  -h, --help                           show this help

Durations: 250ms, 2s, 5m or plain milliseconds.

Environment: every flag can be set as MESHDOOR_<FLAG>, the flag's name in upper
case with '_' for '-' (MESHDOOR_KONG_ADMIN_URL, MESHDOOR_LOG_FORMAT, ...);
repeatable flags take a comma-separated list, boolean flags true or false.
A flag on the command line wins over its variable.

Exit codes: 0 stopped by SIGTERM/SIGINT, 1 fatal error, 2 usage error.`;

export interface ControllerFlags {
  help: boolean;
  kubeconfig?: string;
  context?: string;
  meshdoor: string;
  watchNamespaces: string[];
  secretLabelSelector?: string;
  secretWatch: SecretWatchScope;
  watchTimeoutMs: number;
  kongAdminUrls: string[];
  kongMode: 'auto' | 'dbless' | 'db';
  kongAdminTokenFile?: string;
  kongCaFile?: string;
  kongClientCertFile?: string;
  kongClientKeyFile?: string;
  kongAdminServerName?: string;
  dblessPushFromAllReplicas: boolean;
  syncHoldoffMs: number;
  syncMaxDelayMs: number;
  resyncPeriodMs: number;
  gatewayCheckPeriodMs: number;
  gatewayStatusPollMs: number;
  publishStatusAddresses: string[];
  restartUnmeshedGateway: boolean;
  leaderElect: boolean;
  leaderElectNamespace?: string;
  logLevel: LogLevel;
  logFormat?: LogFormat;
  metricsPort: number;
  bindAddress: string;
  webhook: WebhookFlags;
}

export interface WebhookFlags {
  /** 0: no webhook. */
  port: number;
  certificates: 'managed' | 'provided';
  secret: string;
  configuration: string;
  service: string;
  servingNames: string[];
  certLifetimeMs: number;
  caLifetimeMs: number;
  checkPeriodMs: number;
}

const BOOLEAN_FLAGS = ['leader-elect', 'dbless-push-from-all-replicas', 'restart-unmeshed-gateway'];

/** Accept `--flag=true|false` for boolean flags, as Go controllers do. */
function normalizeBooleans(argv: readonly string[]): string[] {
  return argv.map((arg) => {
    const match = /^--([a-z-]+)=(true|false)$/.exec(arg);
    if (!match?.[1] || !BOOLEAN_FLAGS.includes(match[1])) return arg;
    return match[2] === 'true' ? `--${match[1]}` : `--no-${match[1]}`;
  });
}

export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match?.[1]) throw new Error(`--${flag}: '${value}' is not a duration (e.g. 250ms, 2s, 5m)`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h' | undefined ?? 'ms'];
  return Math.round(Number(match[1]) * factor);
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new Error(`--${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
  return value as T;
}

function port(value: string | undefined, fallback: number, flag = 'metrics-port'): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${flag} must be a port number (got '${value}')`);
  return n;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : { [key]: value } as Record<K, string>;
}

type OptionTable = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; default?: boolean; short?: string }>;

/** Every controller flag (the usage text above lists each). */
export const CONTROLLER_OPTIONS = {
  kubeconfig: { type: 'string' }, context: { type: 'string' }, meshdoor: { type: 'string' },
  'watch-namespace': { type: 'string', multiple: true }, 'secret-label-selector': { type: 'string' },
  'secret-watch': { type: 'string' },
  'watch-timeout': { type: 'string' },
  'kong-admin-url': { type: 'string', multiple: true }, 'kong-mode': { type: 'string' },
  'kong-admin-token-file': { type: 'string' }, 'kong-ca-file': { type: 'string' },
  'kong-client-cert-file': { type: 'string' }, 'kong-client-key-file': { type: 'string' },
  'kong-admin-server-name': { type: 'string' },
  'dbless-push-from-all-replicas': { type: 'boolean', default: true },
  'sync-holdoff': { type: 'string' }, 'sync-max-delay': { type: 'string' }, 'resync-period': { type: 'string' },
  'gateway-check-period': { type: 'string' },
  'gateway-status-poll': { type: 'string' },
  'publish-status-address': { type: 'string', multiple: true },
  'restart-unmeshed-gateway': { type: 'boolean', default: false },
  'leader-elect': { type: 'boolean', default: true }, 'leader-elect-namespace': { type: 'string' },
  'log-level': { type: 'string' }, 'log-format': { type: 'string' },
  'metrics-port': { type: 'string' }, 'bind-address': { type: 'string' },
  'webhook-port': { type: 'string' }, 'webhook-certificates': { type: 'string' }, 'webhook-secret': { type: 'string' },
  'webhook-configuration': { type: 'string' }, 'webhook-service': { type: 'string' },
  'webhook-serving-name': { type: 'string', multiple: true }, 'webhook-cert-lifetime': { type: 'string' },
  'webhook-ca-lifetime': { type: 'string' }, 'webhook-cert-check-period': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies OptionTable;

/** `--kong-admin-url` → `MESHDOOR_KONG_ADMIN_URL`. */
export function envName(flag: string): string {
  return `MESHDOOR_${flag.toUpperCase().replace(/-/g, '_')}`;
}

function onCommandLine(argv: readonly string[], flag: string): boolean {
  return argv.some((a) => a === `--${flag}` || a.startsWith(`--${flag}=`) || a === `--no-${flag}`);
}

/** The flags that MESHDOOR_<FLAG> variables set, as arguments placed before the command line's. */
function argsFromEnv(options: OptionTable, argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] {
  const args: string[] = [];
  for (const [flag, option] of Object.entries(options)) {
    const value = env[envName(flag)];
    if (flag === 'help' || value === undefined || value === '' || onCommandLine(argv, flag)) continue;
    if (option.type === 'boolean') {
      if (value !== 'true' && value !== 'false') throw new Error(`${envName(flag)} must be true or false (got '${value}')`);
      args.push(value === 'true' ? `--${flag}` : `--no-${flag}`);
    } else if (option.multiple) {
      for (const item of value.split(',').map((x) => x.trim()).filter(Boolean)) args.push(`--${flag}`, item);
    } else {
      args.push(`--${flag}`, value);
    }
  }
  return args;
}

function checkKongFlags(v: { 'kong-admin-url'?: string[]; 'kong-client-cert-file'?: string; 'kong-client-key-file'?: string }): void {
  for (const url of v['kong-admin-url'] ?? []) {
    if (!/^https?:\/\/[^/]/.test(url)) throw new Error(`--kong-admin-url must be an http(s) URL (got '${url}')`);
  }
  if (Boolean(v['kong-client-cert-file']) !== Boolean(v['kong-client-key-file'])) {
    throw new Error('--kong-client-cert-file and --kong-client-key-file go together');
  }
}

/**
 * Parses the flags, with MESHDOOR_<FLAG> variables from `env` underneath; throws
 * an Error whose message is a usage mistake.
 */
export function parseControllerFlags(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ControllerFlags {
  const args = normalizeBooleans(argv);
  const { values: v } = parseArgs({
    args: [...argsFromEnv(CONTROLLER_OPTIONS, args, env), ...args], allowPositionals: false, strict: true, allowNegative: true,
    options: CONTROLLER_OPTIONS,
  });
  checkKongFlags(v);
  const holdoff = parseDuration(v['sync-holdoff'] ?? '100ms', 'sync-holdoff');
  const maxDelay = parseDuration(v['sync-max-delay'] ?? '1s', 'sync-max-delay');
  if (maxDelay < holdoff) throw new Error('--sync-max-delay must not be shorter than --sync-holdoff');
  const watchTimeout = parseDuration(v['watch-timeout'] ?? '5m', 'watch-timeout');
  if (watchTimeout < 1000) throw new Error('--watch-timeout must be at least 1s (the API server counts whole seconds)');
  const logFormat = v['log-format'] === undefined ? undefined : oneOf(v['log-format'], ['json', 'text'] as const, 'log-format', 'json');
  return Object.freeze({
    help: v.help === true,
    ...optional('kubeconfig', v.kubeconfig), ...optional('context', v.context),
    meshdoor: v.meshdoor ?? 'default',
    watchNamespaces: v['watch-namespace'] ?? [],
    ...optional('secretLabelSelector', v['secret-label-selector']),
    secretWatch: oneOf(v['secret-watch'], ['namespace', 'cluster'] as const, 'secret-watch', 'namespace'),
    watchTimeoutMs: watchTimeout,
    kongAdminUrls: v['kong-admin-url'] ?? [],
    kongMode: oneOf(v['kong-mode'], ['auto', 'dbless', 'db'] as const, 'kong-mode', 'auto'),
    ...optional('kongAdminTokenFile', v['kong-admin-token-file']), ...optional('kongCaFile', v['kong-ca-file']),
    ...optional('kongClientCertFile', v['kong-client-cert-file']), ...optional('kongClientKeyFile', v['kong-client-key-file']),
    ...optional('kongAdminServerName', v['kong-admin-server-name']),
    dblessPushFromAllReplicas: v['dbless-push-from-all-replicas'],
    syncHoldoffMs: holdoff, syncMaxDelayMs: maxDelay,
    resyncPeriodMs: parseDuration(v['resync-period'] ?? '5m', 'resync-period'),
    gatewayCheckPeriodMs: parseDuration(v['gateway-check-period'] ?? '10s', 'gateway-check-period'),
    gatewayStatusPollMs: parseDuration(v['gateway-status-poll'] ?? '1s', 'gateway-status-poll'),
    publishStatusAddresses: v['publish-status-address'] ?? [],
    restartUnmeshedGateway: v['restart-unmeshed-gateway'],
    leaderElect: v['leader-elect'],
    ...optional('leaderElectNamespace', v['leader-elect-namespace']),
    logLevel: oneOf(v['log-level'], ['error', 'warn', 'info', 'debug'] as const, 'log-level', 'info'),
    ...(logFormat ? { logFormat } : {}),
    metricsPort: port(v['metrics-port'], 10254),
    bindAddress: v['bind-address'] ?? '0.0.0.0',
    webhook: webhookFlags(v),
  });
}

type WebhookValues = Partial<Record<'webhook-port' | 'webhook-certificates' | 'webhook-secret' | 'webhook-configuration' | 'webhook-service'
  | 'webhook-cert-lifetime' | 'webhook-ca-lifetime' | 'webhook-cert-check-period', string>> & { 'webhook-serving-name'?: string[] };

function webhookFlags(v: WebhookValues): WebhookFlags {
  const certLifetimeMs = parseDuration(v['webhook-cert-lifetime'] ?? '2160h', 'webhook-cert-lifetime');
  const caLifetimeMs = parseDuration(v['webhook-ca-lifetime'] ?? '26280h', 'webhook-ca-lifetime');
  const checkPeriodMs = parseDuration(v['webhook-cert-check-period'] ?? '1m', 'webhook-cert-check-period');
  // Renewal starts with a third of a life left: the check must come round well within it.
  if (checkPeriodMs < 100 || checkPeriodMs * 3 > certLifetimeMs / 3) throw new Error('--webhook-cert-check-period must be at least 100ms and at most a ninth of --webhook-cert-lifetime');
  if (caLifetimeMs < certLifetimeMs) throw new Error('--webhook-ca-lifetime must not be shorter than --webhook-cert-lifetime');
  return {
    port: port(v['webhook-port'], 8443, 'webhook-port'),
    certificates: oneOf(v['webhook-certificates'], ['managed', 'provided'] as const, 'webhook-certificates', 'managed'),
    secret: v['webhook-secret'] ?? 'meshdoor-webhook-tls',
    configuration: v['webhook-configuration'] ?? 'meshdoor',
    service: v['webhook-service'] ?? 'meshdoor-webhook',
    servingNames: v['webhook-serving-name'] ?? [],
    certLifetimeMs, caLifetimeMs, checkPeriodMs,
  };
}
