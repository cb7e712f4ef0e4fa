// Hosts meshdoor emits must be what Kong accepts and routes the way Kubernetes means.
import { expect } from 'chai';
import { readRecording } from '../kong/recordings-dir.ts';
import { allRoutes, ingress, reasons, rule, run, service } from './builders.ts';

const K = 'konghq.com/';

interface RoutingFile {
  flavors: Record<string, { cases: { id: string; request: { host: string | null }; result: { status: number; backend?: string } }[] }>;
}

describe('translate: hosts Kong routes as Kubernetes means', () => {
  const web = service('web');

  it('lower-cases host aliases: host names are case-insensitive, Kong compares them as written', () => {
    const result = run({
      ingresses: [ingress('site', { rules: [rule('a.example.com', ['/', 'Prefix', 'web', 80])] }, { annotations: { [`${K}host-aliases`]: 'B.Example.COM' } })],
      services: [web],
    });
    expect(reasons(result)).to.deep.equal([]);
    expect(allRoutes(result)[0]?.hosts).to.deep.equal(['a.example.com', 'b.example.com']);
  });

  it('refuses a host with a port: the recorded routers disagree on what it matches', () => {
    // routing/direct.json: route host `port.example.com:8000`, request Host without a port.
    const direct = readRecording<RoutingFile>('routing/direct.json');
    const outcome = (flavor: string) => direct.flavors[flavor]?.cases.find((c) => c.id === 'direct-033')?.result.status;
    expect([outcome('traditional_compatible'), outcome('expressions')]).to.deep.equal([200, 404]);

    const result = run({
      ingresses: [ingress('site', { rules: [rule('a.example.com', ['/', 'Prefix', 'web', 80])] }, { annotations: { [`${K}host-aliases`]: 'b.example.com:8080' } })],
      services: [web],
    });
    expect(reasons(result)).to.deep.equal(['Ingress/default/site:InvalidAnnotation']);
    expect(result.failures[0]?.message).to.contain("host 'b.example.com:8080' has a port");
  });

  it("checks a header regex with Kong's rules, not JavaScript's", () => {
    const accepted = run({
      ingresses: [ingress('site', { rules: [rule('a.example.com', ['/', 'Prefix', 'web', 80])] }, { annotations: { [`${K}headers.x-id`]: '~*^(?P<id>\\d+)$' } })],
      services: [web],
    });
    expect(reasons(accepted)).to.deep.equal([]);
    const refused = run({
      ingresses: [ingress('site', { rules: [rule('a.example.com', ['/', 'Prefix', 'web', 80])] }, { annotations: { [`${K}headers.x-id`]: '~*a\\Z' } })],
      services: [web],
    });
    expect(reasons(refused)).to.deep.equal(['Ingress/default/site:InvalidAnnotation']);
    expect(refused.failures[0]?.message).to.contain('is a regex Kong refuses (unrecognized escape sequence)');
  });
});
