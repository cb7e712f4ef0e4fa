// Installs meshdoor the way a user does: deploy/crds/, wait for Established, then the
// kustomize base in deploy/ (validated by the server).
import path from 'node:path';
import type { Cluster } from './cluster.ts';
import { REPO_ROOT } from './meshdoor-processes.ts';

export const CRDS_DIR = path.join(REPO_ROOT, 'deploy', 'crds');
export const DEPLOY_DIR = path.join(REPO_ROOT, 'deploy');

export async function installCrds(cluster: Cluster): Promise<void> {
  await cluster.kubectl(['apply', '--server-side', '-k', CRDS_DIR]);
  await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
}

/** deploy/crds/ then deploy/; returns kubectl's output of the deploy/ apply. */
export async function installMeshdoor(cluster: Cluster): Promise<string> {
  await installCrds(cluster);
  const { stdout } = await cluster.kubectl(['apply', '-k', DEPLOY_DIR]);
  return stdout;
}
