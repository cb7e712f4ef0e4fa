// `meshdoor sync`: translate manifests and converge the given Kong gateways
// (DB-less or DB mode, read from each gateway's `GET /`), then print what
// was done per gateway.
import { readFile } from 'node:fs/promises';
import process from 'node:process';
import { parseArgs } from 'node:util';
import type { MeshDoorSettings } from '../config/index.ts';
import { settingsFromMeshDoor } from '../config/index.ts';
import type { ClientDefaults } from '../kong/index.ts';
import type { RouterFlavor } from '../model/index.ts';
import { AutoSyncEngine } from '../kong/index.ts';
import type { GatewayTarget, KongMode, SyncReport } from '../kong/index.ts';
import { redactUrl } from '../kong/index.ts';
import { createTranslator, formatFailure } from '../translate/index.ts';
import type { Snapshot } from '../translate/index.ts';
import { loadManifests, selectMeshDoor } from './manifests.ts';
import { gatewaySchemas } from './plugin-schemas.ts';
import { schemaSkippedNote, withUsage } from './translate-command.ts';

const USAGE = `usage: meshdoor sync -f <file|dir> --kong-admin-url <url> [--kong-admin-url <url> ...] [options]

Translates the manifests and converges each Kong gateway: a DB-less gateway gets
one POST /config (skipped when it already runs that config), a DB-mode gateway
gets exactly the entity writes that differ (only entities tagged managed-by:meshdoor).

  -f, --filename <path>             manifest file or directory (recursive); repeatable
      --kong-admin-url <url>        Admin API of a gateway; repeatable
      --once                        one attempt per gateway, then exit
      --kong-mode <mode>            auto (default: from GET /), dbless or db
      --router-flavor <flavor>      route form to emit (default: the MeshDoor's, else the gateway's)
      --kong-admin-token-file <f>   file with a Kong Enterprise Kong-Admin-Token
      --kong-ca-file <f>            PEM CA bundle for the Admin API's certificate
      --kong-client-cert-file <f>   PEM client certificate (with --kong-client-key-file)
      --kong-client-key-file <f>    PEM key of the client certificate
      --kong-server-name <name>     TLS name to verify the Admin API's certificate against (default: the
                                    URL's host), e.g. kong-admin.kong.svc through a port-forward
      --kong-timeout <ms>           per-request timeout (default 10000)
      --kong-retries <n>            retries of a failed request, with backoff (default 4)
      --meshdoor <name>             the MeshDoor in the manifests whose settings apply
  -h, --help                        show this help

Each Admin API request is retried on network errors, 429 and 5xx (--kong-retries
times, 60 s of waiting at most; a Retry-After longer than 30 s is not waited for).
Without --once, gateways that could not be converged for such a reason are
synced again with backoff (at most 5 attempts, waits of 30 s at most); a
refusal (4xx, a redirect, a body too large) is not tried again.

Exit codes:
  0  every gateway runs the config and every object is in it
  1  a gateway did not converge (unreachable, refused the writes, redirected,
     body too large, mode not readable)
  2  usage error (bad flags, no input)
  3  every gateway converged, but objects were left out (translation failures
     or entities Kong rejected); each is listed on stderr`;

export const KONG_OPTIONS = {
  filename: { type: 'string', short: 'f', multiple: true },
  'kong-admin-url': { type: 'string', multiple: true },
  'kong-mode': { type: 'string' },
  'router-flavor': { type: 'string' },
  'kong-admin-token-file': { type: 'string' },
  'kong-ca-file': { type: 'string' },
  'kong-client-cert-file': { type: 'string' },
  'kong-client-key-file': { type: 'string' },
  'kong-server-name': { type: 'string' },
  'kong-timeout': { type: 'string' },
  'kong-retries': { type: 'string' },
  meshdoor: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const FLAVORS: readonly RouterFlavor[] = ['traditional_compatible', 'traditional', 'expressions'];

export interface KongCommandOptions {
  files: string[];
  urls: string[];
  /** TLS server name for every gateway, when it differs from the URL's host. */
  serverName?: string;
  mode: 'auto' | KongMode;
  routerFlavor?: RouterFlavor;
  client: ClientDefaults;
  meshdoor?: string;
}

/** A usage mistake: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

async function readSecretFile(path: string | undefined): Promise<string | undefined> {
  return path === undefined ? undefined : (await readFile(path, 'utf8')).trim();
}

/** TLS, token and timeout flags → Admin API client options (reading the files they name). */
async function clientOptions(values: Record<string, unknown>): Promise<ClientDefaults> {
  const timeout = values['kong-timeout'] === undefined ? 10_000 : Number(values['kong-timeout']);
  if (!Number.isInteger(timeout) || timeout <= 0) throw new UsageError('--kong-timeout must be a positive number of milliseconds');
  const retries = values['kong-retries'] === undefined ? 4 : Number(values['kong-retries']);
  if (!Number.isInteger(retries) || retries < 0) throw new UsageError('--kong-retries must be a whole number');
  const client: ClientDefaults = { timeoutMs: timeout, retry: { retries } };
  const token = await readSecretFile(values['kong-admin-token-file'] as string | undefined);
  if (token !== undefined) client.token = token;
  const ca = await readSecretFile(values['kong-ca-file'] as string | undefined);
  if (ca !== undefined) client.ca = ca;
  const cert = await readSecretFile(values['kong-client-cert-file'] as string | undefined);
  const key = await readSecretFile(values['kong-client-key-file'] as string | undefined);
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--kong-client-cert-file and --kong-client-key-file go together');
  if (cert !== undefined && key !== undefined) Object.assign(client, { cert, key });
  return client;
}

/** Reads the flags shared by `sync` and `diff`, and the files they name. */
export async function kongCommandOptions(values: Record<string, unknown>): Promise<KongCommandOptions> {
  const files = (values.filename as string[] | undefined) ?? [];
  const urls = (values['kong-admin-url'] as string[] | undefined) ?? [];
  if (files.length === 0) throw new UsageError('no input; give manifests with -f <file|dir>');
  if (urls.length === 0) throw new UsageError('give at least one --kong-admin-url');
  for (const url of urls) if (!/^https?:\/\//.test(url)) throw new UsageError(`--kong-admin-url must be an http(s) URL, not '${redactUrl(url)}'`);
  const mode = (values['kong-mode'] as string | undefined) ?? 'auto';
  if (mode !== 'auto' && mode !== 'dbless' && mode !== 'db') throw new UsageError(`--kong-mode must be auto, dbless or db, not '${mode}'`);
  const flavor = values['router-flavor'] as string | undefined;
  const routerFlavor = FLAVORS.find((f) => f === flavor);
  if (flavor !== undefined && routerFlavor === undefined) throw new UsageError(`--router-flavor must be one of ${FLAVORS.join(', ')}`);
  const options: KongCommandOptions = { files, urls, mode, client: await clientOptions(values) };
  if (routerFlavor !== undefined) options.routerFlavor = routerFlavor;
  if (typeof values.meshdoor === 'string') options.meshdoor = values.meshdoor;
  if (typeof values['kong-server-name'] === 'string') options.serverName = values['kong-server-name'];
  return options;
}

/** The gateways the flags name. */
export function commandTargets(options: KongCommandOptions): GatewayTarget[] {
  return options.urls.map((url) => (options.serverName !== undefined ? { url, serverName: options.serverName } : { url }));
}

/**
 * Snapshot and settings; the route form follows --router-flavor, else the
 * MeshDoor's routerFlavor, else the first gateway's router_flavor.
 */
export async function translationInput(options: KongCommandOptions, engine: AutoSyncEngine): Promise<{ snapshot: Snapshot; settings: MeshDoorSettings }> {
  const { snapshot, meshdoors } = await loadManifests(options.files);
  const meshdoor = selectMeshDoor(meshdoors, options.meshdoor);
  const settings = settingsFromMeshDoor(meshdoor);
  if (options.routerFlavor !== undefined) return { snapshot, settings: { ...settings, routerFlavor: options.routerFlavor } };
  if (meshdoor?.spec?.routerFlavor !== undefined || options.mode !== 'auto') return { snapshot, settings };
  for (const target of commandTargets(options)) {
    const info = await engine.detect(target).catch(() => undefined);
    if (info !== undefined) return { snapshot, settings: { ...settings, routerFlavor: info.routerFlavor } };
  }
  return { snapshot, settings };
}

/** The per-gateway summary table and what Kong rejected. */
export function renderSyncReport(report: SyncReport): string {
  const head = ['GATEWAY', 'MODE', 'STATUS', 'CREATED', 'UPDATED', 'DELETED', 'WRITES', 'HASH'];
  const rows = report.gateways.map((g) => [redactUrl(g.url), g.mode, g.status, String(g.created), String(g.updated), String(g.deleted), String(g.writes ?? 0), (g.configHash ?? '-').slice(0, 12)]);
  const widths = head.map((_h, i) => Math.max(...[head, ...rows].map((r) => (r[i] ?? '').length)));
  const lines = [head, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '));
  for (const g of report.gateways) if (g.error !== undefined) lines.push(`error: ${redactUrl(g.url)}: ${g.error}`);
  for (const r of report.rejected) lines.push(`rejected: ${formatFailure(r)}`);
  return `${lines.join('\n')}\n`;
}

const MAX_ATTEMPTS = 5;
/** The longest wait between two syncs of the CLI (the engine's backoff grows to minutes). */
const MAX_WAIT_MS = 30_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const EXIT = { ok: 0, notConverged: 1, usage: 2, objectsLeftOut: 3 } as const;

/** The exit code for a final report (see the usage text). */
export function syncExitCode(report: SyncReport): number {
  if (report.gateways.some((g) => g.status === 'failed')) return EXIT.notConverged;
  return report.rejected.length > 0 || report.applied.failures.length > 0 ? EXIT.objectsLeftOut : EXIT.ok;
}

/** Why syncing again would not help, or undefined when it may. */
function whyStop(report: SyncReport, attempt: number, once: boolean): string | undefined {
  const failed = report.gateways.filter((g) => g.status === 'failed');
  if (failed.length === 0 || report.retryAfterMs === undefined) return undefined;
  if (once) return 'one attempt (--once)';
  if (failed.every((g) => g.retryable === false)) return 'the gateways refused the configuration; trying again would get the same answer';
  if (attempt >= MAX_ATTEMPTS) return `gave up after ${MAX_ATTEMPTS} attempts`;
  return undefined;
}

async function runSync(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { ...KONG_OPTIONS, once: { type: 'boolean' } } });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const options = await kongCommandOptions(values);
  const engine = new AutoSyncEngine({ client: options.client, mode: options.mode });
  try {
    const { snapshot, settings } = await translationInput(options, engine);
    const translator = createTranslator();
    const gateways = commandTargets(options);
    const schemas = await gatewaySchemas(engine, gateways, snapshot);
    const request = { gateways, translate: (exclude: ReadonlySet<string>) => translator.translate(snapshot, { settings, exclude, pluginSchemas: schemas.lookup }) };
    let report = await engine.sync(request);
    for (let attempt = 1; ; attempt += 1) {
      const stop = whyStop(report, attempt, values.once === true);
      if (stop !== undefined) process.stderr.write(`meshdoor: not converged; stopped: ${stop}\n`);
      if (stop !== undefined || report.retryAfterMs === undefined || !report.gateways.some((g) => g.status === 'failed')) break;
      const waitMs = Math.min(report.retryAfterMs, MAX_WAIT_MS);
      process.stderr.write(`meshdoor: some gateways did not converge; trying again in ${waitMs} ms\n`);
      await sleep(waitMs);
      report = await engine.sync(request);
    }
    process.stdout.write(renderSyncReport(report));
    process.stderr.write(report.applied.failures.map((f) => `${formatFailure(f)}\n`).join(''));
    const note = schemas.offline ? schemaSkippedNote(report.applied.config) : undefined;
    if (note !== undefined) process.stderr.write(note);
    return syncExitCode(report);
  } finally {
    engine.close();
  }
}

/** Runs a command body, turning usage mistakes into the usage text and exit code 2. */
export async function withKongUsage(usage: string, argv: string[], body: (argv: string[]) => Promise<number>): Promise<number> {
  try {
    return await withUsage(usage, argv, body);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`meshdoor: ${err.message}\n\n${usage}\n`);
    return EXIT.usage;
  }
}

export function run(argv: string[]): Promise<number> {
  return withKongUsage(USAGE, argv, runSync);
}
