// Moved to the model module; kept for the translator's imports until they point there.
export type {
  KongCertificate, KongConfig, KongProtocol, KongRoute, KongService, KongSni, KongTarget, KongUpstream, RouterFlavor,
} from '../model/index.ts';
export { OWNERSHIP_TAG, emptyKongConfig } from '../model/index.ts';
