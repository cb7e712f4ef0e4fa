// The Kong Admin API's mutual TLS: how each gateway is reached, and the step of
// a pass that keeps the CA, serving and client certificates current.
export { adminAccessCondition, transportKind, withClientTls } from './access.ts';
export type { GatewayAccess } from './access.ts';
export { AdminTlsStep } from './admin-tls-step.ts';
export type { AdminTlsState, AdminTlsStepOptions } from './admin-tls-step.ts';
