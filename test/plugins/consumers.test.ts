// KongConsumer + credential Secrets → Kong consumers with nested credentials,
// and the plugins their annotation asks for. A consumer is served whole or
// not at all; conflicts go to the oldest; Secret values never reach a message.
import { expect } from 'chai';
import type { V1Secret } from '@kubernetes/client-node';
import { OFFLINE_SCHEMAS, indexPluginSources, kongConsumerId, kongCredentialId, kongPluginId, translateConsumers } from '../../src/plugins/index.ts';
import type { ConsumerTranslation, KongConsumerResource, PluginSourceLists } from '../../src/plugins/index.ts';
import { recordedAnswer } from './recorded-schemas.ts';

function consumer(name: string, spec: Partial<KongConsumerResource>, created?: string): KongConsumerResource {
  return {
    apiVersion: 'configuration.konghq.com/v1', kind: 'KongConsumer',
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, ...(created ? { creationTimestamp: new Date(created) } : {}) }, ...spec,
  };
}
function credential(name: string, type: string | undefined, data: Record<string, string>): V1Secret {
  return {
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, ...(type ? { labels: { 'konghq.com/credential': type } } : {}) },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}
const translate = (consumers: KongConsumerResource[], lists: PluginSourceLists = {}): ConsumerTranslation =>
  translateConsumers(consumers, { sources: indexPluginSources(lists), schemas: recordedAnswer });
const secretTags = (name: string): string[] => [`k8s-kind:Secret`, `k8s-name:${name}`, 'k8s-namespace:shop', `k8s-uid:uid-${name}`, 'managed-by:meshdoor'];

describe('KongConsumer → Kong consumers and credentials', () => {
  const secrets = [
    credential('alice-key', 'key-auth', { key: 'alice-secret-key' }),
    credential('alice-basic', 'basic-auth', { username: 'alice', password: 'pw-alice' }),
    credential('alice-hmac', 'hmac-auth', { username: 'alice-h', secret: 'hmac-alice' }),
    credential('alice-jwt', 'jwt', { key: 'alice-iss', secret: 'jwt-alice', kongCredType: 'jwt' }),
    credential('alice-acl', 'acl', { group: 'gold' }),
  ];

  it('nests every credential type under the consumer, with ids from consumer and Secret and the Secret\'s tags', () => {
    const alice = consumer('alice', { username: 'alice', custom_id: 'u-1', credentials: secrets.map((s) => s.metadata?.name ?? ''), spec: { tags: ['team-a'] } });
    const { consumers, failures } = translate([alice], { secrets });
    expect(failures).to.deep.equal([]);
    const id = kongConsumerId({ username: 'alice' });
    const credId = (table: Parameters<typeof kongCredentialId>[0], name: string): string => kongCredentialId(table, id, { namespace: 'shop', name });
    expect(consumers).to.deep.equal([{
      id, username: 'alice', custom_id: 'u-1',
      tags: ['k8s-kind:KongConsumer', 'k8s-name:alice', 'k8s-namespace:shop', 'k8s-uid:uid-alice', 'managed-by:meshdoor', 'team-a'],
      keyauth_credentials: [{ id: credId('keyauth_credentials', 'alice-key'), key: 'alice-secret-key', tags: secretTags('alice-key') }],
      basicauth_credentials: [{ id: credId('basicauth_credentials', 'alice-basic'), username: 'alice', password: 'pw-alice', tags: secretTags('alice-basic') }],
      hmacauth_credentials: [{ id: credId('hmacauth_credentials', 'alice-hmac'), username: 'alice-h', secret: 'hmac-alice', tags: secretTags('alice-hmac') }],
      jwt_secrets: [{ id: credId('jwt_secrets', 'alice-jwt'), algorithm: 'HS256', key: 'alice-iss', secret: 'jwt-alice', tags: secretTags('alice-jwt') }],
      acls: [{ id: credId('acls', 'alice-acl'), group: 'gold', tags: secretTags('alice-acl') }],
    }]);
  });

  it('attaches the plugins of the consumer\'s konghq.com/plugins to it', () => {
    const bob = consumer('bob', { username: 'bob' });
    bob.metadata = { ...bob.metadata, annotations: { 'konghq.com/plugins': 'bob-limit' } };
    const limit = { kind: 'KongPlugin', metadata: { name: 'bob-limit', namespace: 'shop' }, plugin: 'rate-limiting', config: { minute: 1 } };
    const { plugins, consumers } = translate([bob], { kongPlugins: [limit] });
    const id = kongConsumerId({ username: 'bob' });
    expect(consumers.map((c) => c.id)).to.deep.equal([id]);
    expect(plugins.map((p) => [p.id, p.consumer])).to.deep.equal([[kongPluginId('rate-limiting', { consumerId: id }), { id }]]);
  });

  describe('a consumer that cannot be served whole is left out, with a failure naming the field', () => {
    const cases: [string, KongConsumerResource, V1Secret[], string, RegExp][] = [
      ['no username nor custom_id', consumer('x', { credentials: [] }), [], 'InvalidConsumer', /^KongConsumer shop\/x: set username or custom_id$/],
      ['consumer groups (Kong Enterprise)', consumer('x', { username: 'x', consumerGroups: ['gold'] }), [], 'InvalidConsumer', /consumerGroups are a Kong Enterprise feature/],
      ['credential Secret missing', consumer('x', { username: 'x', credentials: ['gone'] }), [], 'CredentialSecretMissing', /^KongConsumer shop\/x: credentials: Secret shop\/gone does not exist$/],
      ['Secret without the label', consumer('x', { username: 'x', credentials: ['s'] }), [credential('s', undefined, { key: 'k' })], 'InvalidCredential', /Secret shop\/s has no konghq\.com\/credential label \(one of: key-auth, basic-auth, hmac-auth, jwt, acl\)$/],
      ['unsupported type', consumer('x', { username: 'x', credentials: ['s'] }), [credential('s', 'oauth2', { client_id: 'c' })], 'InvalidCredential', /has konghq\.com\/credential: oauth2, which is not supported/],
      ['a required key missing', consumer('x', { username: 'x', credentials: ['s'] }), [credential('s', 'basic-auth', { username: 'x' })], 'InvalidCredential', /Secret shop\/s \(basic-auth\): key 'password' is required$/],
      ['an unknown key', consumer('x', { username: 'x', credentials: ['s'] }), [credential('s', 'key-auth', { key: 'k', ttl: '5' })], 'InvalidCredential', /key 'ttl' is not a field of this credential \(fields: key\)$/],
      ['jwt RS256 without its public key', consumer('x', { username: 'x', credentials: ['s'] }), [credential('s', 'jwt', { key: 'iss', algorithm: 'RS256' })], 'InvalidCredential', /key 'rsa_public_key' is required for RS256$/],
      ['two Secrets with one ACL group', consumer('x', { username: 'x', credentials: ['a', 'b'] }), [credential('a', 'acl', { group: 'g' }), credential('b', 'acl', { group: 'g' })], 'InvalidCredential', /Secrets a and b are both ACL group 'g'$/],
    ];
    for (const [name, resource, lists, reason, message] of cases) {
      it(name, () => {
        const { consumers, failures } = translate([resource], { secrets: lists });
        expect(consumers).to.deep.equal([]);
        expect(failures.map((f) => f.reason)).to.deep.equal([reason]);
        expect(failures[0]?.message).to.match(message);
      });
    }

    it('a plugin reference of the consumer that does not resolve', () => {
      const bob = consumer('bob', { username: 'bob' });
      bob.metadata = { ...bob.metadata, annotations: { 'konghq.com/plugins': 'nope' } };
      const { consumers, failures } = translate([bob]);
      expect(consumers).to.deep.equal([]);
      expect(failures.map((f) => [f.object.kind, f.reason])).to.deep.equal([['KongConsumer', 'PluginNotFound']]);
    });
  });

  it('gives a username, custom_id or credential key used twice to the oldest consumer, naming Secrets, not keys', () => {
    const lists = { secrets: [credential('a-key', 'key-auth', { key: 'shared-key-value' }), credential('b-key', 'key-auth', { key: 'shared-key-value' })] };
    const older = consumer('older', { username: 'a', credentials: ['a-key'] }, '2026-01-01T00:00:00Z');
    const newer = consumer('newer', { username: 'b', credentials: ['b-key'] }, '2026-02-01T00:00:00Z');
    const sameName = consumer('same', { username: 'a' }, '2026-03-01T00:00:00Z');
    const { consumers, failures } = translate([sameName, newer, older], lists);
    expect(consumers.map((c) => c.username)).to.deep.equal(['a']);
    expect(failures.map((f) => [f.object.name, f.reason, f.message])).to.deep.equal([
      ['newer', 'ConsumerConflict', 'KongConsumer shop/newer: the keyauth_credentials credential of Secret b-key is already used by KongConsumer shop/older, which is older (or first by namespace/name)'],
      ['same', 'ConsumerConflict', "KongConsumer shop/same: username 'a' is already used by KongConsumer shop/older, which is older (or first by namespace/name)"],
    ]);
  });

  it('never puts a credential value in a failure', () => {
    const values = ['pw-secret-1', 'hmac-secret-2', 'key-secret-3'];
    const lists = { secrets: [
      credential('basic', 'basic-auth', { password: values[0] ?? '' }),
      credential('hmac', 'hmac-auth', { username: 'h', secret: values[1] ?? '', extra: 'x' }),
      credential('k1', 'key-auth', { key: values[2] ?? '' }), credential('k2', 'key-auth', { key: values[2] ?? '' }),
    ] };
    const { failures } = translate([
      consumer('a', { username: 'a', credentials: ['basic'] }), consumer('b', { username: 'b', credentials: ['hmac'] }),
      consumer('c', { username: 'c', credentials: ['k1'] }), consumer('d', { username: 'd', credentials: ['k2'] }),
    ], lists);
    expect(failures).to.have.length(3);
    for (const failure of failures) for (const value of values) expect(failure.message).to.not.include(value);
  });

  it('works offline too: credentials need no gateway', () => {
    const result = translateConsumers([consumer('alice', { username: 'alice', credentials: ['alice-key'] })], { sources: indexPluginSources({ secrets }), schemas: OFFLINE_SCHEMAS });
    expect(result.consumers[0]?.keyauth_credentials).to.have.length(1);
  });
});
