import { expect } from 'chai';
import { canonicalJson, configHash } from '../../src/kong/config-hash.ts';
import { parseRetryAfter, retryDelay } from '../../src/kong/retry.ts';
import { KongAdminError } from '../../src/kong/admin-errors.ts';

describe('config hash', () => {
  it('is the same for the same data whatever the key order', () => {
    const a = { services: [{ name: 's', host: 'h', tags: ['x'] }], _format_version: '3.0' };
    const b = { _format_version: '3.0', services: [{ tags: ['x'], host: 'h', name: 's', extra: undefined }] };
    expect(canonicalJson(a)).to.equal(canonicalJson(b));
    expect(configHash(a)).to.equal(configHash(b)).and.match(/^[0-9a-f]{64}$/);
  });

  it('changes when a value or an array order changes', () => {
    const base = { services: [{ name: 's', paths: ['/a', '/b'] }] };
    expect(configHash(base)).to.not.equal(configHash({ services: [{ name: 's', paths: ['/b', '/a'] }] }));
    expect(configHash(base)).to.not.equal(configHash({ services: [{ name: 't', paths: ['/a', '/b'] }] }));
  });
});

describe('retry policy', () => {
  const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 1000 };
  const error = (status: number, retryAfterSec?: number): KongAdminError =>
    new KongAdminError({ status, method: 'GET', path: '/', gateway: 'http://kong', body: {}, ...(retryAfterSec === undefined ? {} : { retryAfterSec }) });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('7', 0)).to.equal(7);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 1_000)).to.equal(9);
    expect(parseRetryAfter('soon', 0)).to.equal(undefined);
  });

  it('retries 429 and 5xx only, honours a short Retry-After, gives up on a long one, and stops after the last retry', () => {
    expect(retryDelay(error(400), 0, policy, () => 0)).to.equal(undefined);
    expect(retryDelay(error(404), 0, policy, () => 0)).to.equal(undefined);
    expect(retryDelay(error(503), 0, policy, () => 0)).to.equal(50);
    expect(retryDelay(error(503), 2, policy, () => 1)).to.equal(400);
    expect(retryDelay(error(429, 1), 0, policy, () => 0)).to.equal(1000);
    expect(retryDelay(error(429, 120), 0, policy, () => 0), 'a Retry-After beyond the longest wait is not waited for').to.equal(undefined);
    expect(retryDelay(error(503), 3, policy, () => 0)).to.equal(undefined);
  });
});
