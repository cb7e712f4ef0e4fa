import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/observe/logger.ts';

function written(isTTY: boolean): string {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => { text += c.toString(); });
  createLogger({ format: 'text', stream, isTTY }).info('hello', { gateway: 'g' });
  return text;
}

describe('logger', () => {
  it('--log-format text has no colour codes off a terminal, and colours on one', () => {
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[/;
    expect(written(false)).to.match(/ info hello gateway=g/).and.not.match(ansi);
    expect(written(true)).to.match(ansi);
  });
});
