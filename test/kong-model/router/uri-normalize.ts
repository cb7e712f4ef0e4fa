// The router model's entry point to Kong's URI normalization (src/kong/rules).
export { normalizeUri, routerRequestPath } from '../rules/uri.ts';
