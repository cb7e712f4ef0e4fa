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
