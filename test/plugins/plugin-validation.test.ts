// Plugin configuration checks against what a real Kong 3.9.3 did: every
// plugin Kong refused in the recorded /config cases is refused with Kong's
// field and message; every plugin it accepted passes and is completed with
// exactly the defaults Kong stored. Then each validator kind on a recorded
// schema, and every recorded schema understood.
import { expect } from 'chai';
import { parse } from 'yaml';
import { checkPlugin, completePluginConfig, validatePluginEntity } from '../../src/plugins/index.ts';
import type { ConfigProblem } from '../../src/plugins/index.ts';
import { luaPatternToRegExp } from '../../src/plugins/schema/lua-pattern.ts';
import { readRecording } from '../recordings/recordings-dir.ts';
import type { RecordedFile } from '../recordings/recording-types.ts';
import { recordedAnswer, recordedPluginNames, recordedSchema } from './recorded-schemas.ts';

interface SentPlugin { name: string; config: Record<string, unknown>; route?: string; tags?: string[] }
interface FlatError { entity_type: string; entity_name?: string; errors: { type: string; field?: string; message: string }[] }

/** Every plugin in a recorded /config body: global, and nested under services and routes. */
function sentPlugins(body: string): SentPlugin[] {
  const doc = parse(body) as { plugins?: SentPlugin[]; services?: { plugins?: SentPlugin[]; routes?: { plugins?: SentPlugin[] }[] }[] };
  return [
    ...(doc.plugins ?? []),
    ...(doc.services ?? []).flatMap((s) => [...(s.plugins ?? []), ...(s.routes ?? []).flatMap((r) => r.plugins ?? [])]),
  ];
}

const asKong = (p: ConfigProblem): { type: string; field?: string; message: string } =>
  (p.field === undefined ? { type: 'entity', message: p.message } : { type: 'field', field: p.field, message: p.message });

// Refusals that are not about one plugin's configuration: the translation
// never produces them (one plugin per name and attachment; ids, not names,
// for attachments), which test/plugins/plugin-entities.test.ts shows.
const NOT_CONFIG_CASES = new Set(['plugin-top-level-dangling-route', 'plugin-same-plugin-twice-on-route']);

describe('plugin configuration checks against the recordings of a real Kong', () => {
  const file = readRecording<RecordedFile>('plugin-contract.json');

  for (const kase of file.cases) {
    it(`${kase.name}: ${kase.response.status === 201 ? 'accepted, with Kong\'s defaults' : 'refused as Kong refused it'}`, () => {
      const plugins = sentPlugins(kase.request.body ?? '');
      expect(plugins, 'the case sends plugins').to.not.be.empty;
      const body = kase.response.body as { flattened_errors?: FlatError[] | Record<string, never>; plugins?: Record<string, { name: string; config: unknown }> };
      const refused = Array.isArray(body.flattened_errors) ? body.flattened_errors.filter((e) => e.entity_type === 'plugin') : [];
      for (const plugin of plugins) {
        const check = checkPlugin({ name: plugin.name, config: plugin.config }, recordedAnswer(plugin.name));
        expect(check.schemaChecked).to.equal(true);
        const kong = refused.find((e) => e.entity_name === plugin.name);
        if (kong) {
          expect(check.problems.map(asKong), plugin.name).to.have.deep.members(kong.errors);
          continue;
        }
        expect(check.problems, plugin.name).to.deep.equal([]);
        if (kase.response.status !== 201) {
          expect(NOT_CONFIG_CASES.has(kase.name), `${kase.name} refused for another reason than ${plugin.name}'s config`).to.equal(true);
          continue;
        }
        const stored = Object.values(body.plugins ?? {}).find((p) => p.name === plugin.name);
        expect(completePluginConfig(recordedSchema(plugin.name), plugin.config), plugin.name).to.deep.equal(stored?.config);
      }
    });
  }

  it('refuses each kind of validator the published schemas use, with Kong\'s message', () => {
    const problems = (name: string, config: Record<string, unknown>, extra: Record<string, unknown> = {}): ConfigProblem[] =>
      validatePluginEntity(recordedSchema(name), { config, ...extra });
    expect(problems('rate-limiting', { minute: 5, policy: 'cluster' })).to.deep.equal([{ field: 'config.policy', message: 'expected one of: local, redis' }]);
    expect(problems('rate-limiting', { minute: 0 })).to.deep.equal([{ field: 'config.minute', message: 'value must be greater than 0' }]);
    expect(problems('rate-limiting', { minute: 5, redis: { port: 70000 } })).to.deep.equal([{ field: 'config.redis.port', message: 'value should be between 0 and 65535' }]);
    expect(problems('rate-limiting', { minute: 5, path: '/a//b' })).to.deep.equal([{ field: 'config.path', message: 'must not have empty segments' }]);
    expect(problems('rate-limiting', { minute: 5, path: 'a' })).to.deep.equal([{ field: 'config.path', message: 'should start with: /' }]);
    expect(problems('rate-limiting', { minute: 5, policy: 'redis' })).to.have.deep.members([
      { field: 'config.redis.host', message: 'required field missing' },
      { message: "failed conditional validation given value of field 'config.policy'" },
    ]);
    expect(problems('rate-limiting', { minute: 5, limit_by: 'header' })).to.have.deep.members([
      { field: 'config.header_name', message: 'required field missing' },
      { message: "failed conditional validation given value of field 'config.limit_by'" },
    ]);
    expect(problems('key-auth', { key_names: 'apikey' })).to.deep.equal([{ field: 'config.key_names', message: 'expected an array' }]);
    expect(problems('key-auth', { key_names: ['apikey'], nope: 1 })).to.deep.equal([{ field: 'config.nope', message: 'unknown field' }]);
    expect(problems('key-auth', { key_names: [''] })).to.deep.equal([{ field: 'config.key_names.1', message: 'length must be at least 1' }]);
    expect(problems('key-auth', {}, { consumer: { id: '0b5c2f44-9d3a-4bd0-a6a5-3f6a3e9d1a11' } })).to.deep.equal([{ field: 'consumer', message: 'value must be null' }]);
    expect(problems('acl', { allow: ['a'], deny: ['b'] })).to.deep.equal([{ message: "only one of these fields must be non-empty: 'config.allow', 'config.deny'" }]);
    expect(problems('acl', {})).to.deep.equal([{ message: "at least one of these fields must be non-empty: 'config.allow', 'config.deny'" }]);
    expect(problems('request-transformer', { http_method: 'get' })).to.deep.equal([{ field: 'config.http_method', message: 'invalid value: get' }]);
    expect(problems('file-log', { path: '/var/log/a*b' })).to.deep.equal([{ field: 'config.path', message: 'not a valid filename' }]);
    expect(problems('acme', { account_email: 'a@b.example', domains: ['a.*.example.com'] })).to.deep.include({ field: 'config.domains.1', message: 'invalid wildcard: must be placed at leftmost or rightmost label' });
    expect(problems('acme', { account_email: 'a@b.example', domains: ['*.a.*'] })).to.deep.include({ field: 'config.domains.1', message: 'invalid wildcard: must have at most one wildcard' });
    expect(problems('acme', { account_email: 'a@b.example', api_uri: 'https://acme-v02.api.letsencrypt.org' })).to.deep.include({ message: 'terms of service must be accepted, see https://letsencrypt.org/repository/' });
    expect(problems('ai-prompt-guard', { allow_patterns: Array.from({ length: 11 }, (_, i) => `p${i}`) }))
      .to.deep.equal([{ field: 'config.allow_patterns', message: 'length must be at most 10' }]);
    expect(problems('cors', { origins: ['*'] }, { protocols: ['ws'] })).to.deep.equal([{ field: 'protocols.1', message: 'expected one of: grpc, grpcs, http, https' }]);
    expect(problems('statsd', { allow_status_codes: ['200-299', '5xx'] })).to.deep.equal([{ field: 'config.allow_status_codes.2', message: 'invalid value: 5xx' }]);
  });

  it('accepts the deprecated shorthand fields and stores them where they now live', () => {
    const schema = recordedSchema('rate-limiting');
    expect(validatePluginEntity(schema, { config: { minute: 5, policy: 'redis', redis_host: 'redis.example' } })).to.deep.equal([]);
    expect((completePluginConfig(schema, { minute: 5, redis_host: 'redis.example' }).redis as Record<string, unknown>).host).to.equal('redis.example');
  });

  it('understands every recorded schema: its patterns compile, defaults and checks run', () => {
    const names = recordedPluginNames();
    expect(names).to.have.length(45);
    const patterns: string[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node !== null && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'match' && typeof value === 'string') patterns.push(value);
          if (key === 'pattern' && typeof value === 'string') patterns.push(value);
          collect(value);
        }
      }
    };
    for (const name of names) {
      const schema = recordedSchema(name);
      collect(schema);
      expect(() => validatePluginEntity(schema, { config: {} }), name).to.not.throw();
      expect(completePluginConfig(schema, {}), name).to.be.an('object');
    }
    for (const pattern of patterns) expect(() => luaPatternToRegExp(pattern), pattern).to.not.throw();
  });

  it('names the checks a schema only runs inside Kong (custom Lua checks)', () => {
    expect(checkPlugin({ name: 'proxy-cache', config: { strategy: 'memory' } }, recordedAnswer('proxy-cache')).unchecked).to.deep.equal(['custom check of config']);
    expect(checkPlugin({ name: 'cors', config: {} }, recordedAnswer('cors')).unchecked).to.equal(undefined);
  });

  it('never changes the config it checks (watched objects are shared)', () => {
    const deepFreeze = <T>(value: T): T => {
      if (value !== null && typeof value === 'object') {
        for (const child of Object.values(value)) deepFreeze(child);
        Object.freeze(value);
      }
      return value;
    };
    for (const [name, config] of [['cors', { origins: ['*'] }], ['rate-limiting', { minute: 5, redis_host: 'r' }]] as const) {
      const frozen = deepFreeze(structuredClone(config)) as Record<string, unknown>;
      expect(() => validatePluginEntity(recordedSchema(name), { config: frozen }), name).to.not.throw();
      expect(() => completePluginConfig(recordedSchema(name), frozen), name).to.not.throw();
      expect(frozen).to.deep.equal(config);
    }
  });

  it('says when the schema check was skipped, and still checks the structure', () => {
    const offline = checkPlugin({ name: 'Rate Limiting', config: [], protocols: ['smtp'] }, { kind: 'unavailable', reason: 'offline: no gateway to ask' });
    expect(offline.schemaChecked).to.equal(false);
    expect(offline.skipped).to.equal('offline: no gateway to ask');
    expect(offline.problems.map((p) => p.field)).to.deep.equal(['name', 'config', 'protocols.1']);
    expect(checkPlugin({ name: 'custom-thing', config: { anything: 1 } }, { kind: 'unavailable', reason: 'offline' }).problems).to.deep.equal([]);
  });
});
