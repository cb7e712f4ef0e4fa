// The one description of Kong's entity kinds, checked against a real Kong:
// its defaults are what Kong filled in when a recorded create left them out,
// and the fields it names are fields Kong has.
import { expect } from 'chai';
import {
  KIND_LEVELS, KONG_ENTITY_KINDS, declarativeIdOf, defaultsOf, entityKind, kongEntityId, kongTargetId, normalizeTarget,
} from '../../src/model/index.ts';
import type { KongEntityType } from '../../src/model/index.ts';
import { recording } from './recordings.ts';

const FILE = 'db-mode-crud.json';

/** A recorded create of each kind that sent only what the kind requires (DB mode: the core kinds). */
const CREATED: Partial<Record<KongEntityType, string>> = {
  certificates: 'cert-create', services: 'svc-create', upstreams: 'up-create', snis: 'sni-create-nested', routes: 'rt-create', targets: 'tg-create',
};

function created(table: KongEntityType): { sent: Record<string, unknown>; stored: Record<string, unknown> } {
  const name = CREATED[table] ?? '';
  const recorded = recording(FILE, name);
  expect(recorded.response.status, `${name} created the entity`).to.equal(201);
  return { sent: JSON.parse(recorded.request.body ?? '{}') as Record<string, unknown>, stored: recorded.response.body as Record<string, unknown> };
}

/** POST /config answers with plugins and consumers: the entities as Kong stored them, by table and id. */
function loaded(name: string): Record<string, Record<string, Record<string, unknown>>> {
  const recorded = recording('plugin-contract.json', name);
  expect(recorded.response.status, `${name} loaded`).to.equal(201);
  return recorded.response.body as Record<string, Record<string, Record<string, unknown>>>;
}

describe('Kong entity kinds', () => {
  for (const kind of KONG_ENTITY_KINDS.filter((k) => CREATED[k.table] !== undefined)) {
    it(`${kind.table}: the defaults are what Kong fills in, the named fields exist`, () => {
      const { sent, stored } = created(kind.table);
      const defaults = defaultsOf(kind, stored);
      for (const field of Object.keys(defaults)) expect(sent, `${CREATED[kind.table]} sent ${field}`).to.not.have.property(field);
      expect(stored).to.deep.include(defaults);
      for (const field of kind.optional) {
        expect(stored, `optional field ${field}`).to.have.property(field);
        if (!(field in sent)) expect(stored[field], `unset optional field ${field}`).to.equal(null);
      }
      if (kind.parent !== undefined) expect(stored[kind.parent.field]).to.have.property('id').that.is.a('string');
      if (kind.endpointKey !== undefined) expect(stored).to.have.property(kind.endpointKey);
    });
  }

  it('plugins, consumers and key-auth credentials: the defaults are what Kong fills in, ids as Kong derives them', () => {
    const plugin = Object.values(loaded('plugin-route-rate-limiting-ok')['plugins'] ?? {})[0] ?? {};
    const kind = entityKind('plugins');
    expect(plugin).to.deep.include(kind.defaults);
    for (const field of kind.optional) expect(plugin, `optional field ${field}`).to.have.property(field);
    expect(declarativeIdOf(kind, plugin)).to.equal(plugin['id']);
    const withConsumer = loaded('plugin-key-auth-with-consumer');
    const consumer = Object.values(withConsumer['consumers'] ?? {})[0] ?? {};
    expect(declarativeIdOf(entityKind('consumers'), consumer)).to.equal(consumer['id']);
    for (const field of entityKind('consumers').optional) expect(consumer).to.have.property(field);
    const credential = Object.values(withConsumer['keyauth_credentials'] ?? {})[0] ?? {};
    expect(credential['consumer']).to.deep.equal({ id: consumer['id'] });
    expect(entityKind('keyauth_credentials').parent).to.include({ field: 'consumer', table: 'consumers' });
  });

  it('orders writes by what refers to what: plugins after routes, services and consumers; credentials after consumers', () => {
    const level = (table: KongEntityType): number => KIND_LEVELS.findIndex((types) => types.includes(table));
    expect(level('plugins')).to.be.greaterThan(Math.max(level('routes'), level('services'), level('consumers')));
    expect(level('acls')).to.be.greaterThan(level('consumers'));
    expect(level('routes')).to.be.greaterThan(level('services'));
  });

  it('HTTP routes default to strip_path true; gRPC routes have no such default here', () => {
    const routes = entityKind('routes');
    expect(defaultsOf(routes, { protocols: ['https'] })).to.include({ strip_path: true });
    expect(defaultsOf(routes, { protocols: ['grpcs'] })).to.not.have.property('strip_path');
  });

  it('deleting a certificate deletes its SNIs (a cascade)', () => {
    expect(entityKind('snis').parent).to.include({ table: 'certificates', onDelete: 'cascade' });
    expect(recording(FILE, 'cert-delete').response.status).to.equal(204);
    expect(recording(FILE, 'sni-get-after-cert-delete').response.status).to.equal(404);
  });

  it('stores targets as Kong does', () => {
    const recorded = recording(FILE, 'tg-create-default-port');
    const sent = JSON.parse(recorded.request.body ?? '{}') as { target: string };
    expect(normalizeTarget(sent.target)).to.equal((recorded.response.body as { target: string }).target);
  });

  it('derives the ids Kong\'s declarative loader derives, and none where Kong draws a random one', () => {
    expect(declarativeIdOf(entityKind('services'), { name: 'shop.web.80' })).to.equal(kongEntityId('services', 'shop.web.80'));
    expect(declarativeIdOf(entityKind('routes'), { name: 'r' })).to.equal(kongEntityId('routes', 'r'));
    expect(declarativeIdOf(entityKind('targets'), { target: '10.0.0.1:80' }, 'u1')).to.equal(kongTargetId('u1', '10.0.0.1:80'));
    expect(declarativeIdOf(entityKind('snis'), { name: 'a.example.com' })).to.equal(undefined);
    expect(declarativeIdOf(entityKind('certificates'), { cert: 'x' })).to.equal(undefined);
  });

  it('is frozen: no reader can change a default for the others', () => {
    expect(() => { (entityKind('routes').defaults['protocols'] as string[]).push('grpc'); }).to.throw(TypeError);
  });
});
