import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { formatSchemaViolation } from './errors.ts';
import { validateEntity, type EntityType, type ValidateOptions } from './validate-entity.ts';

const compat: ValidateOptions = { routerFlavor: 'traditional_compatible' };
const traditional: ValidateOptions = { routerFlavor: 'traditional' };
const expressions: ValidateOptions = { routerFlavor: 'expressions' };
const SERVICE_ID = 'a4fbd24e-6a52-4937-bd78-2536713072d2';
const pem = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');

function errorsOf(type: EntityType, input: Record<string, unknown>, opts = compat): unknown {
  return validateEntity(type, input, opts).errors;
}

type Case = [string, EntityType, Record<string, unknown>, unknown];

function table(cases: Case[], opts = compat): void {
  for (const [title, type, input, expected] of cases) {
    it(title, () => expect(errorsOf(type, input, opts)).to.deep.equal(expected));
  }
}

describe('validateEntity: shared typedefs', () => {
  table([
    ['utf8_name rejects ascii punctuation', 'services', { name: 'a b', host: 'x' },
      { name: "invalid value 'a b': the only accepted ascii characters are alphanumerics or ., -, _, and ~" }],
    ['utf8_name accepts non-ascii', 'services', { name: 'Конг🦍', host: 'x' }, null],
    ['empty strings are too short', 'services', { name: '', host: 'x' }, { name: 'length must be at least 1' }],
    ['tags must be strings', 'services', { host: 'x', tags: ['ok', 5] }, { tags: [null, 'expected a string'] }],
    ['tags reject , and /', 'services', { host: 'x', tags: ['a,b'] },
      { tags: ["invalid tag 'a,b': expected printable ascii (except `,` and `/`) or valid utf-8 sequences"] }],
    ['tags allow spaces', 'services', { host: 'x', tags: ['k8s-name: a b'] }, null],
    ['host must not carry a port', 'services', { host: 'example.com:80' }, { host: 'must not have a port' }],
    ['host must be a hostname or IP', 'services', { host: 'exa mple' }, { host: 'invalid value: exa mple' }],
    ['port range', 'services', { host: 'x', port: 70000 }, { port: 'value should be between 0 and 65535' }],
    ['port is an integer', 'services', { host: 'x', port: 80.5 }, { port: 'expected an integer' }],
    ['protocol set', 'services', { host: 'x', protocol: 'ftp' },
      { protocol: 'expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp' }],
    ['unknown fields', 'services', { host: 'x', colour: 'red' }, { colour: 'unknown field' }],
    ['path starts with /', 'services', { host: 'x', path: 'foo' }, { path: 'should start with: /' }],
    ['path has no empty segments', 'services', { host: 'x', path: '/a//b' }, { path: 'must not have empty segments' }],
    ['path characters are RFC 3986', 'services', { host: 'x', path: '/a b' },
      { path: "invalid path: '/a b' (characters outside of the reserved list of RFC 3986 found)" }],
    ['path percent-escapes are complete', 'services', { host: 'x', path: '/a%2' }, { path: "invalid url-encoded value: '%2'" }],
  ]);
});

describe('validateEntity: services', () => {
  table([
    ['host is required', 'services', {}, { host: 'required field missing' }],
    ['path must be null for tcp', 'services', { host: 'x', protocol: 'tcp', path: '/p' },
      { path: 'value must be null', '@entity': ["failed conditional validation given value of field 'protocol'"] }],
    ['path must be null for grpc', 'services', { host: 'x', protocol: 'grpc', path: '/p' },
      { path: 'value must be null', '@entity': ["failed conditional validation given value of field 'protocol'"] }],
    ['tls_verify only for https/tls', 'services', { host: 'x', tls_verify: true },
      { tls_verify: 'value must be null', '@entity': ["failed conditional validation given value of field 'protocol'"] }],
    ['timeouts are at least 1', 'services', { host: 'x', read_timeout: 0 },
      { read_timeout: 'value should be between 1 and 2147483646' }],
    ['retries range', 'services', { host: 'x', retries: 32768 }, { retries: 'value should be between 0 and 32767' }],
    ['url must be a string', 'services', { url: 5 }, { url: 'expected a string' }],
  ]);

  it('fills defaults and shows every field', () => {
    const { entity, errors } = validateEntity('services', { host: 'x', id: SERVICE_ID }, compat);
    expect(errors).to.equal(null);
    expect(entity).to.deep.equal({
      id: SERVICE_ID, created_at: null, updated_at: null, name: null, retries: 5, protocol: 'http', host: 'x',
      port: 80, path: null, connect_timeout: 60000, write_timeout: 60000, read_timeout: 60000, tags: null,
      client_certificate: null, tls_verify: null, tls_verify_depth: null, ca_certificates: null, enabled: true,
    });
  });

  it('expands url, inferring the scheme from the port and the port from the scheme', () => {
    const pick = (url: string): unknown => {
      const e = validateEntity('services', { url }, compat).entity;
      return [e['protocol'], e['host'], e['port'], e['path']];
    };
    expect(pick('https://example.com/api')).to.deep.equal(['https', 'example.com', 443, '/api']);
    expect(pick('http://example.com:8080')).to.deep.equal(['http', 'example.com', 8080, null]);
    expect(pick('grpc://example.com')).to.deep.equal(['grpc', 'example.com', 80, null]);
    expect(validateEntity('services', { url: 'x' }, compat).errors).to.deep.equal({
      host: 'required field missing', path: 'should start with: /' });
  });

  it('stamps timestamps and ids when asked', () => {
    const { entity } = validateEntity('services', { host: 'x' }, { ...compat, now: 1700000000, newId: () => SERVICE_ID });
    expect([entity['id'], entity['created_at'], entity['updated_at']]).to.deep.equal([SERVICE_ID, 1700000000, 1700000000]);
  });
});

describe('validateEntity: routes', () => {
  table([
    ['an empty route needs a matching field (https)', 'routes', {},
      { '@entity': ["must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'"] }],
    ['http-only routes do not list snis', 'routes', { protocols: ['http'] },
      { '@entity': ["must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'"] }],
    ['grpcs routes', 'routes', { protocols: ['grpcs'] },
      { '@entity': ["must set one of 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'grpcs'"] }],
    ['stream routes', 'routes', { protocols: ['tcp'] },
      { '@entity': ["must set one of 'sources', 'destinations', 'snis' when 'protocols' is 'tcp', 'tls' or 'udp'"] }],
    ['tls_passthrough needs snis', 'routes', { protocols: ['tls_passthrough'], sources: [{ ip: '127.0.0.1' }] },
      { '@entity': ["must set snis when 'protocols' is 'tls_passthrough'"] }],
    ['protocol subsets are exclusive', 'routes', { protocols: ['http', 'tcp'], paths: ['/'] },
      { protocols: "these sets are mutually exclusive: ('http', 'https'), ('tcp', 'tls', 'udp')" }],
    ['tls and tls_passthrough are exclusive', 'routes', { protocols: ['tls', 'tls_passthrough'], snis: ['a.test'] },
      { protocols: "these sets are mutually exclusive: ('tcp', 'tls', 'udp'), ('tls_passthrough')" }],
    ['protocols missing', 'routes', { protocols: null }, { protocols: 'required field missing' }],
    ['unknown protocol', 'routes', { protocols: ['ftp'] }, { protocols: 'unknown type: ftp' }],
    ['an empty protocols list has no subschema', 'routes', { protocols: [] }, { protocols: 'unknown type: nil' }],
    ['no methods on grpc', 'routes', { protocols: ['grpc'], paths: ['/'], methods: 'GET' },
      { methods: "cannot set 'methods' when 'protocols' is 'grpc' or 'grpcs'" }],
    ['no strip_path on grpc', 'routes', { protocols: ['grpc'], hosts: ['a.test'], strip_path: true },
      { strip_path: "cannot set 'strip_path' when 'protocols' is 'grpc' or 'grpcs'" }],
    ['no paths on stream routes', 'routes', { protocols: ['tcp'], sources: [{ ip: '127.0.0.1' }], paths: ['/'] },
      { paths: "cannot set 'paths' when 'protocols' is 'tcp', 'tls', 'tls_passthrough' or 'udp'" }],
    ['no sources on http routes', 'routes', { protocols: ['http'], paths: ['/'], sources: [{ ip: '1.2.3.4' }] },
      { sources: "cannot set 'sources' when 'protocols' is 'http' or 'https'" }],
    ['snis need a TLS protocol', 'routes', { protocols: ['tcp', 'udp'], snis: ['example.org'] },
      { snis: 'length must be 0',
        '@entity': ["'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'"] }],
    ['https_redirect_status_code set', 'routes', { paths: ['/'], https_redirect_status_code: 404 },
      { https_redirect_status_code: 'expected one of: 426, 301, 302, 307, 308' }],
    ['methods are uppercase', 'routes', { paths: ['/'], methods: ['get', 'GET'] }, { methods: ['invalid value: get'] }],
    ['sources need ip or port, ports in range', 'routes',
      { protocols: ['tcp'], sources: [{}, { ip: '127.75.78.72', port: 65536 }, { ip: 'localhost' }] },
      { sources: [{ '@entity': ["at least one of these fields must be non-empty: 'ip', 'port'"] },
        { port: 'value should be between 0 and 65535' }, { ip: "invalid ip or cidr range: 'localhost'" }] }],
  ]);

  describe('hosts', () => {
    table([
      ['wildcard placement', 'routes', { hosts: ['*example.com', 'www.example*', 'mock*bin.com'] },
        { hosts: Array(3).fill('invalid wildcard: must be placed at leftmost or rightmost label') }],
      ['one wildcard at most', 'routes', { hosts: ['*.example.*', '**.example.com'] },
        { hosts: Array(2).fill('invalid wildcard: must have at most one wildcard') }],
      ['hostnames', 'routes', { hosts: ['example-.org', 'hello..example.com', 'example:'] },
        { hosts: ['invalid hostname: example-.org', 'invalid hostname: hello..example.com', 'invalid hostname: example:'] }],
      ['port range', 'routes', { hosts: ['example.com:1000000'] }, { hosts: ['invalid port number'] }],
      ['valid forms', 'routes', { hosts: ['example.com', 'example.com:8080', '*.example.org:321', 'example.*', 'HELLO.com'] },
        null],
    ]);
  });

  describe('paths', () => {
    table([
      ['must start with / or ~/', 'routes', { paths: ['foo'] },
        { paths: ['should start with: / (fixed path) or ~/ (regex path)'] }],
      ['no empty segments', 'routes', { paths: ['/foo//bar', '//foo', '/foo/bar//'] },
        { paths: Array(3).fill('must not have empty segments') }],
      ['percent-escapes complete', 'routes', { paths: ['/some%2Gwords', '/some%20words%a'] },
        { paths: ["invalid url-encoded value: '%2G'", "invalid url-encoded value: '%a'"] }],
      ['prefix paths normalized', 'routes', { paths: ['/%c3%A4', '/a/./b', '/%25'] },
        { paths: ["non-normalized path, consider use '/ä' instead", "non-normalized path, consider use '/a/b' instead"] }],
      ['regex must compile', 'routes', { paths: ['~/users/(foo/profile'] },
        { paths: ["invalid regex: '/users/(foo/profile' (PCRE returned: pcre2_compile() failed: "
          + 'missing closing parenthesis in "/users/(foo/profile")'] }],
      ['valid prefix and regex paths', 'routes', { paths: ['/', '/abcd~user~2', '/ovo/', '~/\\/*/user$', '~/(?<id>\\d+)$'] }, null],
    ]);

    it('rejects look-around under traditional_compatible (Rust regex) with the router error', () => {
      const errs = errorsOf('routes', { paths: ['~/foo(?=bar)'] }) as { '@entity': string[] };
      expect(errs['@entity']).to.have.length(1);
      const [message] = errs['@entity'];
      expect(message).to.match(/^Router Expression failed validation: /);
      expect(message).to.contain('(http.path ~ r#"^/foo(?=bar)"#)');
      expect(message).to.contain('error: look-around, including look-ahead and look-behind, is not supported');
    });

    it('rejects backreferences under traditional_compatible', () => {
      const errs = errorsOf('routes', { paths: ['~/(a)\\1'] }) as { '@entity': string[] };
      expect(errs['@entity'][0]).to.contain('error: backreferences are not supported');
    });

    it('accepts look-around and backreferences under traditional (PCRE)', () => {
      expect(errorsOf('routes', { paths: ['~/foo(?=bar)', '~/(a)\\1'] }, traditional)).to.equal(null);
    });

    it('checks header regexes as Rust regexes too', () => {
      const errs = errorsOf('routes', { headers: { 'x-v': ['~*(?!a)'] } }) as { '@entity': string[] };
      expect(errs['@entity'][0]).to.contain('look-around');
    });
  });

  describe('headers', () => {
    table([
      ['no host header', 'routes', { headers: { HoSt: ['x'] } },
        { headers: "cannot contain 'host' header, which must be specified in the 'hosts' attribute" }],
      ['values are arrays', 'routes', { headers: { location: true } }, { headers: 'expected an array' }],
      ['values are non-empty strings', 'routes', { headers: { location: [''] } }, { headers: ['length must be at least 1'] }],
      ['names are tokens', 'routes', { headers: { 'x y': ['1'] } },
        { headers: "bad header name 'x y', allowed characters are A-Z, a-z, 0-9, '_', and '-'" }],
    ]);
  });

  describe('snis per flavor', () => {
    it('allows wildcard SNIs except under traditional', () => {
      const route = { protocols: ['https'], snis: ['*.example.org', 'example.*'] };
      expect(errorsOf('routes', route)).to.equal(null);
      expect(errorsOf('routes', route, traditional)).to.deep.equal({
        snis: ['invalid value: *.example.org', 'invalid value: example.*'] });
    });

    table([
      ['wildcards at an edge only', 'routes', { protocols: ['https'], snis: ['foo.*.test'] },
        { snis: ['wildcard must be leftmost or rightmost character'] }],
      ['no IPs', 'routes', { protocols: ['https'], snis: ['127.0.0.1'] }, { snis: ['must not be an IP'] }],
      ['no ports', 'routes', { protocols: ['https'], snis: ['example.org:80'] }, { snis: ['must not have a port'] }],
    ]);
  });

  describe('expressions flavor', () => {
    table([
      ['expression alone is valid', 'routes', { expression: 'http.path ^= "/foo" && http.method == "GET"', priority: 10 },
        null],
      ['expression with other fields', 'routes', { expression: 'http.path == "/x"', paths: ['/x'] },
        { '@entity': ["Router Expression failed validation: cannot set 'expression' with 'methods', 'hosts', "
          + "'paths', 'headers', 'snis', 'sources' or 'destinations' simultaneously"] }],
      ['priority with other fields', 'routes', { paths: ['/x'], priority: 3 },
        { '@entity': ["Router Expression failed validation: cannot set 'priority' with 'methods', 'hosts', "
          + "'paths', 'headers', 'snis', 'sources' or 'destinations' simultaneously"] }],
      ['nothing to match', 'routes', { protocols: ['http'] },
        { '@entity': ["must set one of 'methods', 'hosts', 'headers', 'paths', 'expression' when 'protocols' is 'http'"] }],
      ['priority range', 'routes', { expression: 'http.path == "/x"', priority: 2 ** 46 },
        { priority: 'value should be between 0 and 70368744177663' }],
    ], expressions);

    it('reports a bad expression as a router error', () => {
      const errs = errorsOf('routes', { expression: 'http.method == "GET" &&' }, expressions) as { '@entity': string[] };
      expect(errs['@entity'][0]).to.match(/^Router Expression failed validation: /);
    });

    it('has no expression field in the other flavors', () => {
      expect(errorsOf('routes', { paths: ['/'], expression: 'x' })).to.deep.equal({ expression: 'unknown field' });
    });
  });

  it('fills route defaults; grpc routes default strip_path to false', () => {
    const http = validateEntity('routes', { paths: ['/foo'], service: { id: SERVICE_ID } }, compat).entity;
    expect([http['protocols'], http['strip_path'], http['regex_priority'], http['https_redirect_status_code'],
      http['path_handling'], http['hosts'], http['service']]).to.deep.equal(
      [['http', 'https'], true, 0, 426, 'v0', null, { id: SERVICE_ID }]);
    expect(validateEntity('routes', { protocols: ['grpc'], paths: ['/'] }, compat).entity['strip_path']).to.equal(false);
  });

  it('de-duplicates sets like Kong does before validating', () => {
    expect(validateEntity('routes', { paths: ['/'], methods: ['GET', 'GET'] }, compat).entity['methods'])
      .to.deep.equal(['GET']);
  });

  it('validates the service foreign key', () => {
    expect(errorsOf('routes', { paths: ['/'], service: { id: 'blergh' } })).to.deep.equal(
      { service: { id: 'expected a valid UUID' } });
    expect(errorsOf('routes', { paths: ['/'], service: 'svc' })).to.deep.equal({ service: { id: 'missing primary key' } });
  });
});

describe('validateEntity: upstreams and targets', () => {
  table([
    ['name required', 'upstreams', {}, { name: 'required field missing' }],
    ['name is a hostname', 'upstreams', { name: 'a b' }, { name: "Invalid name ('a b'); must be a valid hostname" }],
    ['name is not an IP', 'upstreams', { name: '10.0.0.1' }, { name: "Invalid name ('10.0.0.1'); no ip addresses allowed" }],
    ['name has no port', 'upstreams', { name: 'svc:80' }, { name: "Invalid name ('svc:80'); no port allowed" }],
    ['hash_on header needs hash_on_header', 'upstreams', { name: 'u', hash_on: 'header' },
      { hash_on_header: 'required field missing', '@entity': ["failed conditional validation given value of field 'hash_on'"] }],
    ['fallback differs from hash_on', 'upstreams', { name: 'u', hash_on: 'ip', hash_fallback: 'ip' },
      { hash_fallback: 'expected one of: none, consumer, header, cookie, path, query_arg, uri_capture',
        '@entity': ["failed conditional validation given value of field 'hash_on'"] }],
    ['headers differ', 'upstreams', { name: 'u', hash_on: 'header', hash_on_header: 'a', hash_fallback: 'header',
      hash_fallback_header: 'a' }, { '@entity': ["values of these fields must be distinct: 'hash_on_header', 'hash_fallback_header'"] }],
    ['healthcheck ranges', 'upstreams', { name: 'u', healthchecks: { active: { concurrency: -1 } } },
      { healthchecks: { active: { concurrency: 'value should be between 1 and 2147483648' } } }],
    ['slots range', 'upstreams', { name: 'u', slots: 5 }, { slots: 'value should be between 10 and 65536' }],
    ['target required', 'targets', { upstream: { id: SERVICE_ID } }, { target: 'required field missing' }],
    ['upstream required', 'targets', { target: '10.0.0.1' }, { upstream: 'required field missing' }],
    ['target is a host', 'targets', { upstream: { id: SERVICE_ID }, target: 'hostname:1.0' },
      { target: 'Invalid target; not a valid hostname or ip address' }],
    ['weight range', 'targets', { upstream: { id: SERVICE_ID }, target: 'a', weight: 70000 },
      { weight: 'value should be between 0 and 65535' }],
  ]);

  it('fills healthcheck defaults and applies hash_on side effects', () => {
    const e = validateEntity('upstreams', { name: 'u', hash_on: 'ip' }, compat).entity;
    expect(e['algorithm']).to.equal('consistent-hashing');
    const hc = e['healthchecks'] as { active: Record<string, unknown>; threshold: number };
    expect([hc.active['type'], hc.active['concurrency'], hc.active['http_path'], hc.threshold]).to.deep.equal(
      ['http', 10, '/', 0]);
    expect(validateEntity('upstreams', { name: 'u', healthchecks: { active: { concurrency: 3 } } }, compat).entity)
      .to.have.nested.property('healthchecks.active.healthy.http_statuses').that.deep.equals([200, 302]);
  });

  it('normalizes targets to host:port with default port 8000, IPv6 bracketed', () => {
    const target = (t: string): unknown => validateEntity('targets', { upstream: { id: SERVICE_ID }, target: t }, compat)
      .entity['target'];
    expect(target('10.0.0.1')).to.equal('10.0.0.1:8000');
    expect(target('010.000.000.001:80')).to.equal('10.0.0.1:80');
    expect(target('svc.ns.svc.cluster.local')).to.equal('svc.ns.svc.cluster.local:8000');
    expect(target('::1')).to.equal('[0000:0000:0000:0000:0000:0000:0000:0001]:8000');
    expect(target('[::1]:80')).to.equal('[0000:0000:0000:0000:0000:0000:0000:0001]:80');
  });
});

describe('validateEntity: certificates and snis', () => {
  const ecCert = pem('ec.crt');
  const ecKey = pem('ec.key');

  it('accepts a matching certificate and key', () => {
    expect(errorsOf('certificates', { cert: ecCert, key: ecKey })).to.equal(null);
  });

  table([
    ['cert and key required', 'certificates', {}, { cert: 'required field missing', key: 'required field missing' }],
    ['key must match', 'certificates', { cert: pem('ec.crt'), key: pem('other-ec.key') },
      { '@entity': ['certificate does not match key'] }],
    ['cert_alt needs key_alt', 'certificates', { cert: pem('ec.crt'), key: pem('ec.key'), cert_alt: pem('rsa.crt') },
      { '@entity': ["all or none of these fields must be set: 'cert_alt', 'key_alt'"] }],
    ['alternative must match too', 'certificates',
      { cert: pem('ec.crt'), key: pem('ec.key'), cert_alt: pem('rsa.crt'), key_alt: pem('other-ec.key') },
      { '@entity': ['alternative certificate does not match key'] }],
    ['alternative must differ in type', 'certificates',
      { cert: pem('ec.crt'), key: pem('ec.key'), cert_alt: pem('ec.crt'), key_alt: pem('ec.key') },
      { '@entity': ['certificate and alternative certificate need to have different type (e.g. RSA and ECDSA), '
        + 'the provided certificates were both of the same type'] }],
    ['sni name required', 'snis', { certificate: { id: SERVICE_ID } }, { name: 'required field missing' }],
    ['sni certificate required', 'snis', { name: 'a.test' }, { certificate: 'required field missing' }],
    ['sni wildcard placement', 'snis', { name: 'a.*.test', certificate: { id: SERVICE_ID } },
      { name: 'wildcard must be leftmost or rightmost character' }],
    ['sni accepts wildcards', 'snis', { name: '*.example.test', certificate: { id: SERVICE_ID } }, null],
  ]);

  it('reports unparsable PEM on the field', () => {
    const errs = errorsOf('certificates', { cert: 'garbage', key: 'garbage' }) as Record<string, string>;
    expect(errs['cert']).to.match(/^invalid certificate: /);
    expect(errs['key']).to.match(/^invalid key: /);
    expect(errs).to.not.have.property('@entity');
  });

  it('accepts an RSA cert with an EC alternative', () => {
    expect(errorsOf('certificates', { cert: pem('rsa.crt'), key: pem('rsa.key'), cert_alt: ecCert, key_alt: ecKey }))
      .to.equal(null);
  });
});

describe('formatSchemaViolation', () => {
  it('formats one violation', () => {
    const body = formatSchemaViolation({ port: 'value should be between 0 and 65535' });
    expect(body).to.deep.equal({ code: 2, name: 'schema violation',
      message: 'schema violation (port: value should be between 0 and 65535)',
      fields: { port: 'value should be between 0 and 65535' } });
  });

  it('lists entity errors first, then fields sorted, array elements 1-based', () => {
    const errors = errorsOf('routes', { protocols: ['tcp', 'udp'], snis: ['example.org'], methods: ['get'] }) as never;
    expect(formatSchemaViolation(errors).message).to.equal('3 schema violations ('
      + "'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'; "
      + "methods: cannot set 'methods' when 'protocols' is 'tcp', 'tls', 'tls_passthrough' or 'udp'; "
      + 'snis: length must be 0)');
    expect(formatSchemaViolation({ paths: [null, 'bad'], host: 'x' }).message)
      .to.equal('2 schema violations (host: x; paths.2: bad)');
  });

  it('prints nested tables Lua-style', () => {
    expect(formatSchemaViolation({ service: { id: 'expected a valid UUID' } }).message)
      .to.equal('schema violation (service.id: expected a valid UUID)');
    expect(formatSchemaViolation({ sources: [null, { port: 'p' }] }).message)
      .to.equal('schema violation (sources.2: {\n  port = "p"\n})');
  });
});
