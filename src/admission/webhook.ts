// The admission webhook of one replica: the index of what the last pass
// served, the HTTPS listener and its certificates. Reviews are answered from
// the controller's caches only, never the API server.
import type { MeshDoorSettings } from '../config/index.ts';
import type { Clock } from '../kube/index.ts';
import type { Logger } from '../observe/index.ts';
import type { SchemaLookup } from '../plugins/index.ts';
import { WebhookCertificates, type WebhookCertMode } from './certificates.ts';
import { evaluate, type AdmissionInputs } from './evaluate.ts';
import { ServedIndex } from './served-index.ts';
import { WebhookServer } from './server.ts';
import type { Snapshot } from './translator.ts';
import type { WebhookApi } from './webhook-api.ts';

export interface AdmissionWebhookOptions {
  port: number;
  host: string;
  /** This pod's namespace: the Secret's and the Service's. */
  namespace: string;
  certificates: WebhookCertMode;
  secret: string;
  configuration: string;
  service: string;
  /** More names for the serving certificate (DNS names or IP addresses). */
  servingNames: readonly string[];
  certLifetimeMs: number;
  caLifetimeMs: number;
  checkPeriodMs: number;
  watchNamespaces: readonly string[];
  api: WebhookApi;
  /** The watch caches now, or undefined while they have not synced. */
  caches: () => { snapshot: Snapshot; settings: MeshDoorSettings } | undefined;
  isLeader: () => boolean;
  clock: Clock;
  log: Logger;
}

/** The names the API server may use for the webhook Service, then the extra ones. */
export function servingNames(o: Pick<AdmissionWebhookOptions, 'service' | 'namespace' | 'servingNames'>): string[] {
  return [...new Set([`${o.service}.${o.namespace}.svc`, `${o.service}.${o.namespace}.svc.cluster.local`, ...o.servingNames])];
}

export class AdmissionWebhook {
  private readonly served = new ServedIndex();
  private indexed = false;
  private pluginSchemas: SchemaLookup | undefined;
  private readonly server: WebhookServer;
  private readonly certificates: WebhookCertificates;

  constructor(private readonly o: AdmissionWebhookOptions) {
    this.server = new WebhookServer({ port: o.port, host: o.host, log: o.log, judge: (request) => evaluate(request, this.inputs(), new Date(o.clock.now())) });
    this.certificates = new WebhookCertificates({
      api: o.api, namespace: o.namespace, secretName: o.secret, configurationName: o.configuration, mode: o.certificates,
      policy: { caLifetimeMs: o.caLifetimeMs, leafLifetimeMs: o.certLifetimeMs, servingNames: servingNames(o) },
      periodMs: o.checkPeriodMs, clock: o.clock, log: o.log, isLeader: o.isLeader,
      onServing: (pair) => {
        this.server.serve(pair).catch((err: unknown) => { o.log.error('admission webhook cannot listen', { port: o.port, error: String(err) }); });
      },
    });
  }

  /** At each pass (Controller's onSnapshot), with the host owners its translation remembers and the plugin schemas it read. */
  onSnapshot(snapshot: Snapshot, settings: MeshDoorSettings, hostOwners?: ReadonlyMap<string, string>, pluginSchemas?: SchemaLookup): void {
    this.served.update(snapshot, settings, hostOwners);
    this.pluginSchemas = pluginSchemas;
    this.indexed = true;
  }

  /** What a review is judged against; undefined (fail open) until the caches synced and a pass indexed them. */
  inputs(): AdmissionInputs | undefined {
    const caches = this.indexed ? this.o.caches() : undefined;
    return caches && { ...caches, served: this.served, watchNamespaces: this.o.watchNamespaces, ...(this.pluginSchemas ? { pluginSchemas: this.pluginSchemas } : {}) };
  }

  start(): void {
    this.certificates.start();
  }

  async stop(): Promise<void> {
    this.certificates.stop();
    await this.server.close();
  }
}
