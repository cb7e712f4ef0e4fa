// The Kuma injector stand-in as a real mutating admission webhook: an HTTPS
// server on loopback (its own CA, made with openssl), registered with the API
// server by URL and CA bundle, with the Helm chart's two webhooks and their
// selectors. What it does to a pod is kuma-injector-model.ts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type { Cluster } from './cluster.ts';
import { inject, NAMESPACE_WEBHOOK, PODS_WEBHOOK, type InjectorConfig, type NamespaceView } from './kuma-injector-model.ts';

interface Pem { ca: string; cert: string; key: string }

/** A CA and a serving certificate for 127.0.0.1 signed by it. */
function loopbackCertificates(): Pem {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdoor-injector-'));
  const file = (name: string): string => path.join(dir, name);
  const openssl = (args: string[]): void => { execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] }); };
  try {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.crt'), '-subj', '/CN=kuma-injector-ca', '-days', '2']);
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('tls.key'), '-out', file('tls.csr'), '-subj', '/CN=127.0.0.1']);
    writeFileSync(file('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    openssl(['x509', '-req', '-in', file('tls.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('tls.crt'),
      '-days', '2', '-extfile', file('ext.cnf')]);
    return { ca: readFileSync(file('ca.crt'), 'utf8'), cert: readFileSync(file('tls.crt'), 'utf8'), key: readFileSync(file('tls.key'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface AdmissionReview {
  request?: { uid: string; namespace?: string; object?: V1Pod };
}

export interface InjectorCall {
  namespace: string;
  pod: string;
  outcome: 'injected' | 'unchanged' | 'denied';
}

export class KumaInjector {
  readonly calls: InjectorCall[] = [];

  private constructor(
    private readonly server: https.Server,
    readonly caBundle: string,
    readonly config: InjectorConfig & { meshes: Set<string> },
    private readonly namespaces: (name: string) => Promise<NamespaceView>,
  ) {}

  static async start(cluster: Cluster, meshes: string[] = ['default']): Promise<KumaInjector> {
    const pem = loopbackCertificates();
    const lookup = async (name: string): Promise<NamespaceView> => {
      const ns = await cluster.getJson<{ metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } }>(['namespace', name]);
      return { name, labels: ns?.metadata?.labels ?? {}, annotations: ns?.metadata?.annotations ?? {} };
    };
    const config = { meshes: new Set(meshes), controlPlaneNamespace: 'kuma-system' };
    const handler: { injector?: KumaInjector } = {};
    const server = https.createServer({ cert: pem.cert, key: pem.key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void handler.injector?.review(JSON.parse(Buffer.concat(chunks).toString('utf8')) as AdmissionReview).then((body) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        });
      });
    });
    await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
    const injector = new KumaInjector(server, pem.ca, config, lookup);
    handler.injector = injector;
    await cluster.kubectl(['apply', '-f', '-'], { stdin: injector.registration() });
    return injector;
  }

  get url(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}/inject-sidecar`;
  }

  /** The chart's MutatingWebhookConfiguration, pointed at this server. */
  registration(): string {
    const common = {
      admissionReviewVersions: ['v1'], failurePolicy: 'Fail', sideEffects: 'None', timeoutSeconds: 10,
      clientConfig: { url: this.url, caBundle: Buffer.from(this.caBundle).toString('base64') },
      rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
    };
    const skipped = { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', this.config.controlPlaneNamespace] };
    return JSON.stringify({
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'kuma-admission-mutating-webhook-configuration' },
      webhooks: [
        { ...common, name: NAMESPACE_WEBHOOK, namespaceSelector: { matchExpressions: [{ key: 'kuma.io/sidecar-injection', operator: 'In', values: ['enabled', 'true'] }, skipped] } },
        {
          ...common, name: PODS_WEBHOOK,
          namespaceSelector: { matchExpressions: [{ key: 'kuma.io/sidecar-injection', operator: 'Exists' }, skipped] },
          objectSelector: { matchLabels: { 'kuma.io/sidecar-injection': 'enabled' } },
        },
      ],
    });
  }

  private async review(review: AdmissionReview): Promise<Record<string, unknown>> {
    const request = review.request;
    const pod = request?.object;
    const namespace = request?.namespace ?? pod?.metadata?.namespace ?? '';
    const envelope = (response: Record<string, unknown>) => ({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: request?.uid, ...response } });
    if (!pod) return envelope({ allowed: true });
    const result = inject(pod, await this.namespaces(namespace), this.config);
    const name = pod.metadata?.name ?? pod.metadata?.generateName ?? '';
    if (!result.allowed) {
      this.calls.push({ namespace, pod: name, outcome: 'denied' });
      return envelope({ allowed: false, status: { code: 403, message: result.message } });
    }
    if (result.pod === pod) {
      this.calls.push({ namespace, pod: name, outcome: 'unchanged' });
      return envelope({ allowed: true });
    }
    this.calls.push({ namespace, pod: name, outcome: 'injected' });
    const patch = [
      { op: 'replace', path: '/spec', value: result.pod.spec },
      { op: 'add', path: '/metadata/labels', value: result.pod.metadata?.labels ?? {} },
      { op: 'add', path: '/metadata/annotations', value: result.pod.metadata?.annotations ?? {} },
    ];
    return envelope({ allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => { this.server.close(() => { resolve(); }); });
  }
}
