// What a translation produces: the Kong configuration and what was left out.
import type { KongConfig } from './kong-config.ts';
import type { ObjectRef, TranslationFailure } from './failures.ts';

export interface TranslateResult {
  config: KongConfig;
  failures: TranslationFailure[];
  /** Objects that made it into the config (Ingresses, Services, Secrets, plugin objects, KongConsumers), sorted. */
  configured: ObjectRef[];
  /** Who owns and who serves each host (absent from passes that do not report it). */
  hosts?: HostReport;
}

/** A host whose remembered owner stopped claiming it: another namespace owns it now. */
export interface HostHandOver {
  host: string;
  from: string;
  to: string;
  /** The new owner's oldest Ingress claiming the host. */
  ingress: ObjectRef;
}

/** A host whose routes come from Ingresses of more than one namespace. */
export interface SharedHost {
  host: string;
  /** Per namespace (sorted), its oldest Ingress serving the host. */
  servedFrom: { namespace: string; ingress: ObjectRef }[];
}

/** Who owns and who serves each host. */
export interface HostReport {
  /** Host → owner namespace (Namespace ownership; empty under Shared): the next pass's `hostOwners`. */
  owners: ReadonlyMap<string, string>;
  /** Owned hosts that keep another namespace out (sorted): what a restart must remember. */
  contested: readonly string[];
  /** Owners that differ from `hostOwners` because the remembered owner stopped claiming the host. */
  handOvers: readonly HostHandOver[];
  /** Hosts (exact names) served from more than one namespace, sorted. */
  shared: readonly SharedHost[];
}

