// diff and sync check plugin configurations against the schemas the first
// gateway that answers publishes; with none, structurally (as offline).
import { expect } from 'chai';
import { gatewaySchemas, pluginNamesOf } from '../../src/cli/plugin-schemas.ts';
import { KongAdminError } from '../../src/kong/index.ts';
import type { SchemaClient } from '../../src/plugins/index.ts';
import { createTranslator } from '../../src/translate/index.ts';
import { recordedSchema } from '../plugins/recorded-schemas.ts';
import { ingress, ingressClass, rule, service, settings, snapshot } from '../translate/builders.ts';
import { clusterPlugin, kongPlugin } from '../translate/plugins/plugin-builders.ts';

const snap = snapshot({
  ingresses: [ingress('site', { rules: [rule('a.example.com', ['/', 'Prefix', 'web', 80])] }, { annotations: { 'konghq.com/plugins': 'rl' } })],
  services: [service('web')], ingressClasses: [ingressClass('kong')],
  kongPlugins: [kongPlugin('rl', { plugin: 'rate-limiting', config: { minute: 'many' } })],
  kongClusterPlugins: [clusterPlugin('cors', { plugin: 'cors' })],
});

/** A gateway that answers GET / and /schemas/plugins/<name> from the recordings, or fails. */
function gateway(name: string, answers: boolean): SchemaClient & { asked: string[] } {
  const asked: string[] = [];
  return {
    gateway: name, asked,
    requestJson: <T>(_method: string, path: string): Promise<T> => {
      asked.push(path);
      if (!answers) return Promise.reject(new Error('connection refused'));
      const plugin = path.replace('/schemas/plugins/', '');
      try {
        return Promise.resolve(recordedSchema(plugin) as T);
      } catch {
        return Promise.reject(new KongAdminError({ status: 404, method: 'GET', path, gateway: name, body: { message: 'Not found' } }));
      }
    },
  };
}

function source(clients: Record<string, SchemaClient & { asked: string[] }>, down: string[] = []) {
  return {
    detect: (target: string) => (down.includes(target) ? Promise.reject(new Error('unreachable')) : Promise.resolve({ version: '3.9.3' })),
    clientFor: (target: string) => clients[target] as SchemaClient,
  };
}

describe('meshdoor diff / sync: plugin schemas from the gateway', () => {
  it('lists the plugin names the manifests use', () => {
    expect(pluginNamesOf(snap)).to.deep.equal(['cors', 'rate-limiting']);
  });

  it('asks the first gateway that answers, and the translation checks configs against its schemas', async () => {
    const clients = { a: gateway('a', true), b: gateway('b', true) };
    const { lookup, offline } = await gatewaySchemas(source(clients, ['a']), ['a', 'b'], snap);
    expect(offline).to.equal(false);
    expect(clients.b.asked.sort()).to.deep.equal(['/schemas/plugins/cors', '/schemas/plugins/rate-limiting']);
    expect(lookup('rate-limiting')).to.equal(lookup('rate-limiting'));
    const result = createTranslator().translate(snap, { settings: settings(), pluginSchemas: lookup });
    expect(result.failures.map((f) => `${f.object.kind}:${f.reason}`)).to.deep.equal(['Ingress:InvalidPluginConfig', 'KongPlugin:InvalidPluginConfig']);
    expect(result.failures[1]?.message).to.contain('config.minute');
  });

  it('falls back to the structural check when no gateway answers, or when no plugin is named', async () => {
    const clients = { a: gateway('a', false) };
    const none = await gatewaySchemas(source(clients), ['a'], snap);
    expect(none.offline).to.equal(true);
    expect(none.lookup('rate-limiting').kind).to.equal('unavailable');
    const noPlugins = await gatewaySchemas(source(clients), ['a'], snapshot({}));
    expect(noPlugins.offline).to.equal(true);
  });
});
