// `meshdoor controller` flags: defaults, repeatable flags, durations, and
// usage errors that name the flag.
import { expect } from 'chai';
import { CONTROLLER_OPTIONS, CONTROLLER_USAGE, envName, parseControllerFlags, parseDuration } from '../../src/controller/controller-flags.ts';

describe('controller flags', () => {
  it('has defaults that work in a cluster', () => {
    const f = parseControllerFlags([]);
    expect(f).to.include({
      meshdoor: 'default', kongMode: 'auto', leaderElect: true, dblessPushFromAllReplicas: true,
      syncHoldoffMs: 100, syncMaxDelayMs: 1000, resyncPeriodMs: 300_000, gatewayCheckPeriodMs: 10_000, watchTimeoutMs: 300_000, gatewayStatusPollMs: 1000,
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

  it('takes the TLS name for static admin URLs', () => {
    expect(parseControllerFlags(['--kong-admin-url', 'https://10.0.0.1:8444', '--kong-admin-server-name', 'kong-admin.kong.svc']).kongAdminServerName).to.equal('kong-admin.kong.svc');
  });

  it('parses durations', () => {
    expect([parseDuration('250ms', 'x'), parseDuration('2s', 'x'), parseDuration('5m', 'x'), parseDuration('1.5s', 'x'), parseDuration('40', 'x')])
      .to.deep.equal([250, 2000, 300_000, 1500, 40]);
  });

  it('reads the Secret watch scope (namespace by default)', () => {
    expect(parseControllerFlags([]).secretWatch).to.equal('namespace');
    expect(parseControllerFlags(['--secret-watch', 'cluster']).secretWatch).to.equal('cluster');
    expect(() => parseControllerFlags(['--secret-watch', 'secret'])).to.throw(/--secret-watch/);
  });

  it('rejects mistakes with a message naming the flag', () => {
    expect(() => parseControllerFlags(['--kong-mode', 'hybrid'])).to.throw(/--kong-mode/);
    expect(() => parseControllerFlags(['--sync-holdoff', 'soon'])).to.throw(/--sync-holdoff/);
    expect(() => parseControllerFlags(['--sync-holdoff', '2s', '--sync-max-delay', '1s'])).to.throw(/--sync-max-delay/);
    expect(() => parseControllerFlags(['--kong-admin-url', 'ftp://x'])).to.throw(/--kong-admin-url/);
    expect(() => parseControllerFlags(['--metrics-port', '70000'])).to.throw(/--metrics-port/);
    expect(() => parseControllerFlags(['--watch-timeout', '500ms'])).to.throw(/--watch-timeout/);
    expect(() => parseControllerFlags(['--kong-client-cert-file', 'c.pem'])).to.throw(/--kong-client-key-file/);
    expect(() => parseControllerFlags(['--log-level', 'trace'])).to.throw(/--log-level/);
    expect(() => parseControllerFlags(['--bogus'])).to.throw(/bogus/);
  });

  describe('MESHDOOR_<FLAG> environment variables', () => {
    it('sets every flag, repeatable ones as comma-separated lists and booleans as true/false', () => {
      const f = parseControllerFlags([], {
        MESHDOOR_MESHDOOR: 'edge', MESHDOOR_WATCH_NAMESPACE: 'a, b', MESHDOOR_KONG_ADMIN_URL: 'http://10.0.0.1:8001,http://10.0.0.2:8001',
        MESHDOOR_LEADER_ELECT: 'false', MESHDOOR_SYNC_HOLDOFF: '250ms', MESHDOOR_LOG_FORMAT: 'text', MESHDOOR_METRICS_PORT: '9100',
      });
      expect(f).to.include({ meshdoor: 'edge', leaderElect: false, syncHoldoffMs: 250, logFormat: 'text', metricsPort: 9100 });
      expect(f.watchNamespaces).to.deep.equal(['a', 'b']);
      expect(f.kongAdminUrls).to.deep.equal(['http://10.0.0.1:8001', 'http://10.0.0.2:8001']);
    });

    it('lets the command line win over the variable', () => {
      const f = parseControllerFlags(['--watch-namespace', 'c', '--leader-elect', '--log-level=debug'], {
        MESHDOOR_WATCH_NAMESPACE: 'a,b', MESHDOOR_LEADER_ELECT: 'false', MESHDOOR_LOG_LEVEL: 'warn',
      });
      expect(f.watchNamespaces).to.deep.equal(['c']);
      expect(f).to.include({ leaderElect: true, logLevel: 'debug' });
    });

    it('names the variable of a bad value', () => {
      expect(() => parseControllerFlags([], { MESHDOOR_LEADER_ELECT: 'yes' })).to.throw('MESHDOOR_LEADER_ELECT must be true or false');
      expect(() => parseControllerFlags([], { MESHDOOR_KONG_MODE: 'hybrid' })).to.throw('--kong-mode must be one of');
    });

    it('maps every flag to a variable that works, and --help lists every flag and the rule', () => {
      for (const [flag, option] of Object.entries(CONTROLLER_OPTIONS)) {
        if (flag === 'help') continue;
        expect(CONTROLLER_USAGE, flag).to.include(`--${flag}`);
        expect(() => parseControllerFlags([], { [envName(flag)]: option.type === 'boolean' ? 'true' : 'x' }), envName(flag)).to.not.throw(/Unknown option/);
      }
      expect(CONTROLLER_USAGE).to.include('MESHDOOR_<FLAG>');
    });
  });
});
