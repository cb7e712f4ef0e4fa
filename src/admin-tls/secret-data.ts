// PURE: Secret data in and out (base64 ↔ text), the hash of what Kong serves
// with, and the client material meshdoor presents.
import { createHash } from 'node:crypto';
import type { V1Deployment, V1Secret } from '@kubernetes/client-node';
import type { AdminClientTls } from '../kong/index.ts';
import { rolloutComplete } from '../mesh/index.ts';
import type { SecretDataPatch } from './rotation-apply.ts';
import { LEAF_KEYS, type SecretText } from './rotation-plan.ts';

/** Pod template annotation: changes whenever Kong's serving Secret does, so the gateway rolls out. */
export const ADMIN_TLS_HASH_ANNOTATION = 'meshdoor.dev/admin-tls-hash';

export function decodeSecret(secret: V1Secret | undefined): SecretText | undefined {
  if (!secret) return undefined;
  const text: SecretText = {};
  for (const [key, value] of Object.entries(secret.data ?? {})) text[key] = Buffer.from(value, 'base64').toString('utf8');
  for (const [key, value] of Object.entries(secret.stringData ?? {})) text[key] = value;
  return text;
}

export function encodePatch(data: SecretDataPatch): Record<string, string | null> {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v === null ? null : Buffer.from(v, 'utf8').toString('base64')]));
}

/** `current` with a patch applied (what the Secret holds once the write lands). */
export function applyDataPatch(current: SecretText | undefined, patch: SecretDataPatch): SecretText {
  const next: SecretText = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Hash of the public part of the serving Secret (certificate and trusted CAs); undefined without a certificate. */
export function servingHash(serving: SecretText | undefined): string | undefined {
  const cert = serving?.[LEAF_KEYS.cert];
  if (cert === undefined || cert.trim() === '') return undefined;
  return sha256(`${cert}\n${serving?.[LEAF_KEYS.trust] ?? ''}`).slice(0, 32);
}

/** Every gateway pod started from a template carrying `hash` (or there is no gateway Deployment). */
export function rolledOutWith(deployment: V1Deployment | undefined, hash: string | undefined): boolean {
  if (!deployment) return true;
  return deployment.spec?.template.metadata?.annotations?.[ADMIN_TLS_HASH_ANNOTATION] === hash && rolloutComplete(deployment);
}

/**
 * The client certificate, key and CA bundle of the client Secret; a CA bundle
 * alone still verifies Kong (TLS without a client certificate). Undefined when
 * the Secret has neither.
 */
export function clientTlsFrom(client: SecretText | undefined): AdminClientTls | undefined {
  const cert = client?.[LEAF_KEYS.cert];
  const key = client?.[LEAF_KEYS.key];
  const ca = client?.[LEAF_KEYS.trust];
  const pair = Boolean(cert?.trim() && key?.trim());
  if (!pair && !ca?.trim()) return undefined;
  return {
    id: sha256(`${pair ? cert : ''}\n${ca ?? ''}`).slice(0, 16),
    ...(pair ? { cert, key } : {}),
    ...(ca?.trim() ? { ca } : {}),
  };
}
