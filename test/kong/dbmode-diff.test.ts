import { expect } from 'chai';
import { countChanges, diffEntities } from '../../src/kong/dbmode-diff.ts';
import type { KnownEntityHashes } from '../../src/kong/dbmode-diff.ts';
import { entityContentHash } from '../../src/kong/entity-compare.ts';
import { normalizeTarget } from '../../src/model/index.ts';
import type { FlatEntity } from '../../src/kong/entities.ts';
import { entityKey } from '../../src/kong/entities.ts';

const svc = (id: string, body: Record<string, unknown> = {}): FlatEntity =>
  ({ type: 'services', id, body: { id, name: `svc-${id}`, host: 'a.internal', port: 80, protocol: 'http', tags: ['managed-by:meshdoor'], ...body } });
const route = (id: string, service: string, body: Record<string, unknown> = {}): FlatEntity =>
  ({ type: 'routes', id, body: { id, name: `route-${id}`, paths: ['/'], protocols: ['http', 'https'], service: { id: service }, tags: ['managed-by:meshdoor'], ...body } });

/** Kong's read-back: every field present, unset ones null, timestamps added. */
const readBack = (e: FlatEntity, extra: Record<string, unknown> = {}): FlatEntity => ({
  ...e, body: { path: null, hosts: null, methods: null, headers: null, snis: null, created_at: 1, updated_at: 2, ...e.body, ...extra },
});

describe('DB-mode diff', () => {
  it('creates and updates parents first, deletes children first', () => {
    const desired = [route('r1', 's1'), svc('s1'), route('r2', 's2', { paths: ['/new'] }), svc('s2')];
    const current = [readBack(svc('s2')), readBack(route('r2', 's2')), readBack(svc('s3')), readBack(route('r3', 's3'))];
    const { changes } = diffEntities(desired, current);
    expect(changes.map((c) => `${c.action} ${c.entity.type} ${c.entity.id}`)).to.deep.equal([
      'create services s1', 'create routes r1', 'update routes r2', 'delete routes r3', 'delete services s3',
    ]);
    expect(changes.find((c) => c.action === 'update')?.fields).to.deep.equal(['paths']);
    expect(countChanges(changes)).to.deep.equal({ created: 2, updated: 1, deleted: 2 });
  });

  it('sees no change in Kong\'s read-back shape: nulls, set order, FK forms, default target port', () => {
    const desired: FlatEntity[] = [
      svc('s1', { tags: ['b', 'managed-by:meshdoor', 'a'] }),
      route('r1', 's1', { methods: ['POST', 'GET'], hosts: [] }),
      { type: 'targets', id: 't1', parentId: 'u1', body: { id: 't1', target: 'backend.internal', weight: 100, upstream: { id: 'u1' }, tags: [] } },
    ];
    const current: FlatEntity[] = [
      readBack(svc('s1', { tags: ['a', 'b', 'managed-by:meshdoor'] })),
      readBack(route('r1', 's1', { methods: ['GET', 'POST'] }), { service: 's1' }),
      { type: 'targets', id: 't1', parentId: 'u1', body: { id: 't1', target: 'backend.internal:8000', weight: 100, upstream: 'u1', tags: null, created_at: 1.5 } },
    ];
    const diff = diffEntities(desired, current);
    expect(diff.changes).to.deep.equal([]);
    expect(diff.unchanged).to.have.length(3);
  });

  it('treats a value set out of band on an optional field meshdoor leaves unset as drift', () => {
    const diff = diffEntities([svc('s1')], [readBack(svc('s1'), { path: '/hijack' })]);
    expect(diff.changes.map((c) => c.fields)).to.deep.equal([['path']]);
  });

  it('ignores fields meshdoor does not manage', () => {
    const diff = diffEntities([svc('s1')], [readBack(svc('s1'), { tls_verify: true, enabled: true, ca_certificates: null })]);
    expect(diff.changes).to.deep.equal([]);
  });

  it('skips the comparison for entities known unchanged, but still catches drift', () => {
    const desired = svc('s1', { retries: 3 });
    // Kong's copy differs from the desired one in a way the compare would flag...
    const kongCopy = readBack(svc('s1', { retries: 5 }));
    const known = new Map<string, KnownEntityHashes>([[entityKey(desired), { desired: entityContentHash(desired.body), observed: entityContentHash(kongCopy.body) }]]);
    // ...but it is exactly the copy Kong returned after our last write: no write.
    expect(diffEntities([desired], [kongCopy], (k) => known.get(k)).changes).to.deep.equal([]);
    // Timestamps alone do not count as a change.
    const touched = { ...kongCopy, body: { ...kongCopy.body, updated_at: 99 } };
    expect(diffEntities([desired], [touched], (k) => known.get(k)).changes).to.deep.equal([]);
    // Someone edited it: compared again and repaired.
    const edited = { ...kongCopy, body: { ...kongCopy.body, host: 'evil.internal' } };
    expect(diffEntities([desired], [edited], (k) => known.get(k)).changes.map((c) => c.fields)).to.deep.equal([['host', 'retries']]);
    // The desired entity changed: compared again.
    const wanted = svc('s1', { retries: 4 });
    expect(diffEntities([wanted], [kongCopy], (k) => known.get(k)).changes).to.have.length(1);
  });

  it('normalises targets as Kong stores them', () => {
    expect(normalizeTarget('10.0.0.1')).to.equal('10.0.0.1:8000');
    expect(normalizeTarget('10.0.0.1:80')).to.equal('10.0.0.1:80');
    expect(normalizeTarget('backend.internal')).to.equal('backend.internal:8000');
    expect(normalizeTarget('010.000.000.001:80')).to.equal('10.0.0.1:80');
    const loopback = '0000:0000:0000:0000:0000:0000:0000:0001';
    expect(normalizeTarget('::1')).to.equal(`[${loopback}]:8000`);
    expect(normalizeTarget('[::1]')).to.equal(`[${loopback}]:8000`);
    expect(normalizeTarget('[::1]:9000')).to.equal(`[${loopback}]:9000`);
  });

  it('sees no change in an IPv6 target Kong stores expanded', () => {
    const target = (id: string, address: string): FlatEntity =>
      ({ type: 'targets', id, parentId: 'u1', body: { id, target: address, weight: 100, upstream: { id: 'u1' }, tags: [] } });
    const desired = [target('t1', '[fd00::a:1]:8080')];
    const current = [target('t1', '[fd00:0000:0000:0000:0000:0000:000a:0001]:8080')];
    expect(diffEntities(desired, current).changes).to.deep.equal([]);
    expect(diffEntities(desired, [target('t1', '[fd00::a:2]:8080')]).changes.map((c) => c.fields)).to.deep.equal([['target']]);
  });
});
