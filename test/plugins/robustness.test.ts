// Manifests read offline are not checked by the API server, and custom
// plugins publish schemas of any shape: nothing here may throw. Junk becomes
// a failure (or, for a schema, a skipped check), never an exception and never
// a plugin silently dropped.
import { expect } from 'chai';
import {
  checkPlugin, globalPlugins, indexPluginSources, parsePluginsAnnotation, pluginsForReferrer, translateConsumers,
} from '../../src/plugins/index.ts';
import type { KongConsumerResource, KongPluginResource, PluginSchema } from '../../src/plugins/index.ts';
import { recordedAnswer } from './recorded-schemas.ts';

const junk: unknown[] = [null, 5, 'text', true, [], [1, 'a'], {}, { a: { b: [null] } }];

describe('plugins: junk in, failures out', () => {
  it('a KongPlugin with fields of any type is a failure of its referrer, never an exception', () => {
    const fields = ['plugin', 'config', 'configFrom', 'configPatches', 'protocols', 'instance_name', 'disabled', 'consumerRef', 'ordering'];
    for (const field of fields) {
      for (const value of junk) {
        const plugin = { metadata: { name: 'p', namespace: 'ns' }, plugin: 'cors', config: { origins: ['*'] }, [field]: value } as KongPluginResource;
        const run = (): unknown => pluginsForReferrer('p', { routeId: 'r' }, { referrer: { kind: 'Ingress', namespace: 'ns', name: 'i' }, sources: indexPluginSources({ kongPlugins: [plugin] }), schemas: recordedAnswer });
        expect(run, `${field}: ${JSON.stringify(value)}`).to.not.throw();
      }
    }
    const global = { metadata: { name: 'g', labels: { global: 'true' } }, plugin: 'cors', protocols: 'http' } as unknown as KongPluginResource;
    expect(globalPlugins({ sources: indexPluginSources({ kongClusterPlugins: [global] }), schemas: recordedAnswer }).failures).to.have.length(1);
  });

  it('a KongConsumer with fields of any type is left out with a failure', () => {
    for (const field of ['username', 'custom_id', 'credentials', 'consumerGroups', 'spec']) {
      for (const value of junk) {
        const consumer = { metadata: { name: 'c', namespace: 'ns' }, username: 'c', [field]: value } as KongConsumerResource;
        const run = (): unknown => translateConsumers([consumer], { sources: indexPluginSources({}), schemas: recordedAnswer });
        expect(run, `${field}: ${JSON.stringify(value)}`).to.not.throw();
      }
    }
    const bad = translateConsumers([{ metadata: { name: 'c', namespace: 'ns' }, username: 'c', credentials: 'alice-key' } as unknown as KongConsumerResource], { sources: indexPluginSources({}), schemas: recordedAnswer });
    expect(bad.failures.map((f) => f.message)).to.deep.equal(['KongConsumer ns/c: credentials: expected a list of strings']);
  });

  it('a konghq.com/plugins value that is not text still names a plugin (so it fails instead of vanishing)', () => {
    expect(parsePluginsAnnotation(5 as unknown as string)).to.deep.equal([{ name: '5' }]);
  });

  it('a schema in a shape it does not know skips the schema check and says why; a pattern it cannot read passes to Kong', () => {
    const odd = { fields: [{ config: { type: 'record', fields: [{ a: { type: 'string' } }] } }], entity_checks: [{ at_least_one_of: 'config.a' }] } as unknown as PluginSchema;
    const check = checkPlugin({ name: 'custom', config: { a: 'x' } }, { kind: 'schema', schema: odd });
    expect(check.schemaChecked).to.equal(false);
    expect(check.skipped).to.match(/^the gateway's schema for 'custom' could not be applied: /);
    const badPattern = { fields: [{ config: { type: 'record', fields: [{ a: { type: 'string', match: '%b(' } }] } }] } as PluginSchema;
    expect(checkPlugin({ name: 'custom', config: { a: 'x' } }, { kind: 'schema', schema: badPattern }).problems).to.deep.equal([]);
    expect(checkPlugin({ name: 'cors', config: { origins: ['*'] }, protocols: 'http' as unknown as string[] }, recordedAnswer('cors')).problems)
      .to.deep.include({ field: 'protocols', message: 'expected a set' });
  });
});
