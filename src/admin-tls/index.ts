// The Kong Admin API's mutual TLS: how each gateway is reached, and the step of
// a pass that keeps the CA, serving and client certificates current.
export { adminAccessCondition, transportKind, withClientTls } from './access.ts';
export type { GatewayAccess } from './access.ts';
export { AdminTlsStep } from './admin-tls-step.ts';
export type { AdminTlsState, AdminTlsStepOptions } from './admin-tls-step.ts';
export { keyMatches } from './x509.ts';
export type { KeyPairPem } from './x509.ts';
export { usableCa } from './rotation-plan.ts';
export { certFacts } from './x509.ts';
export { signedBy } from './x509.ts';
export { splitBundle } from './x509.ts';
export { createCa } from './x509.ts';
export { issueLeaf } from './x509.ts';
export { applyDataPatch } from './secret-data.ts';
