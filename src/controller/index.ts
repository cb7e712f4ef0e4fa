// The ingress controller: watches → translate → Kong, status, events, the
// gateway in the mesh; and the flags of `meshdoor controller`.
export { Controller } from './controller.ts';
export { CONTROLLER_USAGE, parseControllerFlags } from './controller-flags.ts';
export type { ControllerFlags } from './controller-flags.ts';
export { kongBackend } from './kong-backend.ts';
export { GatewaySchemas } from './plugin-schemas.ts';
export { buildSnapshot } from './snapshot.ts';
