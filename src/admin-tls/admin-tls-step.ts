// The admin mutual-TLS part of a pass, I/O side. Every replica reads the client
// Secret (the certificate it presents to Kong, and the CAs it trusts for Kong's
// serving certificate). With managed certificates the leader also carries out
// the next rotation step and writes the Secrets. In both managed and provided
// modes the serving Secret's hash goes into the gateway's pod template, so Kong
// (which reads its certificates at start) rolls out whenever they change.
import type { V1Deployment, V1Secret } from '@kubernetes/client-node';
import type { MeshDoorSettings } from '../config/index.ts';
import type { AdminClientTls } from '../kong/index.ts';
import type { Clock, KubeWriter } from '../kube/index.ts';
import { errorField, type Logger } from '../observe/index.ts';
import { rotationWrites, type SecretRole, type SecretWrite } from './rotation-apply.ts';
import { DEFAULT_ROTATION_POLICY, LEAF_KEYS, planRotation, type RotationPolicy, type SecretText } from './rotation-plan.ts';
import {
  ADMIN_TLS_HASH_ANNOTATION, applyDataPatch, clientTlsFrom, decodeSecret, encodePatch, rolledOutWith, servingHash,
} from './secret-data.ts';
import { certFacts } from './x509.ts';

export interface AdminTlsInput {
  settings: MeshDoorSettings;
  leader: boolean;
  /** The admin TLS Secrets, as watched. */
  secrets: readonly V1Secret[];
  deployment: V1Deployment | undefined;
}

export interface AdminTlsState {
  certificates: MeshDoorSettings['kongAdmin']['tls']['certificates'];
  /** What meshdoor presents to the gateways (undefined: no client certificate from Secrets). */
  clientTls?: AdminClientTls;
  /** Annotations the gateway's pod template must carry. */
  templateAnnotations: Record<string, string>;
  /** A problem with the certificates, for the MeshDoor status. */
  problem?: string;
  /** The rotation step this pass took or waits on (managed mode). */
  rotation?: string;
}

export interface AdminTlsStepOptions {
  writer: Pick<KubeWriter, 'patchSecret' | 'createSecret'>;
  clock: Clock;
  log: Logger;
  /** Lifetimes; the serving names come from the settings. */
  policy?: Partial<Omit<RotationPolicy, 'servingDnsNames'>>;
}

/** DNS names of the admin Service that the serving certificate must carry. */
export function servingDnsNames(settings: MeshDoorSettings, clusterDomain = settings.clusterDomain): string[] {
  const [namespace, name] = (settings.kongAdmin.service ?? `${settings.gateway.namespace}/kong-admin`).split('/');
  const base = `${name ?? 'kong-admin'}.${namespace ?? settings.gateway.namespace}`;
  return [`${base}.svc`, `${base}.svc.${clusterDomain}`];
}

/** A settled plan is reconsidered at least this often (due dates move with the clock). */
const REPLAN_MS = 60_000;

export class AdminTlsStep {
  /** resourceVersions we last wrote from: skip until the watch shows our writes. */
  private writtenFrom: string | undefined;
  private lastWritten: Partial<Record<SecretRole, SecretText>> = {};
  /** Inputs and time of the last plan that wrote nothing (planning parses keys: ~3 ms). */
  private settled: { key: string; at: number; rotation?: string } | undefined;

  constructor(private readonly o: AdminTlsStepOptions) {}

  async ensure(input: AdminTlsInput): Promise<AdminTlsState> {
    const tls = input.settings.kongAdmin.tls;
    if (tls.certificates === 'off') return { certificates: 'off', templateAnnotations: {} };
    const ns = input.settings.gateway.namespace;
    const find = (name: string): V1Secret | undefined => input.secrets.find((s) => s.metadata?.name === name && s.metadata.namespace === ns);
    const secrets: Record<SecretRole, V1Secret | undefined> = { ca: find(tls.caSecret), serving: find(tls.servingSecret), client: find(tls.clientSecret) };
    const text: Partial<Record<SecretRole, SecretText>> = { ca: decodeSecret(secrets.ca), serving: decodeSecret(secrets.serving), client: decodeSecret(secrets.client) };
    let rotation: string | undefined;
    let problem: string | undefined;
    if (tls.certificates === 'managed' && input.leader) {
      const outcome = await this.rotate(input, secrets, text);
      rotation = outcome.rotation;
      problem = outcome.problem;
    }
    const hash = servingHash(text.serving);
    const clientTls = clientTlsFrom(text.client);
    problem ??= this.readProblem(input.settings, text, clientTls);
    return {
      certificates: tls.certificates,
      ...(clientTls ? { clientTls } : {}),
      templateAnnotations: hash ? { [ADMIN_TLS_HASH_ANNOTATION]: hash } : {},
      ...(problem ? { problem } : {}),
      ...(rotation ? { rotation } : {}),
    };
  }

  private policy(settings: MeshDoorSettings): RotationPolicy {
    return { ...DEFAULT_ROTATION_POLICY, ...this.o.policy, servingDnsNames: servingDnsNames(settings) };
  }

  /** Plans and writes one rotation step; `text` is updated with what was written. */
  private async rotate(
    input: AdminTlsInput, secrets: Record<SecretRole, V1Secret | undefined>, text: Partial<Record<SecretRole, SecretText>>,
  ): Promise<{ rotation?: string; problem?: string }> {
    const versions = (['ca', 'serving', 'client'] as const).map((r) => secrets[r]?.metadata?.resourceVersion ?? '-').join(',');
    if (versions === this.writtenFrom) {
      // Our last writes are not in the watch yet: go on with what we wrote.
      Object.assign(text, this.lastWritten);
      return { rotation: 'waiting for the Secrets just written' };
    }
    const now = this.o.clock.now();
    const observed = { ca: text.ca, serving: text.serving, client: text.client, rolledOut: rolledOutWith(input.deployment, servingHash(text.serving)) };
    const key = `${versions}|${String(observed.rolledOut)}|${servingDnsNames(input.settings).join(',')}`;
    if (this.settled?.key === key && now - this.settled.at < REPLAN_MS) return this.settled.rotation ? { rotation: this.settled.rotation } : {};
    const step = planRotation(observed, now, this.policy(input.settings));
    if (step.kind === 'none' || step.kind === 'wait') {
      this.settled = { key, at: now, ...(step.kind === 'wait' ? { rotation: step.reason } : {}) };
      return step.kind === 'wait' ? { rotation: step.reason } : {};
    }
    this.settled = undefined;
    const writes = await rotationWrites(step, observed, now, this.policy(input.settings));
    this.o.log.info('rotating kong admin certificates', { step: step.kind, reason: step.reason, secrets: writes.map((w) => this.secretName(input.settings, w.role)) });
    for (const write of writes) {
      try {
        await this.write(input.settings, secrets[write.role], write);
      } catch (err) {
        const name = `${input.settings.gateway.namespace}/${this.secretName(input.settings, write.role)}`;
        this.o.log.warn('writing kong admin certificate Secret failed', { object: `Secret/${name}`, error: errorField(err) });
        return { rotation: step.kind, problem: `writing Secret ${name} failed: ${errorField(err)}` };
      }
      text[write.role] = applyDataPatch(text[write.role], write.data);
    }
    this.writtenFrom = versions;
    this.lastWritten = { ...text };
    return { rotation: `${step.kind}: ${step.reason}` };
  }

  private secretName(settings: MeshDoorSettings, role: SecretRole): string {
    const tls = settings.kongAdmin.tls;
    return role === 'ca' ? tls.caSecret : role === 'serving' ? tls.servingSecret : tls.clientSecret;
  }

  private async write(settings: MeshDoorSettings, current: V1Secret | undefined, write: SecretWrite): Promise<void> {
    const namespace = settings.gateway.namespace;
    const name = this.secretName(settings, write.role);
    if (!current) {
      const data = Object.fromEntries(Object.entries(encodePatch(write.data)).filter((e): e is [string, string] => e[1] !== null));
      await this.o.writer.createSecret({ apiVersion: 'v1', kind: 'Secret', metadata: { namespace, name, labels: { 'app.kubernetes.io/managed-by': 'meshdoor' } }, type: 'Opaque', data });
      return;
    }
    // resourceVersion makes the write fail instead of overwriting a change we have not seen.
    await this.o.writer.patchSecret(namespace, name, { metadata: { resourceVersion: current.metadata?.resourceVersion }, data: encodePatch(write.data) });
  }

  /** What is wrong with the Secrets as read (missing keys, expired client certificate). */
  private readProblem(settings: MeshDoorSettings, text: Partial<Record<SecretRole, SecretText>>, clientTls: AdminClientTls | undefined): string | undefined {
    const ns = settings.gateway.namespace;
    const { servingSecret, clientSecret } = settings.kongAdmin.tls;
    const missing = (t: SecretText | undefined): string[] => [LEAF_KEYS.cert, LEAF_KEYS.key, LEAF_KEYS.trust].filter((k) => !t?.[k]?.trim());
    for (const [name, t] of [[clientSecret, text.client], [servingSecret, text.serving]] as const) {
      if (!t) return `Secret ${ns}/${name} not found`;
      const keys = missing(t);
      if (keys.length > 0) return `Secret ${ns}/${name} lacks ${keys.join(', ')}`;
    }
    const facts = certFacts(clientTls?.cert);
    if (!facts) return `Secret ${ns}/${clientSecret}: tls.crt is not a PEM certificate`;
    if (facts.notAfter <= this.o.clock.now()) return `Secret ${ns}/${clientSecret}: the client certificate expired at ${new Date(facts.notAfter).toISOString()}`;
    return undefined;
  }
}
