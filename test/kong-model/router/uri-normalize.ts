// The router model's entry point to Kong's URI normalization (src/kong/rules).
export { normalizeUri, routerRequestPath } from '../../../src/kong/rules/uri.ts';
