// Finds the control-plane binaries the way envtest does (TEST_ASSET_* first,
// then KUBEBUILDER_ASSETS), else builds or reuses them with e2e/assets/build.sh.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface ControlPlaneAssets {
  kubeApiserver: string;
  etcd: string;
  kubectl: string;
  /** Absent from some envtest tarballs; tests needing ReplicaSets skip then. */
  kubeControllerManager?: string;
}

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const BUILD_SCRIPT = path.join(REPO_ROOT, 'e2e', 'assets', 'build.sh');

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Pure lookup over an environment and a directory; undefined when incomplete. */
export function assetsFromEnv(
  env: NodeJS.ProcessEnv,
  isExecutable: (file: string) => boolean = executable,
): ControlPlaneAssets | undefined {
  const dir = env.KUBEBUILDER_ASSETS;
  const pick = (override: string | undefined, name: string): string | undefined => {
    if (override) return override;
    if (!dir) return undefined;
    const file = path.join(dir, name);
    return isExecutable(file) ? file : undefined;
  };
  const kubeApiserver = pick(env.TEST_ASSET_KUBE_APISERVER, 'kube-apiserver');
  const etcd = pick(env.TEST_ASSET_ETCD, 'etcd');
  const kubectl = pick(env.TEST_ASSET_KUBECTL, 'kubectl');
  if (!kubeApiserver || !etcd || !kubectl) return undefined;
  const kubeControllerManager = pick(env.TEST_ASSET_KUBE_CONTROLLER_MANAGER, 'kube-controller-manager');
  return kubeControllerManager ? { kubeApiserver, etcd, kubectl, kubeControllerManager } : { kubeApiserver, etcd, kubectl };
}

let cached: Promise<ControlPlaneAssets> | undefined;

/** Resolves the binaries once per test process. */
export function findAssets(): Promise<ControlPlaneAssets> {
  cached ??= resolveAssets();
  return cached;
}

async function resolveAssets(): Promise<ControlPlaneAssets> {
  const fromEnv = assetsFromEnv(process.env);
  if (fromEnv) return fromEnv;
  let stdout: string;
  try {
    // A cold build takes a long time; a cached one answers at once.
    ({ stdout } = await execFileAsync('bash', [BUILD_SCRIPT], { maxBuffer: 16 * 1024 * 1024, timeout: 60 * 60 * 1000 }));
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`e2e assets unavailable (bash e2e/assets/build.sh failed):\n${stderr.trim() || String(err)}`, { cause: err });
  }
  const dir = stdout.trim().split('\n').at(-1) ?? '';
  const built = assetsFromEnv({ KUBEBUILDER_ASSETS: dir });
  if (!built) throw new Error(`e2e/assets/build.sh printed '${dir}', which lacks kube-apiserver, etcd or kubectl`);
  return built;
}
