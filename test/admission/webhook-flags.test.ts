import { expect } from 'chai';
import { CONTROLLER_USAGE, parseControllerFlags } from '../../src/controller/controller-flags.ts';

describe('admission: the controller\'s --webhook-* flags', () => {
  it('default to a managed webhook on 8443', () => {
    expect(parseControllerFlags([]).webhook).to.deep.equal({
      port: 8443, certificates: 'managed', secret: 'meshdoor-webhook-tls', configuration: 'meshdoor', service: 'meshdoor-webhook',
      servingNames: [], certLifetimeMs: 90 * 86_400_000, caLifetimeMs: 3 * 365 * 86_400_000, checkPeriodMs: 60_000,
    });
  });

  it('take values from the command line and MESHDOOR_ variables', () => {
    const flags = parseControllerFlags(['--webhook-port', '0', '--webhook-serving-name', '127.0.0.1'], { MESHDOOR_WEBHOOK_CERTIFICATES: 'provided' });
    expect(flags.webhook).to.deep.include({ port: 0, certificates: 'provided', servingNames: ['127.0.0.1'] });
  });

  it('refuse values that cannot work, naming the flag', () => {
    expect(() => parseControllerFlags(['--webhook-certificates', 'self'])).to.throw('--webhook-certificates must be one of managed, provided');
    expect(() => parseControllerFlags(['--webhook-port', '70000'])).to.throw('--webhook-port must be a port number');
    expect(() => parseControllerFlags(['--webhook-cert-lifetime', '10s'])).to.throw('--webhook-cert-check-period');
    expect(() => parseControllerFlags(['--webhook-ca-lifetime', '1h', '--webhook-cert-lifetime', '2h'])).to.throw('--webhook-ca-lifetime must not be shorter');
  });

  it('are all in the usage text', () => {
    for (const flag of ['port', 'certificates', 'secret', 'configuration', 'service', 'serving-name', 'cert-lifetime', 'ca-lifetime', 'cert-check-period']) {
      expect(CONTROLLER_USAGE).to.contain(`--webhook-${flag} `);
    }
  });
});
