// The webhook's serving certificate over time. Every replica reads the Secret
// each period and serves what it holds; with managed certificates the leader
// first moves it one step on (cert-plan.ts) and keeps the configuration's
// caBundle current. With provided certificates (cert-manager) the Secret and
// caBundle are someone else's: meshdoor only reads the Secret.
import { keyMatches, type KeyPairPem } from '../admin-tls/index.ts';
import type { Clock } from '../kube/index.ts';
import { errorField, type Logger } from '../observe/index.ts';
import { applyDataPatch } from '../admin-tls/index.ts';
import { secretWrite } from './cert-apply.ts';
import { planWebhookCerts, WEBHOOK_KEYS, type SecretText, type WebhookCertPolicy } from './cert-plan.ts';
import type { WebhookApi } from './webhook-api.ts';

export type WebhookCertMode = 'managed' | 'provided';

export interface WebhookCertificatesOptions {
  api: WebhookApi;
  namespace: string;
  secretName: string;
  configurationName: string;
  mode: WebhookCertMode;
  policy: WebhookCertPolicy;
  periodMs: number;
  clock: Clock;
  log: Logger;
  isLeader: () => boolean;
  /** Called with the serving key pair whenever it changes. */
  onServing: (pair: KeyPairPem) => void;
}

/** Steps one tick may take; a published bundle always ends the tick (the API server must see it first). */
const MAX_STEPS = 4;

export class WebhookCertificates {
  private served: string | undefined;
  private timer: unknown;
  private stopped = false;

  constructor(private readonly o: WebhookCertificatesOptions) {}

  /** One round: advance (leader, managed), then serve what the Secret holds. */
  async tick(): Promise<void> {
    const { api, namespace, secretName } = this.o;
    let secret = await api.readSecret(namespace, secretName);
    if (this.o.mode === 'managed' && this.o.isLeader()) secret = await this.advance(secret);
    this.serve(secret);
  }

  start(): void {
    const loop = async (): Promise<void> => {
      try {
        await this.tick();
      } catch (err) {
        this.o.log.warn('webhook certificates: round failed, retrying next period', { secret: `${this.o.namespace}/${this.o.secretName}`, error: errorField(err) });
      }
      if (!this.stopped) this.timer = this.o.clock.setTimeout(() => { void loop(); }, this.o.periodMs);
    };
    void loop();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
  }

  private async advance(initial: SecretText | undefined): Promise<SecretText | undefined> {
    const { api, namespace, secretName, configurationName, policy, log } = this.o;
    let secret = initial;
    for (let i = 0; i < MAX_STEPS; i += 1) {
      const step = planWebhookCerts(secret, await api.readCaBundle(configurationName), this.o.clock.now(), policy);
      if (step.kind === 'none') break;
      log.info('webhook certificates', { step: step.kind, reason: step.reason, secret: `${namespace}/${secretName}` });
      if (step.kind === 'publishBundle') {
        await api.setCaBundle(configurationName, step.bundle);
        break;
      }
      const write = await secretWrite(step, secret, this.o.clock.now(), policy);
      await api.patchSecret(namespace, secretName, write);
      secret = applyDataPatch(secret, write);
    }
    return secret;
  }

  private serve(secret: SecretText | undefined): void {
    const cert = secret?.[WEBHOOK_KEYS.cert];
    const key = secret?.[WEBHOOK_KEYS.key];
    if (cert === undefined || key === undefined || cert === this.served || !keyMatches(cert, key)) return;
    this.served = cert;
    this.o.onServing({ cert, key });
  }
}
