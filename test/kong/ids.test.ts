import { expect } from 'chai';
import { kongEntityId } from '../../src/model/index.ts';

describe('kongEntityId', () => {
  it('matches the ids Kong and the Kong Ingress Controller generate', () => {
    // Values recomputed from Kong's 15-off_spec fixtures and KIC golden files.
    expect(kongEntityId('services', 'my-service')).to.equal('0855b320-0dd2-547d-891d-601e9b38647f');
    expect(kongEntityId('routes', 'my-route')).to.equal('481a9539-f49c-51b6-b2e2-fe99ee68866c');
    expect(kongEntityId('services', 'foo-namespace.foo-svc.80')).to.equal('fe1e2edc-5479-52fe-b0f4-b90d8d5f83ba');
  });
});

describe('kongEntityId against a reference UUIDv5', () => {
  it('gives the same id as the uuid package for every table and for names with multi-byte characters, long names and the empty name', async () => {
    const { v5: uuidv5 } = await import('uuid');
    const declarative = 'fd02801f-0957-4a15-a55a-c8d9606f30b5';
    const names = ['', 'a', 'shop.web.80', 'ünïcødé.ключ.😀', 'x'.repeat(300), 'team-0001.app-00001.app-00001.app-00001.team-0001.example.com.80'];
    for (const table of ['services', 'routes', 'snis', 'plugins', 'keyauth_credentials'] as const) {
      for (const name of names) expect(kongEntityId(table, name), `${table} ${name}`).to.equal(uuidv5(name, uuidv5(table, declarative)));
    }
  });
});
