// The API calls of the webhook's certificates: its Secret (read by every
// replica; written by the leader, managed certificates only) and the caBundle
// of its ValidatingWebhookConfiguration (leader, managed only).
import { AdmissionregistrationV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { httpStatus, type KubeClients } from '../kube/index.ts';
import { FIELD_MANAGER } from '../kube/index.ts';
import type { SecretText } from './cert-plan.ts';

export interface WebhookApi {
  /** The Secret's data as text; undefined when it does not exist. */
  readSecret(namespace: string, name: string): Promise<SecretText | undefined>;
  /** Sets keys of the Secret's data (`null` removes one). */
  patchSecret(namespace: string, name: string, data: Record<string, string | null>): Promise<void>;
  /** The caBundle of the configuration's webhooks (joined when they differ); undefined when it does not exist. */
  readCaBundle(configuration: string): Promise<string | undefined>;
  setCaBundle(configuration: string, bundle: string): Promise<void>;
}

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const JSON_PATCH = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');
const encode = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

async function orUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (httpStatus(err) === 404) return undefined;
    throw err;
  }
}

export function kubeWebhookApi(clients: KubeClients): WebhookApi {
  const admission = clients.config.makeApiClient(AdmissionregistrationV1Api);
  return {
    async readSecret(namespace, name) {
      const secret = await orUndefined(() => clients.core.readNamespacedSecret({ namespace, name }));
      if (!secret) return undefined;
      return Object.fromEntries(Object.entries(secret.data ?? {}).map(([key, value]) => [key, decode(value)]));
    },
    async patchSecret(namespace, name, data) {
      const body = { data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, value === null ? null : encode(value)])) };
      await clients.core.patchNamespacedSecret({ namespace, name, body, fieldManager: FIELD_MANAGER }, MERGE);
    },
    async readCaBundle(configuration) {
      const config = await orUndefined(() => admission.readValidatingWebhookConfiguration({ name: configuration }));
      if (!config) return undefined;
      const bundles = new Set((config.webhooks ?? []).map((w) => (w.clientConfig.caBundle ? decode(w.clientConfig.caBundle) : '')));
      return [...bundles].join('');
    },
    async setCaBundle(configuration, bundle) {
      const config = await admission.readValidatingWebhookConfiguration({ name: configuration });
      const body = [
        { op: 'test', path: '/metadata/resourceVersion', value: config.metadata?.resourceVersion },
        ...(config.webhooks ?? []).map((_w, i) => ({ op: 'add', path: `/webhooks/${i}/clientConfig/caBundle`, value: encode(bundle) })),
      ];
      await admission.patchValidatingWebhookConfiguration({ name: configuration, body, fieldManager: FIELD_MANAGER }, JSON_PATCH);
    },
  };
}
