import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { kongEntityId, kongTargetId } from '../../../../src/model/index.ts';
import { validateDeclarativeConfig, type DeclarativeOptions } from './validate-declarative.ts';

const opts: DeclarativeOptions = { routerFlavor: 'traditional_compatible', flattenErrors: false };
const flat: DeclarativeOptions = { ...opts, flattenErrors: true };
const pem = (name: string): string => readFileSync(new URL(`../testdata/${name}`, import.meta.url), 'utf8');

function body(config: unknown, o = opts): Record<string, unknown> {
  const r = validateDeclarativeConfig(config, o);
  if (r.ok) throw new Error('expected the config to be rejected');
  return r.body as unknown as Record<string, unknown>;
}

function entities(config: unknown): Record<string, Record<string, unknown>[]> {
  const r = validateDeclarativeConfig(config, opts);
  if (!r.ok) throw new Error(JSON.stringify(r.body));
  return r.entities;
}

describe('validateDeclarativeConfig: accepted configs', () => {
  it('flattens nested entities with deterministic ids and {id} foreign keys', () => {
    const e = entities({
      _format_version: '3.0',
      services: [{ name: 'my-service', url: 'http://example.com/api', routes: [{ name: 'my-route', paths: ['/'] }] }],
      upstreams: [{ name: 'up.svc', targets: [{ target: '10.0.0.1:80' }, { target: '10.0.0.2' }] }],
    });
    const serviceId = '0855b320-0dd2-547d-891d-601e9b38647f';
    expect(e['services']?.[0]).to.include({ id: serviceId, host: 'example.com', path: '/api', port: 80 });
    expect(e['routes']?.[0]).to.deep.include({ id: '481a9539-f49c-51b6-b2e2-fe99ee68866c', service: { id: serviceId } });
    const upstreamId = kongEntityId('upstreams', 'up.svc');
    // The default port is added when the target is stored, not in the parsed config.
    expect(e['targets']?.map((t) => [t['id'], t['target'], t['upstream']])).to.deep.equal([
      [kongTargetId(upstreamId, '10.0.0.1:80'), '10.0.0.1:80', { id: upstreamId }],
      [kongTargetId(upstreamId, '10.0.0.2'), '10.0.0.2', { id: upstreamId }],
    ]);
  });

  it('resolves top-level references by name, by id and as {id}', () => {
    const svcId = kongEntityId('services', 's');
    const e = entities({
      _format_version: '3.0',
      services: [{ name: 's', host: 'x' }],
      routes: [{ name: 'a', paths: ['/a'], service: 's' }, { name: 'b', paths: ['/b'], service: svcId },
        { name: 'c', paths: ['/c'], service: { id: svcId } }],
    });
    expect(e['routes']?.map((r) => r['service'])).to.deep.equal([{ id: svcId }, { id: svcId }, { id: svcId }]);
  });

  it('gives certificates and their SNIs random ids, new on every load', () => {
    const config = { _format_version: '3.0', certificates: [{ cert: pem('ec.crt'), key: pem('ec.key'), snis: [{ name: 'example.test' }] }] };
    const e = entities(structuredClone(config));
    const cert = e['certificates']?.[0];
    expect(cert?.['id']).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    expect(e['snis']?.[0]).to.deep.include({ certificate: { id: cert?.['id'] } });
    expect(e['snis']?.[0]?.['id']).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    expect(entities(structuredClone(config))['snis']?.[0]?.['id']).to.not.equal(e['snis']?.[0]?.['id']);
  });

  it('migrates format 1.1 route paths (regex-looking ones get ~)', () => {
    const e = entities({ _format_version: '1.1', routes: [{ name: 'r', paths: ['/foo', '/bar/\\d+'] }] });
    expect(e['routes']?.[0]?.['paths']).to.deep.equal(['/foo', '~/bar/\\d+']);
  });
});

describe('validateDeclarativeConfig: rejected configs', () => {
  it('reports schema errors at their place in the input', () => {
    const b = body({ _format_version: '3.0', services: [{ port: 70000 }] });
    expect(b).to.deep.equal({
      code: 14, name: 'invalid declarative configuration',
      message: 'declarative config is invalid: {services={{host="required field missing",'
        + 'port="value should be between 0 and 65535"}}}',
      fields: { services: [{ host: 'required field missing', port: 'value should be between 0 and 65535' }] },
    });
  });

  it('checks _format_version and unknown top-level keys', () => {
    expect(body({ services: [] })['fields']).to.deep.equal({ _format_version: 'required field missing' });
    expect(body({ _format_version: '4.0', colour: 1 })['fields']).to.deep.equal({
      _format_version: 'expected one of: 1.1, 2.1, 3.0', colour: 'unknown field' });
  });

  it('forbids foreign keys on nested children, even a different one', () => {
    const b = body({ _format_version: '3.0', services: [{ name: 's', host: 'x',
      routes: [{ paths: ['/'], service: 's' }] }] });
    expect(b['fields']).to.deep.equal({ services: [{ routes: [{ service: 'value must be null' }] }] });
  });

  it('reports duplicate names and duplicate ids as uniqueness violations', () => {
    expect(body({ _format_version: '3.0', services: [{ name: 'foo', host: 'a' }, { name: 'foo', host: 'b' }] }))
      .to.deep.include({
        fields: { services: [null, "uniqueness violation: 'services' entity with name set to 'foo' already declared"] },
        message: "declarative config is invalid: {services={[2]=\"uniqueness violation: 'services' entity with name "
          + "set to 'foo' already declared\"}}",
      });
    const id = kongEntityId('services', 'foo');
    expect(body({ _format_version: '3.0', services: [{ name: 'foo', host: 'a' }, { id, name: 'bar', host: 'b' }] })['fields'])
      .to.deep.equal({ services: [null, `uniqueness violation: 'services' entity with primary key set to '${id}' already declared`] });
  });

  it('gives two identical nested targets the same id, as Kong does', () => {
    const b = body({ _format_version: '3.0', upstreams: [{ name: 'u', id: 'f9792964-6797-482c-bfdf-08220a4f6839',
      targets: [{ target: '10.244.0.12:80' }, { target: '10.244.0.12:80' }] }] });
    expect(b['fields']).to.deep.equal({ upstreams: [{ targets: [null, "uniqueness violation: 'targets' entity with "
      + "primary key set to '48322e4a-b3b0-591b-8ed6-fd95a6d75019' already declared"] }] });
  });

  it('reports references to missing parents', () => {
    expect(body({ _format_version: '3.0', routes: [{ paths: ['/'], service: 'nope' }] })['fields']).to.deep.equal({
      routes: ["invalid reference 'service: nope' (no such entry in 'services')"] });
  });

  it('answers a missing or non-object config like Kong', () => {
    expect(validateDeclarativeConfig(undefined, opts)).to.deep.equal(
      { ok: false, body: { message: 'expected a declarative configuration' } });
    expect(body('x')['fields']).to.deep.equal({ error: 'failed parsing declarative configuration: expected an object' });
  });
});

describe('validateDeclarativeConfig: flatten_errors', () => {
  const config = {
    _format_version: '3.0',
    abnormal_extra_field: 123,
    services: [
      { host: 'localhost', name: 'nope', port: 1234, protocol: 'nope', tags: ['service-01'], routes: [
        { hosts: ['test'], methods: ['GET'], name: 'valid.route' },
        { name: 'nope.route', protocols: ['tcp'], tags: ['route_service-02', 'service-01'] },
      ] },
      { host: 'localhost', name: 'mis-matched', path: '/path', protocol: 'tcp', tags: ['service-02'] },
      { id: 'cb019421-62c2-47a8-b714-d7567b114037', name: 'test', host: 'x',
        routes: [{ super_duper_invalid: true, tags: ['route-01'] }] },
    ],
  };

  it('moves entity errors into flattened_errors in Kong order, leaving top-level errors in fields', () => {
    const b = body(config, flat);
    expect(b['fields']).to.deep.equal({ abnormal_extra_field: 'unknown field' });
    expect(b['message']).to.equal('declarative config is invalid: {abnormal_extra_field="unknown field"}');
    expect(b['flattened_errors']).to.deep.equal([
      { entity_type: 'route', entity_tags: ['route-01'],
        entity: { super_duper_invalid: true, tags: ['route-01'], service: { id: 'cb019421-62c2-47a8-b714-d7567b114037' } },
        errors: [
          { type: 'field', field: 'super_duper_invalid', message: 'unknown field' },
          { type: 'entity', message: "must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'" },
        ] },
      { entity_type: 'service', entity_name: 'mis-matched', entity_tags: ['service-02'],
        entity: { host: 'localhost', name: 'mis-matched', path: '/path', protocol: 'tcp', tags: ['service-02'] },
        errors: [
          { type: 'field', field: 'path', message: 'value must be null' },
          { type: 'entity', message: "failed conditional validation given value of field 'protocol'" },
        ] },
      { entity_type: 'route', entity_name: 'nope.route', entity_tags: ['route_service-02', 'service-01'],
        entity: { name: 'nope.route', protocols: ['tcp'], tags: ['route_service-02', 'service-01'] },
        errors: [{ type: 'entity',
          message: "must set one of 'sources', 'destinations', 'snis' when 'protocols' is 'tcp', 'tls' or 'udp'" }] },
      { entity_type: 'service', entity_name: 'nope', entity_tags: ['service-01'],
        entity: { host: 'localhost', name: 'nope', port: 1234, protocol: 'nope', tags: ['service-01'] },
        errors: [{ type: 'field', field: 'protocol',
          message: 'expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp' }] },
    ]);
  });

  it('names nested fields with dots and array positions 1-based, last first', () => {
    const b = body({ _format_version: '3.0', services: [{ name: 'svc', host: 'x', tags: ['ok', 1, 2] }],
      upstreams: [{ name: 'bad', healthchecks: { active: { concurrency: -1 } }, host_header: 123 }] }, flat);
    const items = b['flattened_errors'] as { entity_type: string; errors: unknown[] }[];
    expect(items.map((i) => [i.entity_type, i.errors])).to.deep.equal([
      ['upstream', [{ type: 'field', field: 'host_header', message: 'expected a string' },
        { type: 'field', field: 'healthchecks.active.concurrency', message: 'value should be between 1 and 2147483648' }]],
      ['service', [{ type: 'field', field: 'tags.3', message: 'expected a string' },
        { type: 'field', field: 'tags.2', message: 'expected a string' }]],
    ]);
  });

  it('reports uniqueness and reference errors as entity errors with the entity id', () => {
    const b = body({ _format_version: '3.0', upstreams: [{ name: 'u', id: 'f9792964-6797-482c-bfdf-08220a4f6839',
      targets: [{ target: '10.244.0.12:80', tags: ['t1'] }, { target: '10.244.0.12:80', tags: ['t2'] }] }],
    routes: [{ name: 'r', paths: ['/'], service: 'missing' }] }, flat);
    expect(b['fields']).to.deep.equal({});
    expect(b['flattened_errors']).to.deep.equal([
      // By now the ids are filled in, and the reported entities carry them.
      { entity_type: 'target', entity_id: '48322e4a-b3b0-591b-8ed6-fd95a6d75019', entity_tags: ['t2'],
        entity: { id: '48322e4a-b3b0-591b-8ed6-fd95a6d75019', target: '10.244.0.12:80', tags: ['t2'], upstream: { id: 'f9792964-6797-482c-bfdf-08220a4f6839' } },
        errors: [{ type: 'entity', message: "uniqueness violation: 'targets' entity with primary key set to "
          + "'48322e4a-b3b0-591b-8ed6-fd95a6d75019' already declared" }] },
      { entity_type: 'route', entity_id: 'da7ba03a-f1be-52d4-8a7e-c8f32640689a', entity_name: 'r',
        entity: { id: 'da7ba03a-f1be-52d4-8a7e-c8f32640689a', name: 'r', paths: ['/'], service: 'missing' },
        errors: [{ type: 'entity', message: "invalid reference 'service: missing' (no such entry in 'services')" }] },
    ]);
  });
});
