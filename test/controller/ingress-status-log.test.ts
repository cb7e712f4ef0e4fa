// Writing status to an Ingress that was deleted meanwhile is expected under
// churn: logged at debug level; any other failure stays a warning.
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import type { V1Ingress } from '@kubernetes/client-node';
import { IngressStatusWriter } from '../../src/kube/ingress-status.ts';
import { createLogger } from '../../src/observe/logger.ts';

function apiError(code: number): Error & { code: number } {
  return Object.assign(new Error(`HTTP-Code: ${code}`), { code });
}

async function levelsOfFailedWrite(code: number): Promise<string[]> {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => { lines.push(...chunk.toString().split('\n').filter(Boolean)); });
  const log = createLogger({ level: 'debug', format: 'json', stream });
  const writer = new IngressStatusWriter({ log, writer: { patchIngressStatus: () => Promise.reject(apiError(code)) } });
  const ingress: V1Ingress = { metadata: { namespace: 'shop', name: 'web', resourceVersion: '7' } };
  expect(await writer.ensure([ingress], [{ ip: '192.0.2.1' }])).to.equal(0);
  await new Promise((resolve) => { setImmediate(resolve); });
  return lines.map((line) => (JSON.parse(line) as { level: string; message: string; object: string }))
    .filter((entry) => entry.message === 'writing ingress status failed' && entry.object === 'shop/web')
    .map((entry) => entry.level);
}

describe('Ingress status writes that fail', () => {
  it('logs a write to an Ingress deleted meanwhile (404) at debug level', async () => {
    expect(await levelsOfFailedWrite(404)).to.deep.equal(['debug']);
  });

  it('keeps other failures as warnings', async () => {
    expect(await levelsOfFailedWrite(403)).to.deep.equal(['warn']);
  });
});

describe('Ingress status writes and the watch catching up', () => {
  const address = [{ ip: '192.0.2.1' }];
  const web = (resourceVersion: string, status?: V1Ingress['status']): V1Ingress => ({ metadata: { namespace: 'shop', name: 'web', resourceVersion }, ...(status ? { status } : {}) });

  it('writes once per version: not again while the watch still shows the version it wrote from, again when a newer one lacks the address', async () => {
    const writes: string[] = [];
    const log = createLogger({ level: 'error', format: 'json', stream: new PassThrough() });
    const writer = new IngressStatusWriter({ log, writer: { patchIngressStatus: (_ns, name) => { writes.push(name); return Promise.resolve(); } } });
    expect(await writer.ensure([web('7')], address)).to.equal(1);
    expect(await writer.ensure([web('7')], address), 'the watch has not shown the write yet').to.equal(0);
    expect(await writer.ensure([web('8', { loadBalancer: { ingress: address } })], address), 'the write arrived').to.equal(0);
    expect(await writer.ensure([web('9')], address), 'someone cleared it since').to.equal(1);
    expect(await writer.ensure([], address), 'deleted').to.equal(0);
    expect(await writer.ensure([web('9')], address), 'the same name and version again, after it was gone').to.equal(1);
    expect(writes).to.deep.equal(['web', 'web', 'web']);
  });
});
