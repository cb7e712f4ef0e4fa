// The plugin schemas a gateway publishes (`GET /schemas/plugins/<name>`),
// asked once per gateway, Kong version and plugin: the schema of a plugin
// changes only with the Kong version. A plugin the gateway does not have
// (404) is asked again after a while (enabling one needs only a restart);
// a gateway that does not answer is not remembered, so the next pass asks.
import { LRUCache } from 'lru-cache';
import { KongAdminError, pathSegment, type KongAdminClient } from '../kong/index.ts';
import type { PluginSchema } from './schema/schema-types.ts';
import type { SchemaAnswer } from './validation.ts';

export interface PluginSchemaFetcherOptions {
  /** How long "the gateway has no such plugin" is believed (default one minute). */
  notEnabledTtlMs?: number;
  /** Answers kept, over all gateways (default 2,000). */
  max?: number;
}

/** The client surface the fetcher needs (the admin client, or a test's stand-in). */
export type SchemaClient = Pick<KongAdminClient, 'gateway' | 'requestJson'>;

function isPluginSchema(body: unknown): body is PluginSchema {
  return typeof body === 'object' && body !== null && Array.isArray((body as { fields?: unknown }).fields);
}

// Translators compare answers by identity (a plan checked against an answer is
// still good while the answer is the same object): the same verdict asked
// again must be the same object, or every referrer is planned again.
const NOT_ENABLED: SchemaAnswer = Object.freeze({ kind: 'not-enabled' });

function unavailable(error: unknown): SchemaAnswer {
  const why = error instanceof Error ? error.message : String(error);
  return { kind: 'unavailable', reason: `the gateway's schema could not be read: ${why}` };
}

export class PluginSchemaFetcher {
  readonly #answers: LRUCache<string, Promise<SchemaAnswer>>;
  /** The last failure per gateway, version and plugin: a gateway down answers the same object each pass. */
  readonly #failures: LRUCache<string, SchemaAnswer & { kind: 'unavailable' }>;
  readonly #notEnabledTtlMs: number;

  constructor(options: PluginSchemaFetcherOptions = {}) {
    this.#notEnabledTtlMs = options.notEnabledTtlMs ?? 60_000;
    this.#answers = new LRUCache({ max: options.max ?? 2_000, ttlAutopurge: false });
    this.#failures = new LRUCache({ max: options.max ?? 2_000 });
  }

  /** The answer for one plugin on one gateway running `version`; concurrent asks share one request. */
  schemaFor(client: SchemaClient, version: string, plugin: string): Promise<SchemaAnswer> {
    const key = `${client.gateway}\n${version}\n${plugin}`;
    const known = this.#answers.get(key);
    if (known) return known;
    const answer = this.#fetch(client, plugin).then((fetched) => this.#sameAsLastFailure(key, fetched));
    this.#answers.set(key, answer);
    void answer.then((a) => this.#settle(key, answer, a));
    return answer;
  }

  /** Answers for several plugins, by name. */
  async schemasFor(client: SchemaClient, version: string, plugins: Iterable<string>): Promise<Map<string, SchemaAnswer>> {
    const names = [...new Set(plugins)];
    const answers = await Promise.all(names.map((name) => this.schemaFor(client, version, name)));
    return new Map(names.map((name, i) => [name, answers[i] as SchemaAnswer]));
  }

  #sameAsLastFailure(key: string, answer: SchemaAnswer): SchemaAnswer {
    if (answer.kind !== 'unavailable') {
      this.#failures.delete(key);
      return answer;
    }
    const last = this.#failures.get(key);
    if (last?.reason === answer.reason) return last;
    this.#failures.set(key, answer);
    return answer;
  }

  #settle(key: string, promise: Promise<SchemaAnswer>, answer: SchemaAnswer): void {
    if (this.#answers.get(key) !== promise) return;
    if (answer.kind === 'unavailable') this.#answers.delete(key);
    else if (answer.kind === 'not-enabled') this.#answers.set(key, promise, { ttl: this.#notEnabledTtlMs });
  }

  async #fetch(client: SchemaClient, plugin: string): Promise<SchemaAnswer> {
    try {
      const body = await client.requestJson<unknown>('GET', `/schemas/plugins/${pathSegment(plugin)}`);
      if (isPluginSchema(body)) return { kind: 'schema', schema: body };
      return { kind: 'unavailable', reason: `the gateway's schema for '${plugin}' has no fields list` };
    } catch (error) {
      if (error instanceof KongAdminError && error.status === 404) return NOT_ENABLED;
      return unavailable(error);
    }
  }
}
