// The Kong double checked against facts from docs/kong-admin-api.md:
// status codes, error bodies, paging and tag filters, /config and /status.
// Answers are arbitrary JSON read field by field, hence `any` bodies here.
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any */
import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { startKongDouble } from '../kong-double/index.ts';
import type { KongDouble } from '../kong-double/index.ts';

interface Answer { status: number; body: any; headers: Headers }

async function call(double: KongDouble, method: string, path: string, body?: unknown): Promise<Answer> {
  const init: RequestInit = { method, headers: body === undefined ? {} : { 'content-type': 'application/json' } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${double.url}${path}`, init);
  const text = await res.text();
  let parsed: unknown = text;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
  return { status: res.status, body: parsed, headers: res.headers };
}

const ZERO = '00000000000000000000000000000000';

describe('Kong test double', () => {
  describe('DB-less mode', () => {
    let kong: KongDouble;
    beforeEach(async () => { kong = await startKongDouble({ mode: 'dbless' }); });
    afterEach(async () => { await kong.close(); });

    const config = { _format_version: '3.0', services: [{ name: 'web', host: 'web.internal', tags: ['k8s-kind:Service', 'k8s-name:web'], routes: [{ name: 'web-root', paths: ['/'] }] }] };

    it('answers GET / with version, database off and the router flavor', async () => {
      const { status, body, headers } = await call(kong, 'GET', '/');
      expect(status).to.equal(200);
      expect(body).to.include({ tagline: 'Welcome to kong', version: '3.9.1', edition: 'community' });
      expect(body.configuration).to.include({ database: 'off', router_flavor: 'traditional_compatible' });
      expect(headers.get('server')).to.equal('kong/3.9.1');
    });

    it('reports configuration_hash all zeros until a config loads, then 32 hex digits', async () => {
      const before = await call(kong, 'GET', '/status');
      expect(before.body.configuration_hash).to.equal(ZERO);
      expect(before.body).to.not.have.property('database');
      expect((await call(kong, 'POST', '/config', config)).status).to.equal(201);
      const after = await call(kong, 'GET', '/status');
      expect(after.body.configuration_hash).to.match(/^[0-9a-f]{32}$/).and.not.equal(ZERO);
      kong.restartEmpty();
      expect((await call(kong, 'GET', '/status')).body.configuration_hash).to.equal(ZERO);
    });

    it('loads a config: 201 with entities keyed by id, Kong-shaped with nulls', async () => {
      const { status, body } = await call(kong, 'POST', '/config', config);
      expect(status).to.equal(201);
      const services: Record<string, unknown>[] = Object.values(body.services);
      expect(services).to.have.length(1);
      expect(services[0]).to.include({ name: 'web', host: 'web.internal', port: 80, protocol: 'http', path: null });
      expect(services[0]).to.not.have.property('ws_id');
      const route = Object.values(body.routes)[0] as Record<string, unknown>;
      expect(route.service).to.deep.equal({ id: services[0]?.id });
      // Deterministic ids as Kong's declarative loader computes them (uuid5 of the name).
      expect(services[0]?.id).to.equal((await call(kong, 'GET', '/services/web')).body.id);
    });

    it('accepts {config: "<string>"} and answers 304 for the same string with check_hash=1', async () => {
      const raw = JSON.stringify(config);
      expect((await call(kong, 'POST', '/config?check_hash=1', { config: raw })).status).to.equal(201);
      expect((await call(kong, 'POST', '/config?check_hash=1', { config: raw })).status).to.equal(304);
      expect((await call(kong, 'POST', '/config', { config: raw })).status).to.equal(201);
    });

    it('rejects an invalid config with code 14, and moves entity errors to flattened_errors on request', async () => {
      const bad = { _format_version: '3.0', services: [{ name: 'bad', host: 'bad.internal', port: 70000, tags: ['k8s-name:bad'] }] };
      const plain = await call(kong, 'POST', '/config', bad);
      expect(plain.status).to.equal(400);
      expect(plain.body).to.include({ code: 14, name: 'invalid declarative configuration' });
      expect(plain.body.fields.services).to.deep.equal([{ port: 'value should be between 0 and 65535' }]);
      expect(plain.body).to.not.have.property('flattened_errors');

      const flat = await call(kong, 'POST', '/config?flatten_errors=1', bad);
      expect(flat.status).to.equal(400);
      expect(flat.body.fields).to.deep.equal({});
      expect(flat.body.flattened_errors).to.deep.equal([{
        entity_type: 'service', entity_name: 'bad', entity_tags: ['k8s-name:bad'],
        entity: { name: 'bad', host: 'bad.internal', port: 70000, tags: ['k8s-name:bad'] },
        errors: [{ type: 'field', field: 'port', message: 'value should be between 0 and 65535' }],
      }]);
    });

    it('answers 400 without a config, 413 over the size limit and 429 with Retry-After when loading', async () => {
      expect((await call(kong, 'POST', '/config')).body).to.deep.equal({ message: 'expected a declarative configuration' });
      expect((await call(kong, 'POST', '/config', {})).body).to.include({ message: 'declarative config is invalid: {_format_version="required field missing"}' });
      const small = await startKongDouble({ mode: 'dbless', configLimitBytes: 50 });
      try {
        expect((await call(small, 'POST', '/config', config)).status).to.equal(413);
      } finally {
        await small.close();
      }
      kong.tooManyRequests(3);
      const busy = await call(kong, 'POST', '/config', config);
      expect(busy.status).to.equal(429);
      expect(busy.headers.get('retry-after')).to.equal('3');
    });

    it('serves entity reads but answers writes with 405 code 12', async () => {
      await call(kong, 'POST', '/config', config);
      expect((await call(kong, 'GET', '/services/web')).status).to.equal(200);
      const post = await call(kong, 'POST', '/routes', { paths: ['/x'] });
      expect(post.status).to.equal(405);
      expect(post.body).to.deep.equal({ code: 12, name: 'operation unsupported', message: "cannot create 'routes' entities when not using a database" });
      expect((await call(kong, 'PUT', '/services/web', { host: 'x' })).body.message).to.equal("cannot create or update 'services' entities by 'name' when not using a database");
      expect((await call(kong, 'PATCH', '/services/nope', { host: 'x' })).status).to.equal(404);
      expect((await call(kong, 'DELETE', '/services/nope')).status).to.equal(204);
      expect((await call(kong, 'DELETE', '/services/web')).body.message).to.equal("cannot remove 'services' entities by 'name' when not using a database");
    });

    it('returns the loaded config from GET /config as YAML', async () => {
      await call(kong, 'POST', '/config', config);
      const { body } = await call(kong, 'GET', '/config');
      expect(body.config).to.contain('_format_version: "3.0"').and.contain('_transform: false').and.contain('name: web');
    });

    it('tells which backend a request would reach (router model)', async () => {
      const routed = {
        _format_version: '3.0',
        services: [
          { name: 'web', host: 'web.internal', port: 8080, path: '/srv', routes: [
            { name: 'api', hosts: ['shop.example.com'], paths: ['/api'], strip_path: true },
            { name: 'secure', hosts: ['shop.example.com'], paths: ['/secure'], protocols: ['https'] },
          ] },
          { name: 'pool', host: 'pool.upstream', routes: [{ name: 'pooled', paths: ['/pool'] }] },
        ],
        upstreams: [{ name: 'pool.upstream', targets: [{ target: '10.0.0.7:9000' }] }],
      };
      expect((await call(kong, 'POST', '/config', routed)).status).to.equal(201);
      const hit = kong.route({ host: 'shop.example.com', path: '/api/items' });
      expect(hit).to.deep.include({ status: 200, backend: 'web.internal:8080', upstreamPath: '/srv/items' });
      expect(hit.route?.name).to.equal('api');
      expect(kong.route({ host: 'other.example.com', path: '/api/items' }).status).to.equal(404);
      expect(kong.route({ host: 'shop.example.com', path: '/secure' }).status).to.equal(426);
      expect(kong.route({ host: 'x', path: '/pool/a' }).backend).to.equal('10.0.0.7:9000');
    });

    it('rejects a named entity on request (fault injection)', async () => {
      kong.rejectEntity('web-root');
      const { status, body } = await call(kong, 'POST', '/config?flatten_errors=1', config);
      expect(status).to.equal(400);
      expect(body.flattened_errors[0]).to.deep.include({ entity_type: 'route', entity_name: 'web-root' });
    });
  });

  describe('DB mode', () => {
    let kong: KongDouble;
    beforeEach(async () => { kong = await startKongDouble({ mode: 'db' }); });
    afterEach(async () => { await kong.close(); });

    it('has database.reachable in /status and refuses POST /config', async () => {
      const status = await call(kong, 'GET', '/status');
      expect(status.body.database).to.deep.equal({ reachable: true });
      expect(status.body).to.not.have.property('configuration_hash');
      const config = await call(kong, 'POST', '/config', { _format_version: '3.0' });
      expect(config.status).to.equal(400);
      expect(config.body.message).to.equal('this endpoint is only available when Kong is configured to not use a database');
    });

    it('answers schema violations with code 2 bodies', async () => {
      const port = await call(kong, 'POST', '/services', { host: 'example.com', port: 70000 });
      expect(port.status).to.equal(400);
      expect(port.body).to.deep.equal({
        code: 2, name: 'schema violation', message: 'schema violation (port: value should be between 0 and 65535)',
        fields: { port: 'value should be between 0 and 65535' },
      });
      const route = await call(kong, 'POST', '/routes', {});
      const msg = "must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'";
      expect(route.body).to.deep.equal({ code: 2, name: 'schema violation', message: `schema violation (${msg})`, fields: { '@entity': [msg] } });
    });

    it('creates with 201, upserts with PUT 200 (full replacement) and finds unique violations (409)', async () => {
      const created = await call(kong, 'POST', '/services', { name: 'svc', host: 'a.internal', retries: 1 });
      expect(created.status).to.equal(201);
      const dup = await call(kong, 'POST', '/services', { name: 'svc', host: 'b.internal' });
      expect(dup.status).to.equal(409);
      expect(dup.body).to.deep.equal({ code: 5, name: 'unique constraint violation', message: 'UNIQUE violation detected on \'{name="svc"}\'', fields: { name: 'svc' } });
      const put = await call(kong, 'PUT', `/services/${String(created.body.id)}`, { name: 'svc', host: 'c.internal' });
      expect(put.status).to.equal(200);
      expect(put.body).to.include({ host: 'c.internal', retries: 5, id: created.body.id, created_at: created.body.created_at });
      const fresh = await call(kong, 'PUT', '/services/brand-new', { host: 'd.internal' });
      expect(fresh.status).to.equal(200);
      expect(fresh.body.name).to.equal('brand-new');
    });

    it('PATCH of a missing entity is 404 code 6; DELETE of a missing one is 204', async () => {
      const id = '5c2f3e4a-0000-4000-8000-000000000001';
      const patch = await call(kong, 'PATCH', `/services/${id}`, { host: 'x.internal' });
      expect(patch.status).to.equal(404);
      expect(patch.body).to.deep.include({ code: 6, name: 'not found', message: `could not find the entity with primary key '{id="${id}"}'` });
      expect((await call(kong, 'DELETE', `/services/${id}`)).status).to.equal(204);
      expect((await call(kong, 'GET', `/services/${id}`)).body).to.deep.equal({ message: 'Not found' });
    });

    it('restricts deleting a service that routes still reference (400 code 4)', async () => {
      await call(kong, 'POST', '/services', { name: 'svc', host: 'a.internal' });
      const route = await call(kong, 'POST', '/services/svc/routes', { name: 'r', paths: ['/r'] });
      expect(route.status).to.equal(201);
      expect(route.body.service).to.have.property('id');
      const del = await call(kong, 'DELETE', '/services/svc');
      expect(del.status).to.equal(400);
      expect(del.body).to.deep.equal({ code: 4, name: 'foreign key violation', message: "an existing 'routes' entity references this 'services' entity", fields: { '@referenced_by': 'routes' } });
      expect((await call(kong, 'POST', '/services/nope/routes', { paths: ['/x'] })).status).to.equal(404);
    });

    it('treats targets as Kong does: nested only, PUT updates only, unique per upstream, cascade on upstream delete', async () => {
      await call(kong, 'POST', '/upstreams', { name: 'up.internal' });
      const target = await call(kong, 'POST', '/upstreams/up.internal/targets', { target: '10.0.0.1' });
      expect(target.status).to.equal(201);
      expect(target.body.target).to.equal('10.0.0.1:8000');
      expect((await call(kong, 'POST', '/upstreams/up.internal/targets', { target: '10.0.0.1:8000' })).status).to.equal(409);
      expect((await call(kong, 'PUT', '/upstreams/up.internal/targets/10.0.0.2:80', { weight: 5 })).status).to.equal(404);
      expect((await call(kong, 'PUT', `/upstreams/up.internal/targets/${String(target.body.id)}`, { target: '10.0.0.1:8000', weight: 5 })).body.weight).to.equal(5);
      expect((await call(kong, 'GET', '/targets')).status).to.equal(404);
      await call(kong, 'DELETE', '/upstreams/up.internal');
      expect(kong.state.targets).to.deep.equal([]);
    });

    it('pages by id with an unpadded base64 offset and keeps tags and size in next', async () => {
      for (let i = 0; i < 5; i += 1) await call(kong, 'POST', '/services', { name: `s${i}`, host: 'h.internal', tags: ['t'] });
      const first = await call(kong, 'GET', '/services?size=2&tags=t');
      expect(first.body.data).to.have.length(2);
      const lastId = String(first.body.data[1].id);
      expect(first.body.offset).to.equal(Buffer.from(JSON.stringify([lastId])).toString('base64').replace(/=+$/, ''));
      expect(first.body.next).to.equal(`/services?offset=${encodeURIComponent(first.body.offset)}&tags=t&size=2`);
      const ids = [first.body.data[0].id, lastId];
      let next: string | null = first.body.next;
      while (next !== null) {
        const page = await call(kong, 'GET', next);
        ids.push(...page.body.data.map((s: { id: string }) => s.id));
        next = page.body.next;
        if (next === null) expect(page.body).to.not.have.property('offset');
      }
      expect(ids).to.deep.equal([...ids].sort());
      expect(new Set(ids).size).to.equal(5);
      expect((await call(kong, 'GET', '/routes')).body).to.deep.equal({ data: [], next: null });
    });

    it('answers size and offset errors with codes 9 and 7', async () => {
      expect((await call(kong, 'GET', '/services?size=abc')).body).to.deep.equal({ code: 9, name: 'invalid size', message: 'size must be a number' });
      expect((await call(kong, 'GET', '/services?size=1001')).body.message).to.equal('size must be an integer between 1 and 1000');
      expect((await call(kong, 'GET', '/services?offset=%%%')).body).to.include({ code: 7, message: "'%%%' is not a valid offset: bad base64 encoding" });
    });

    it('filters by tags: comma is AND, slash is OR, at most 5, no mixing', async () => {
      await call(kong, 'POST', '/services', { name: 'a', host: 'h.internal', tags: ['x', 'y'] });
      await call(kong, 'POST', '/services', { name: 'b', host: 'h.internal', tags: ['x'] });
      await call(kong, 'POST', '/services', { name: 'c', host: 'h.internal', tags: ['z'] });
      const names = async (q: string): Promise<string[]> => (await call(kong, 'GET', `/services?tags=${q}`)).body.data.map((s: { name: string }) => s.name).sort();
      expect(await names('x,y')).to.deep.equal(['a']);
      expect(await names('y/z')).to.deep.equal(['a', 'c']);
      const mixed = await call(kong, 'GET', '/services?tags=x,y/z');
      expect(mixed.body).to.deep.equal({ code: 11, name: 'invalid options', message: 'invalid option (tags: invalid filter syntax)', options: { tags: 'invalid filter syntax' } });
      expect((await call(kong, 'GET', '/services?tags=a,b,c,d,e,f')).body.message).to.equal('invalid option (tags: cannot query more than 5 tags)');
      expect((await call(kong, 'GET', '/services?tags=')).body.message).to.equal('invalid option (tags: cannot be null)');
      // Nested lists ignore tags.
      await call(kong, 'POST', '/services/a/routes', { paths: ['/a'], tags: ['x'] });
      expect((await call(kong, 'GET', '/services/a/routes?tags=nomatch')).body.data).to.have.length(1);
    });

    it('answers unknown paths 404, unrouted methods 405, bodies without a content type 415, bad JSON 400', async () => {
      expect((await call(kong, 'GET', '/nope')).body).to.deep.equal({ message: 'Not found' });
      expect((await call(kong, 'DELETE', '/routes')).body).to.deep.equal({ message: 'Method not allowed' });
      const res = await fetch(`${kong.url}/services`, { method: 'POST', body: Buffer.from('{"host":"x"}') });
      expect(res.status).to.equal(415);
      expect((await call(kong, 'POST', '/services', '{not json')).body).to.deep.equal({ message: 'Cannot parse JSON body' });
      const options = await call(kong, 'OPTIONS', '/services');
      expect(options.status).to.equal(204);
      expect(options.headers.get('allow')).to.contain('PATCH');
    });

    it('deletes a certificate\'s SNIs with it and lists SNI names on the certificate', async function () {
      this.timeout(20_000);
      const { makeTlsMaterial } = await import('./tls-fixtures.ts');
      const tls = makeTlsMaterial();
      const cert = await call(kong, 'POST', '/certificates', { cert: tls.serverCert, key: tls.serverKey, snis: ['b.example.com', 'a.example.com'] });
      expect(cert.status).to.equal(201);
      expect(cert.body.snis).to.deep.equal(['a.example.com', 'b.example.com']);
      expect((await call(kong, 'GET', '/certificates/a.example.com')).body.id).to.equal(cert.body.id);
      expect((await call(kong, 'GET', '/certificates/unknown.example.com')).body).to.deep.equal({ message: 'SNI not found' });
      await call(kong, 'DELETE', `/certificates/${String(cert.body.id)}`);
      expect(kong.state.snis).to.deep.equal([]);
    });
  });

  describe('faults', () => {
    let kong: KongDouble;
    beforeEach(async () => { kong = await startKongDouble({ mode: 'dbless' }); });
    afterEach(async () => { await kong.close(); });

    it('refuses connections while down and serves again when up, keeping its state', async () => {
      await call(kong, 'POST', '/config', { _format_version: '3.0', upstreams: [{ name: 'u.internal' }] });
      await kong.down();
      const error = await fetch(`${kong.url}/status`).catch((e: unknown) => e) as Error & { cause?: { code?: string } };
      expect(error.cause?.code).to.equal('ECONNREFUSED');
      await kong.up();
      expect(kong.state.upstreams).to.have.length(1);
      expect((await call(kong, 'GET', '/status')).status).to.equal(200);
    });

    it('fails the next requests with a chosen status, then recovers', async () => {
      kong.failNext(2, 503);
      expect((await call(kong, 'GET', '/')).status).to.equal(503);
      expect((await call(kong, 'GET', '/')).status).to.equal(503);
      expect((await call(kong, 'GET', '/')).status).to.equal(200);
    });

    it('runs as its own process with a control API on the same port', async function () {
      this.timeout(20_000);
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/kong-double/main.ts', '--mode', 'db', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          child.stdout.on('data', (chunk: Buffer) => {
            const match = /listening on (\S+)/.exec(chunk.toString());
            if (match?.[1]) resolve(match[1]);
          });
          child.on('exit', (code) => reject(new Error(`double exited ${String(code)}`)));
        });
        await fetch(`${url}/services`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 's', host: 'h.internal' }) });
        const state = await (await fetch(`${url}/__double/state`)).json() as { mode: string; entities: { services: unknown[] } };
        expect(state.mode).to.equal('db');
        expect(state.entities.services).to.have.length(1);
        await fetch(`${url}/__double/faults`, { method: 'POST', body: JSON.stringify({ failNext: { count: 1, status: 502 } }) });
        expect((await fetch(`${url}/status`)).status).to.equal(502);
        const log = await (await fetch(`${url}/__double/requests`)).json() as { method: string; status: number }[];
        expect(log.map((r) => r.status)).to.deep.equal([201, 502]);
      } finally {
        child.kill('SIGTERM');
      }
    });
  });
});
