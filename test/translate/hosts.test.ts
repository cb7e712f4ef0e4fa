import { expect } from 'chai';
import { checkIngressHost } from '../../src/translate/hosts.ts';
import { allRoutes, ingress, reasons, rule, run, service } from './builders.ts';

describe('checkIngressHost', () => {
  const valid = ['foo.bar.com', 'a', 'x-1.example', '*.foo.com', '*.a'];
  const invalid = ['Foo.com', '*', '*.', 'foo.*.com', 'foo*.com', 'a..b', '-a.com', 'a-.com', '10.0.0.1', 'foo.com:80', 'foo_bar.com', `${'a'.repeat(64)}.com`, '**.foo.com'];
  for (const host of valid) it(`accepts ${host}`, () => expect(checkIngressHost(host)).to.equal(null));
  for (const host of invalid) it(`rejects ${host}`, () => expect(checkIngressHost(host)).to.be.a('string'));
  it('says an IPv4 or IPv6 address is one, and takes a name of digits and letters for a name', () => {
    for (const address of ['10.0.0.1', '::1', '2001:db8::1', '::ffff:10.0.0.1']) expect(checkIngressHost(address), address).to.contain('is an IP address');
    expect(checkIngressHost('10.0.0.1a')).to.equal(null);
    expect(checkIngressHost('1.2.3')).to.equal(null);
  });
});

describe('translate: hosts', () => {
  const backend = service('web');

  it('routes exact and wildcard hosts, naming wildcards with _', () => {
    const result = run({
      ingresses: [ingress('site', { rules: [rule('*.foo.com', ['/', 'Prefix', 'web', 80]), rule('foo.bar.com', ['/', 'Prefix', 'web', 80])] })],
      services: [backend],
    });
    expect(allRoutes(result).map((r) => [r.name, r.hosts])).to.deep.equal([
      ['default.site.web._.foo.com.80', ['*.foo.com']],
      ['default.site.web.foo.bar.com.80', ['foo.bar.com']],
    ]);
  });

  it('leaves hosts unset (any host) and the host segment empty for a rule without host', () => {
    const result = run({ ingresses: [ingress('site', { rules: [rule(undefined, ['/', 'Prefix', 'web', 80])] })], services: [backend] });
    const [route] = allRoutes(result);
    expect(route?.name).to.equal('default.site.web..80');
    expect(route).to.not.have.property('hosts');
  });

  it('reports an invalid host, skips that rule only', () => {
    const result = run({
      ingresses: [ingress('site', { rules: [rule('Bad_Host.com', ['/', 'Prefix', 'web', 80]), rule('good.com', ['/', 'Prefix', 'web', 80])] })],
      services: [backend],
    });
    expect(reasons(result)).to.deep.equal(['Ingress/default/site:InvalidHost']);
    expect(result.failures[0]?.message).to.contain('Bad_Host.com');
    expect(allRoutes(result).map((r) => r.hosts)).to.deep.equal([['good.com']]);
  });

  it('skips rules without http paths', () => {
    const result = run({ ingresses: [ingress('site', { rules: [{ host: 'a.com' }, rule('b.com', ['/', 'Prefix', 'web', 80])] })], services: [backend] });
    expect(allRoutes(result).map((r) => r.hosts)).to.deep.equal([['b.com']]);
    expect(result.failures).to.deep.equal([]);
  });
});
