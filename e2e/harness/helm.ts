// The real `helm` CLI for the chart tests: $MESHDOOR_HELM, else the binary
// e2e/assets/build-helm.sh builds (or reuses) from the helm.sh/helm/v4 module.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Cluster } from './cluster.ts';
import { runKubectl } from './kubectl.ts';
import type { KubectlOptions, KubectlResult } from './kubectl.ts';
import { REPO_ROOT } from './meshdoor-processes.ts';

const execFileAsync = promisify(execFile);
const BUILD_SCRIPT = path.join(REPO_ROOT, 'e2e', 'assets', 'build-helm.sh');
export const CHART_DIR = path.join(REPO_ROOT, 'deploy', 'helm', 'meshdoor');

let cached: Promise<string> | undefined;

/** Path of the helm binary, resolved once per test process. */
export function findHelm(): Promise<string> {
  cached ??= resolveHelm();
  return cached;
}

async function resolveHelm(): Promise<string> {
  try {
    // The script honours $MESHDOOR_HELM and its cache; a cold build takes minutes.
    const { stdout } = await execFileAsync('bash', [BUILD_SCRIPT], { maxBuffer: 16 * 1024 * 1024, timeout: 60 * 60 * 1000 });
    const dir = stdout.trim().split('\n').at(-1) ?? '';
    return path.join(dir, 'helm');
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`helm unavailable (bash e2e/assets/build-helm.sh failed):\n${stderr.trim() || String(err)}`, { cause: err });
  }
}

/** Runs helm against the cluster as its admin; helm's own state stays in the cluster's temp dir. */
export async function helm(cluster: Cluster, args: string[], options: KubectlOptions = {}): Promise<KubectlResult> {
  const binary = await findHelm();
  const home = path.join(cluster.dir, 'helm-home');
  const env = { HELM_CACHE_HOME: path.join(home, 'cache'), HELM_CONFIG_HOME: path.join(home, 'config'), HELM_DATA_HOME: path.join(home, 'data') };
  return runKubectl(binary, args, { kubeconfig: cluster.adminKubeconfig, timeoutMs: 120_000, env, ...options });
}
