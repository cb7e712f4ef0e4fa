// A Kong configuration with plugins and consumers, as the translator makes
// them from KongPlugin, KongClusterPlugin and KongConsumer objects (ids,
// tags and credential Secrets by src/plugins' rules): a rate limit on one
// route, a global CORS plugin, a consumer by username with key-auth and
// basic-auth, and one by custom_id only with hmac-auth, jwt and an ACL group
// and its own rate limit.
import type { KongConfig, KongConsumer, KongPlugin } from '../../src/model/index.ts';
import { kongConsumerId, kongCredentialId, kongPluginId } from '../../src/plugins/index.ts';
import { tagsOf } from '../../src/plugins/tags.ts';

const byId = <T extends { id: string }>(list: T[]): T[] => list.sort((a, b) => (a.id < b.id ? -1 : 1));

const secretTags = (name: string): string[] => tagsOf({ kind: 'Secret', namespace: 'shop', name });

export const ALICE = kongConsumerId({ username: 'alice' });
export const PARTNER = kongConsumerId({ custom_id: 'partner-7' });

export function fixtureConsumers(): KongConsumer[] {
  const alice: KongConsumer = {
    id: ALICE, username: 'alice', tags: tagsOf({ kind: 'KongConsumer', namespace: 'shop', name: 'alice' }),
    keyauth_credentials: [{ id: kongCredentialId('keyauth_credentials', ALICE, { namespace: 'shop', name: 'alice-key' }), key: 'alice-secret-key', tags: secretTags('alice-key') }],
    basicauth_credentials: [{
      id: kongCredentialId('basicauth_credentials', ALICE, { namespace: 'shop', name: 'alice-basic' }), username: 'alice', password: 'open-sesame', tags: secretTags('alice-basic'),
    }],
    hmacauth_credentials: [], jwt_secrets: [], acls: [],
  };
  const partner: KongConsumer = {
    id: PARTNER, custom_id: 'partner-7', tags: tagsOf({ kind: 'KongConsumer', namespace: 'shop', name: 'partner' }),
    keyauth_credentials: [], basicauth_credentials: [],
    hmacauth_credentials: [{
      id: kongCredentialId('hmacauth_credentials', PARTNER, { namespace: 'shop', name: 'partner-hmac' }), username: 'partner', secret: 'hmac-secret', tags: secretTags('partner-hmac'),
    }],
    jwt_secrets: [{
      id: kongCredentialId('jwt_secrets', PARTNER, { namespace: 'shop', name: 'partner-jwt' }), key: 'partner-issuer', algorithm: 'HS256', secret: 'jwt-secret', tags: secretTags('partner-jwt'),
    }],
    acls: [{ id: kongCredentialId('acls', PARTNER, { namespace: 'shop', name: 'partner-acl' }), group: 'partners', tags: secretTags('partner-acl') }],
  };
  return byId([alice, partner]);
}

export function fixturePlugins(routeId: string): KongPlugin[] {
  return byId([
    {
      id: kongPluginId('rate-limiting', { routeId }), name: 'rate-limiting', config: { minute: 5, policy: 'local' }, enabled: true,
      route: { id: routeId }, tags: tagsOf({ kind: 'KongPlugin', namespace: 'shop', name: 'rl' }),
    },
    {
      id: kongPluginId('cors', {}), name: 'cors', config: { origins: ['https://shop.example.com'] }, enabled: true,
      tags: tagsOf({ kind: 'KongClusterPlugin', name: 'cors' }),
    },
    {
      id: kongPluginId('rate-limiting', { consumerId: PARTNER }), name: 'rate-limiting', config: { hour: 100, policy: 'local' }, enabled: true,
      consumer: { id: PARTNER }, tags: tagsOf({ kind: 'KongPlugin', namespace: 'shop', name: 'partner-limit' }),
    },
  ]);
}

/** `config` with the fixture's plugins (the rate limit on its first route) and consumers. */
export function withPlugins(config: KongConfig): KongConfig {
  const route = config.services[0]?.routes[0];
  if (route === undefined) throw new Error('the config needs a route to attach a plugin to');
  return { ...config, plugins: fixturePlugins(route.id), consumers: fixtureConsumers() };
}
