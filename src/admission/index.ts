// The validating admission webhook: Ingresses, the Services they use and
// MeshDoors judged by the translator's own rules over the controller's caches.
export { evaluate, NOT_SYNCED_WARNING } from './evaluate.ts';
export type { AdmissionInputs } from './evaluate.ts';
export { parseReview, reviewResponse } from './review.ts';
export type { AdmissionRequest, AdmissionReview, Verdict } from './review.ts';
export { ServedIndex } from './served-index.ts';
export { AdmissionWebhook, servingNames } from './webhook.ts';
export type { AdmissionWebhookOptions } from './webhook.ts';
export { kubeWebhookApi } from './webhook-api.ts';
export type { WebhookApi } from './webhook-api.ts';
