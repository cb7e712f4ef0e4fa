// The ids' SHA-1 must be SHA-1: checked against node:crypto on inputs around
// the block boundaries (55/56/64 bytes of message), long, multi-byte and
// malformed (lone surrogate) text.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { sha1Into } from '../../src/model/sha1.ts';

function reference(prefix: Uint8Array, text: string): string {
  return createHash('sha1').update(prefix).update(text, 'utf8').digest('hex');
}

function ours(prefix: Uint8Array, text: string): string {
  const digest = new Uint8Array(20);
  sha1Into(digest, prefix, text);
  return Buffer.from(digest).toString('hex');
}

describe('sha1Into', () => {
  const prefix = Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff);

  it('equals SHA-1 for every message length from 0 to 200 bytes (one, two and four blocks)', () => {
    for (let length = 0; length <= 200; length += 1) {
      const text = Array.from({ length }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join('');
      expect(ours(new Uint8Array(0), text), `length ${length}`).to.equal(reference(new Uint8Array(0), text));
      expect(ours(prefix, text), `16 + ${length}`).to.equal(reference(prefix, text));
    }
  });

  it('encodes text as UTF-8 as Node does: multi-byte characters, pairs, a lone surrogate, a 10 KiB name', () => {
    for (const text of ['ünïcødé', 'ключ.пример', '😀-emoji', 'a\ud800b', 'x'.repeat(10_240), 'mixed ascii then ü at the end ü']) {
      expect(ours(prefix, text), text.slice(0, 20)).to.equal(reference(prefix, text));
    }
  });

  it('gives the same digest after a longer input used a buffer of its own', () => {
    const before = ours(prefix, 'short');
    ours(prefix, 'y'.repeat(5000));
    expect(ours(prefix, 'short')).to.equal(before);
  });
});
