import { expect } from 'chai';
import type { KubernetesObject } from '@kubernetes/client-node';
import { listAllPages, type GetJson, type JsonResponse } from '../../src/kube/paged-list.ts';

const obj = (name: string): KubernetesObject => ({ metadata: { namespace: 'shop', name } });
const page = (names: string[], resourceVersion: string, token?: string): JsonResponse => ({
  status: 200, body: JSON.stringify({ items: names.map(obj), metadata: { resourceVersion, ...(token ? { continue: token } : {}) } }),
});

/** Answers each request from `answers` in turn and records the URLs asked for. */
function server(answers: JsonResponse[]): { get: GetJson; urls: URL[] } {
  const urls: URL[] = [];
  return {
    urls,
    get: (url) => {
      urls.push(url);
      const answer = answers.shift();
      return answer ? Promise.resolve(answer) : Promise.reject(new Error('no more answers'));
    },
  };
}

const BASE = new URL('https://api.test/apis/networking.k8s.io/v1/ingresses?labelSelector=app%3Dweb');

describe('listAllPages', () => {
  it('follows continue tokens, a page at a time, keeping the selectors, and returns every object with the list version', async () => {
    const { get, urls } = server([page(['a', 'b'], '10', 't1'), page(['c', 'd'], '10', 't2'), page(['e'], '10')]);
    const listed = await listAllPages(get, BASE, 2);
    expect(listed.items.map((o) => o.metadata?.name)).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    expect(listed.resourceVersion).to.equal('10');
    expect(urls.map((u) => [u.searchParams.get('limit'), u.searchParams.get('continue'), u.searchParams.get('labelSelector')])).to.deep.equal([
      ['2', null, 'app=web'], ['2', 't1', 'app=web'], ['2', 't2', 'app=web'],
    ]);
  });

  it('starts over once when the continue token expired (410), as client-go does', async () => {
    const gone: JsonResponse = { status: 410, body: JSON.stringify({ kind: 'Status', code: 410, message: 'The provided continue parameter is too old' }) };
    const { get, urls } = server([page(['a'], '10', 't1'), gone, page(['a'], '12', 't3'), page(['b'], '12')]);
    const listed = await listAllPages(get, BASE, 1);
    expect(listed.items.map((o) => o.metadata?.name)).to.deep.equal(['a', 'b']);
    expect(listed.resourceVersion).to.equal('12');
    expect(urls[2]?.searchParams.get('continue')).to.equal(null);
  });

  it('fails with the HTTP status and the server\'s message, so the watch is retried with backoff', async () => {
    const forbidden: JsonResponse = { status: 403, body: JSON.stringify({ kind: 'Status', code: 403, message: 'ingresses.networking.k8s.io is forbidden' }) };
    const { get } = server([forbidden]);
    const err = await listAllPages(get, BASE).then(() => undefined, (e: unknown) => e as Error & { statusCode?: number });
    expect(err?.statusCode).to.equal(403);
    expect(err?.message).to.equal('list /apis/networking.k8s.io/v1/ingresses failed: HTTP 403: ingresses.networking.k8s.io is forbidden');
  });

  it('reads a list with no items (null in JSON) as empty', async () => {
    const { get } = server([{ status: 200, body: '{"items":null,"metadata":{"resourceVersion":"3"}}' }]);
    expect(await listAllPages(get, BASE)).to.deep.equal({ items: [], resourceVersion: '3' });
  });
});
