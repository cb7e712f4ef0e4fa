// `meshdoor controller` flags: defaults, repeatable flags, durations, and
// usage errors that name the flag.
import { expect } from 'chai';
import { parseControllerFlags, parseDuration } from '../../src/controller/controller-flags.ts';

describe('controller flags', () => {
  it('has defaults that work in a cluster', () => {
    const f = parseControllerFlags([]);
    expect(f).to.include({
      meshdoor: 'default', kongMode: 'auto', leaderElect: true, dblessPushFromAllReplicas: true,
      syncHoldoffMs: 100, syncMaxDelayMs: 1000, resyncPeriodMs: 300_000, gatewayCheckPeriodMs: 10_000, gatewayStatusPollMs: 1000,
      restartUnmeshedGateway: false, logLevel: 'info', metricsPort: 10254, bindAddress: '0.0.0.0', help: false,
    });
    expect(f.watchNamespaces).to.deep.equal([]);
    expect(f.kongAdminUrls).to.deep.equal([]);
  });

  it('takes repeatable and Go-style boolean flags', () => {
    const f = parseControllerFlags([
      '--watch-namespace', 'a', '--watch-namespace=b', '--kong-admin-url', 'https://10.0.0.1:8444',
      '--kong-admin-url', 'http://10.0.0.2:8001', '--leader-elect=false', '--no-dbless-push-from-all-replicas',
      '--restart-unmeshed-gateway', '--publish-status-address', '203.0.113.1', '--sync-holdoff', '250ms', '--sync-max-delay', '2s',
      '--gateway-status-poll', '500ms',
    ]);
    expect(f.gatewayStatusPollMs).to.equal(500);
    expect(f.watchNamespaces).to.deep.equal(['a', 'b']);
    expect(f.kongAdminUrls).to.have.length(2);
    expect(f).to.include({ leaderElect: false, dblessPushFromAllReplicas: false, restartUnmeshedGateway: true, syncHoldoffMs: 250, syncMaxDelayMs: 2000 });
    expect(f.publishStatusAddresses).to.deep.equal(['203.0.113.1']);
  });

  it('parses durations', () => {
    expect([parseDuration('250ms', 'x'), parseDuration('2s', 'x'), parseDuration('5m', 'x'), parseDuration('1.5s', 'x'), parseDuration('40', 'x')])
      .to.deep.equal([250, 2000, 300_000, 1500, 40]);
  });

  it('rejects mistakes with a message naming the flag', () => {
    expect(() => parseControllerFlags(['--kong-mode', 'hybrid'])).to.throw(/--kong-mode/);
    expect(() => parseControllerFlags(['--sync-holdoff', 'soon'])).to.throw(/--sync-holdoff/);
    expect(() => parseControllerFlags(['--sync-holdoff', '2s', '--sync-max-delay', '1s'])).to.throw(/--sync-max-delay/);
    expect(() => parseControllerFlags(['--kong-admin-url', 'ftp://x'])).to.throw(/--kong-admin-url/);
    expect(() => parseControllerFlags(['--metrics-port', '70000'])).to.throw(/--metrics-port/);
    expect(() => parseControllerFlags(['--kong-client-cert-file', 'c.pem'])).to.throw(/--kong-client-key-file/);
    expect(() => parseControllerFlags(['--log-level', 'trace'])).to.throw(/--log-level/);
    expect(() => parseControllerFlags(['--bogus'])).to.throw(/bogus/);
  });
});
