// What a translation produces: the Kong configuration and what was left out.
import type { KongConfig } from './kong-config.ts';
import type { ObjectRef, TranslationFailure } from './failures.ts';

export interface TranslateResult {
  config: KongConfig;
  failures: TranslationFailure[];
  /** Objects that made it into the config (Ingresses, Services, Secrets), sorted. */
  configured: ObjectRef[];
}
