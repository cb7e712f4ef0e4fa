// Checks at controller start that fail with one message naming the problem and
// the fix, instead of watches retrying an opaque error forever: the API server
// answers, the MeshDoor CRD is installed, and the named MeshDoor exists.
import type { KubeClients } from './clients.ts';
import { httpStatus } from './clients.ts';

const GROUP = 'meshdoor.dev';
const VERSION = 'v1alpha1';

/** The API calls the checks make (a seam for tests). */
export interface PreflightApi {
  server: string;
  /** Resources served under meshdoor.dev/v1alpha1 (discovery). */
  meshdoorResources(): Promise<string[]>;
  /** Names of MeshDoors called `name` (a name-selected list, which the controller's RBAC allows). */
  meshdoorsNamed(name: string): Promise<string[]>;
}

export function preflightApi(clients: KubeClients): PreflightApi {
  return {
    server: clients.config.getCurrentCluster()?.server ?? '(unknown)',
    async meshdoorResources() {
      const list = await clients.custom.getAPIResources({ group: GROUP, version: VERSION });
      return list.resources.map((r) => r.name);
    },
    async meshdoorsNamed(name) {
      const list = await clients.custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: 'meshdoors', fieldSelector: `metadata.name=${name}` }) as { items?: Array<{ metadata?: { name?: string } }> };
      return (list.items ?? []).map((i) => i.metadata?.name ?? '');
    },
  };
}

/** 429 and 5xx: the server answered but is not ready yet (e.g. a new CRD's storage initializing). */
function transient(err: unknown): boolean {
  const status = httpStatus(err);
  return status === 429 || (status !== undefined && status >= 500);
}

/** Retries transient answers until `ms` has passed, then gives the last error. */
async function patiently<T>(call: () => Promise<T>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (let delay = 250; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return await withTimeout(call(), Math.max(deadline - Date.now(), 1), what);
    } catch (err) {
      if (!transient(err) || Date.now() + delay >= deadline) throw err;
      await new Promise((resolve) => { setTimeout(resolve, delay); });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => { reject(new Error(`${what}: no answer within ${ms / 1000}s`)); }, ms); });
  return Promise.race([promise, timeout]).finally(() => { clearTimeout(timer); });
}

function unreachable(server: string, err: unknown): Error {
  const status = httpStatus(err);
  if (status === 401) return new Error(`the Kubernetes API server at ${server} rejected the credentials (401): check the kubeconfig's user or the pod's ServiceAccount token`);
  if (status === 403) return new Error(`the Kubernetes API server at ${server} refused access (403): install meshdoor's RBAC (deploy/rbac.yaml or the Helm chart) for this identity`);
  const detail = err instanceof Error ? err.message : String(err);
  return new Error(`cannot reach the Kubernetes API server at ${server} (${detail.split('\n')[0]}): check that the cluster is up and that --kubeconfig / --context point at it`);
}

/** Resolves when the controller can serve MeshDoor `name`; rejects with the message to print. */
export async function preflight(api: PreflightApi, name: string, timeoutMs = 15_000): Promise<void> {
  let resources: string[];
  try {
    resources = await patiently(() => api.meshdoorResources(), timeoutMs, 'discovery');
  } catch (err) {
    if (httpStatus(err) !== 404) throw unreachable(api.server, err);
    resources = [];
  }
  if (!resources.includes('meshdoors')) {
    throw new Error(`the MeshDoor CRD (meshdoors.${GROUP}/${VERSION}) is not installed in the cluster at ${api.server}: `
      + 'apply it with `kubectl apply --server-side -k deploy/crds/` (the Helm chart installs it too)');
  }
  let names: string[];
  try {
    names = await patiently(() => api.meshdoorsNamed(name), timeoutMs, 'listing MeshDoors');
  } catch (err) {
    throw unreachable(api.server, err);
  }
  if (!names.includes(name)) {
    throw new Error(`MeshDoor "${name}" does not exist (kubectl get meshdoors): create it (deploy/meshdoor.yaml, \`kubectl apply -k deploy/\`, `
      + 'or the Helm chart) or pass --meshdoor with the name of an existing one');
  }
}

/** The message for a MeshDoor deleted while the controller runs (it then pushes nothing). */
export function missingMeshDoorMessage(name: string): string {
  return `MeshDoor "${name}" does not exist: nothing is pushed until it is created again (or the controller is started with --meshdoor naming an existing one)`;
}
