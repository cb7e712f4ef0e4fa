// Pure pieces of the test control plane: command-line flags, the audit
// policy, token file and kubeconfig documents. No I/O here.
import { stringify } from 'yaml';

export interface ControlPlaneLayout {
  /** Temp directory holding everything below. */
  dir: string;
  etcdClientPort: number;
  etcdPeerPort: number;
  apiserverPort: number;
}

export const files = {
  etcdData: 'etcd-data',
  certDir: 'apiserver-certs',
  /** Written by kube-apiserver: its serving cert followed by the CA that signed it. */
  servingCert: 'apiserver-certs/apiserver.crt',
  saKey: 'sa-signer.key',
  tokens: 'tokens.csv',
  auditPolicy: 'audit-policy.yaml',
  auditLog: 'audit.log',
  adminKubeconfig: 'admin.kubeconfig',
  kcmCertDir: 'kcm-certs',
} as const;

export function etcdArgs(layout: ControlPlaneLayout): string[] {
  const client = `http://127.0.0.1:${layout.etcdClientPort}`;
  return [
    `--data-dir=${layout.dir}/${files.etcdData}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=http://127.0.0.1:${layout.etcdPeerPort}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${layout.etcdPeerPort}`,
    `--initial-cluster=default=http://127.0.0.1:${layout.etcdPeerPort}`,
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export function apiserverArgs(layout: ControlPlaneLayout): string[] {
  const dir = layout.dir;
  return [
    `--etcd-servers=http://127.0.0.1:${layout.etcdClientPort}`,
    `--cert-dir=${dir}/${files.certDir}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${layout.apiserverPort}`,
    '--service-cluster-ip-range=10.0.0.0/16',
    '--allow-privileged=true',
    '--authorization-mode=RBAC',
    `--token-auth-file=${dir}/${files.tokens}`,
    `--service-account-issuer=https://127.0.0.1:${layout.apiserverPort}`,
    `--service-account-key-file=${dir}/${files.saKey}`,
    `--service-account-signing-key-file=${dir}/${files.saKey}`,
    // No kubelet mounts tokens here, and without a `default` ServiceAccount in
    // every namespace pods could not be created (envtest does the same).
    '--disable-admission-plugins=ServiceAccount',
    `--audit-policy-file=${dir}/${files.auditPolicy}`,
    `--audit-log-path=${dir}/${files.auditLog}`,
    '--audit-log-mode=blocking',
    '--audit-log-format=json',
    '--v=1',
  ];
}

export function controllerManagerArgs(layout: ControlPlaneLayout): string[] {
  return [
    `--kubeconfig=${layout.dir}/${files.adminKubeconfig}`,
    '--leader-elect=false',
    '--controllers=deployment-controller,replicaset-controller,garbage-collector-controller,namespace-controller',
    '--secure-port=0',
    `--cert-dir=${layout.dir}/${files.kcmCertDir}`,
    '--concurrent-deployment-syncs=2',
    '--v=1',
  ];
}

/** `token,user,uid,"groups"`: one cluster admin. */
export function tokenFile(adminToken: string): string {
  return `${adminToken},admin,admin,"system:masters"\n`;
}

/**
 * Every request by a ServiceAccount, at Metadata level (who, verb, resource,
 * name, URI; never bodies, so no Secret data lands in the log); nothing else.
 */
export function auditPolicy(): string {
  return stringify({
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    rules: [
      { level: 'Metadata', userGroups: ['system:serviceaccounts'] },
      { level: 'None' },
    ],
  });
}

export interface KubeconfigInput {
  server: string;
  /** PEM bundle that verifies the server's certificate. */
  caData: string;
  user: string;
  token: string;
}

export function renderKubeconfig(input: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'e2e', cluster: { server: input.server, 'certificate-authority-data': Buffer.from(input.caData).toString('base64') } }],
    users: [{ name: input.user, user: { token: input.token } }],
    contexts: [{ name: 'e2e', context: { cluster: 'e2e', user: input.user } }],
    'current-context': 'e2e',
  });
}
