// A certificate step → the keys to write into the webhook Secret. Generates
// keys and certificates; writes nothing itself.
import { createCa, issueLeaf, type KeyPairPem } from '../admin-tls/index.ts';
import { WEBHOOK_KEYS, type SecretText, type WebhookCertPolicy, type WebhookCertStep } from './cert-plan.ts';

/** Keys to set; `null` removes a key. */
export type SecretDataPatch = Record<string, string | null>;

/** Certificates start a little in the past (clock skew), at most a tenth of their life. */
const backdate = (lifetimeMs: number): number => Math.min(60_000, lifetimeMs / 10);

async function newCa(now: number, policy: WebhookCertPolicy): Promise<KeyPairPem> {
  const commonName = `meshdoor webhook CA ${new Date(now).toISOString().slice(0, 19)}Z`;
  return createCa({ commonName, notBefore: new Date(now - backdate(policy.caLifetimeMs)), notAfter: new Date(now + policy.caLifetimeMs) });
}

async function newLeaf(ca: KeyPairPem, now: number, policy: WebhookCertPolicy): Promise<KeyPairPem> {
  return issueLeaf(ca, {
    commonName: policy.servingNames[0] ?? 'meshdoor-webhook', usage: 'server', dnsNames: policy.servingNames,
    notBefore: new Date(now - backdate(policy.leafLifetimeMs)), notAfter: new Date(now + policy.leafLifetimeMs),
  });
}

function issuerOf(secret: SecretText | undefined): KeyPairPem {
  const cert = secret?.[WEBHOOK_KEYS.ca];
  const key = secret?.[WEBHOOK_KEYS.caKey];
  if (cert === undefined || key === undefined) throw new Error('no CA in the webhook Secret to issue from');
  return { cert, key };
}

/** What to write for a Secret step (every kind but `none` and `publishBundle`). */
export async function secretWrite(step: WebhookCertStep, secret: SecretText | undefined, now: number, policy: WebhookCertPolicy): Promise<SecretDataPatch> {
  switch (step.kind) {
    case 'bootstrap': {
      const ca = await newCa(now, policy);
      const leaf = await newLeaf(ca, now, policy);
      return { [WEBHOOK_KEYS.ca]: ca.cert, [WEBHOOK_KEYS.caKey]: ca.key, [WEBHOOK_KEYS.cert]: leaf.cert, [WEBHOOK_KEYS.key]: leaf.key, [WEBHOOK_KEYS.previousCa]: null };
    }
    case 'rotateCa': {
      const ca = await newCa(now, policy);
      return { [WEBHOOK_KEYS.ca]: ca.cert, [WEBHOOK_KEYS.caKey]: ca.key, [WEBHOOK_KEYS.previousCa]: issuerOf(secret).cert };
    }
    case 'renewLeaf': {
      const leaf = await newLeaf(issuerOf(secret), now, policy);
      return { [WEBHOOK_KEYS.cert]: leaf.cert, [WEBHOOK_KEYS.key]: leaf.key };
    }
    case 'dropPreviousCa':
      return { [WEBHOOK_KEYS.previousCa]: null };
    default:
      return {};
  }
}

