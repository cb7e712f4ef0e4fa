// The Kubernetes API clients, in cluster (service account) or from a kubeconfig
// (its current context).
import { readFileSync } from 'node:fs';
import {
  AppsV1Api, CoordinationV1Api, CoreV1Api, CustomObjectsApi, DiscoveryV1Api, KubeConfig, NetworkingV1Api,
} from '@kubernetes/client-node';

export interface KubeClients {
  config: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  networking: NetworkingV1Api;
  discovery: DiscoveryV1Api;
  coordination: CoordinationV1Api;
  custom: CustomObjectsApi;
}

export interface KubeClientOptions {
  /** Path to a kubeconfig; without it: $KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
  kubeconfig?: string;
  /** Context to use instead of the kubeconfig's current one. */
  context?: string;
}

export function createKubeClients(options: KubeClientOptions = {}): KubeClients {
  const config = new KubeConfig();
  if (options.kubeconfig) config.loadFromFile(options.kubeconfig);
  else config.loadFromDefault();
  if (options.context) config.setCurrentContext(options.context);
  if (!config.getCurrentCluster()) throw new Error('no Kubernetes cluster configured (use --kubeconfig or run in a cluster)');
  return {
    config,
    core: config.makeApiClient(CoreV1Api),
    apps: config.makeApiClient(AppsV1Api),
    networking: config.makeApiClient(NetworkingV1Api),
    discovery: config.makeApiClient(DiscoveryV1Api),
    coordination: config.makeApiClient(CoordinationV1Api),
    custom: config.makeApiClient(CustomObjectsApi),
  };
}

const SERVICE_ACCOUNT_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** The namespace this pod runs in (service-account file), or the fallback outside a cluster. */
export function podNamespace(fallback: string, file = SERVICE_ACCOUNT_NAMESPACE_FILE): string {
  try {
    const ns = readFileSync(file, 'utf8').trim();
    return ns || fallback;
  } catch {
    return fallback;
  }
}

/** HTTP status of a client-node error (ApiException.code or a watch error's statusCode). */
export function httpStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'number') return code;
  if (typeof statusCode === 'number') return statusCode;
  return undefined;
}
