// The Kong Admin API's mutual TLS: how each gateway is reached, and the step of
// a pass that keeps the CA, serving and client certificates current.
export { adminAccessCondition, transportKind, withClientTls } from './access.ts';
export type { GatewayAccess } from './access.ts';
export { AdminTlsStep } from './admin-tls-step.ts';
export type { AdminTlsState, AdminTlsStepOptions } from './admin-tls-step.ts';
// What the admission webhook reuses: issuing and checking certificates, and the Secret patch rule.
export { certFacts, createCa, issueLeaf, keyMatches, signedBy, splitBundle } from './x509.ts';
export type { KeyPairPem } from './x509.ts';
export { usableCa } from './rotation-plan.ts';
export { applyDataPatch } from './secret-data.ts';
