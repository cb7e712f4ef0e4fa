// The Kubernetes API clients, in cluster (service account) or from a kubeconfig
// (its current context).
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {
  AppsV1Api, CoordinationV1Api, CoreV1Api, CustomObjectsApi, DiscoveryV1Api, KubeConfig, NetworkingV1Api,
} from '@kubernetes/client-node';
import { shareDispatchers } from './shared-dispatcher.ts';

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
  if (options.kubeconfig) {
    try {
      config.loadFromFile(options.kubeconfig);
    } catch (err) {
      throw new Error(`cannot read kubeconfig ${options.kubeconfig}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  } else {
    // client-node would fall back to http://localhost:8080, which is never what a user meant.
    if (!hasDefaultConfig()) {
      throw new Error('no kubeconfig found and not running in a cluster: pass --kubeconfig <file> (or set KUBECONFIG), or run meshdoor in a pod');
    }
    try {
      config.loadFromDefault();
    } catch (err) {
      throw new Error(`cannot read the kubeconfig named by KUBECONFIG (${process.env.KUBECONFIG ?? ''}): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  if (options.context) {
    if (!config.getContextObject(options.context)) {
      const known = config.getContexts().map((c) => c.name);
      throw new Error(`context "${options.context}" is not in the kubeconfig (known: ${known.length > 0 ? known.join(', ') : 'none'}); pass one of those to --context`);
    }
    config.setCurrentContext(options.context);
  }
  if (!config.getCurrentCluster()) {
    throw new Error('no kubeconfig found and not running in a cluster: pass --kubeconfig <file> (or set KUBECONFIG), or run meshdoor in a pod');
  }
  shareDispatchers(config);
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

/** A kubeconfig in $KUBECONFIG or ~/.kube/config, or a pod's service account. */
function hasDefaultConfig(): boolean {
  if (process.env.KUBECONFIG) return true;
  if (existsSync(path.join(os.homedir(), '.kube', 'config'))) return true;
  return Boolean(process.env.KUBERNETES_SERVICE_HOST) && existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token');
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
