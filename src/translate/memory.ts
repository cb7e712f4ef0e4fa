// Everything one translator remembers between passes, so that a pass costs
// what changed. All of it is keyed by object identity or by value: watch
// caches replace an object on every change and never mutate it. One memory
// per translator; two translators never share any of it.
import { createKongRegexRules } from '../kong/index.ts';
import { PluginResolver } from '../plugins/index.ts';
import type { KongRegexRules } from '../kong/index.ts';
import { KongEntities } from './assemble.ts';
import type { ParsedServiceOptions } from './context.ts';
import { EntityIds } from './entity-ids.ts';
import type { Claimants } from './host-ownership.ts';
import type { PlanMemo } from './ingress-memo.ts';
import { PluginMemory } from './plugin-memory.ts';
import { KeyedRefs, ObjectAges } from './objects.ts';
import { TranslatedPaths } from './paths.ts';
import { ParsedRouteAnnotations } from './route-annotations.ts';
import { SnapshotIndexer } from './snapshot-index.ts';
import { ObjectTags } from './tags.ts';
import { TlsMemory } from './tls.ts';

export interface TranslatorMemory {
  /** Kong's verdicts on route regexes. */
  readonly regex: KongRegexRules;
  /** Ingress paths translated, by path as written (paths.ts). */
  readonly paths: TranslatedPaths;
  /** Lookup tables per watched list, and indexes per set of lists. */
  readonly indexes: SnapshotIndexer;
  /** Each Ingress's plan and what its planning read (ingress-memo.ts). */
  readonly plans: PlanMemo;
  /** Each plan's host claims, for host ownership. */
  readonly claimants: Claimants;
  readonly serviceOptions: ParsedServiceOptions;
  /** Ingress route annotations parsed, by content (route-annotations.ts). */
  readonly routeAnnotations: ParsedRouteAnnotations;
  readonly ages: ObjectAges;
  readonly refs: KeyedRefs;
  readonly ids: EntityIds;
  readonly tags: ObjectTags;
  /** The Kong entities made from plans (assemble.ts). */
  readonly entities: KongEntities;
  /** Parsed key pairs and certificates per Secret. */
  readonly tls: TlsMemory;
  /** Each plugin object's resolution (Secrets read, config checked), by object. */
  readonly pluginResolver: PluginResolver;
  /** Plugin entities per route, global plugins last resolved, consumers per set of lists. */
  readonly plugins: PluginMemory;
}

export function createTranslatorMemory(): TranslatorMemory {
  const ids = new EntityIds();
  const refs = new KeyedRefs();
  const tags = new ObjectTags(refs);
  const regex = createKongRegexRules();
  return {
    regex,
    paths: new TranslatedPaths(regex.checkRouteRegex),
    indexes: new SnapshotIndexer(refs),
    plans: new WeakMap(),
    claimants: new WeakMap(),
    serviceOptions: new WeakMap(),
    routeAnnotations: new ParsedRouteAnnotations(),
    ages: new ObjectAges(),
    refs,
    ids,
    tags,
    entities: new KongEntities({ ids, tags }),
    tls: new TlsMemory(),
    pluginResolver: new PluginResolver(),
    plugins: new PluginMemory(),
  };
}
