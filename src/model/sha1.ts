// SHA-1 (FIPS 180-4) for entity ids only, never for security: Kong derives
// ids as UUIDv5 (SHA-1) of entity names, and a pass at start makes one per
// entity (30k at 10k Ingresses). node:crypto returns a new Buffer per digest,
// and those thousands of small external allocations left tens of MiB of RSS
// behind a cold pass under the container's V8 sizing; this works in place,
// in scratch arrays that hold nothing from one call to the next.

const WORDS = new Int32Array(80);
const STATE = new Int32Array(5);
const INITIAL_STATE = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0);
/** Scratch for the padded message of any name up to about 300 characters (every entity name); longer ones get their own. */
const SCRATCH = new Uint8Array(1024);

/** Writes `prefix` then `text` as UTF-8 into `message`; returns the length. */
function writeMessage(message: Uint8Array, prefix: Uint8Array, text: string): number {
  message.set(prefix, 0);
  let at = prefix.length;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return prefix.length + writeUtf8(message, text, prefix.length);
    message[at++] = code;
  }
  return at;
}

/** Any text: Node's own UTF-8 encoding (lone surrogates become U+FFFD, as Buffer.from does). */
function writeUtf8(message: Uint8Array, text: string, offset: number): number {
  const bytes = Buffer.from(text, 'utf8');
  message.set(bytes, offset);
  return bytes.length;
}

function pad(message: Uint8Array, length: number): number {
  const total = (((length + 8) >> 6) + 1) << 6;
  message[length] = 0x80;
  message.fill(0, length + 1, total - 4);
  const bits = length * 8;
  message[total - 4] = bits >>> 24;
  message[total - 3] = (bits >>> 16) & 0xff;
  message[total - 2] = (bits >>> 8) & 0xff;
  message[total - 1] = bits & 0xff;
  return total;
}

function compress(message: Uint8Array, offset: number): void {
  const w = WORDS;
  for (let i = 0; i < 16; i += 1) {
    const j = offset + 4 * i;
    w[i] = ((message[j] as number) << 24) | ((message[j + 1] as number) << 16) | ((message[j + 2] as number) << 8) | (message[j + 3] as number);
  }
  for (let i = 16; i < 80; i += 1) {
    const x = (w[i - 3] as number) ^ (w[i - 8] as number) ^ (w[i - 14] as number) ^ (w[i - 16] as number);
    w[i] = (x << 1) | (x >>> 31);
  }
  let a = STATE[0] as number;
  let b = STATE[1] as number;
  let c = STATE[2] as number;
  let d = STATE[3] as number;
  let e = STATE[4] as number;
  // The four kinds of round inline: no call per round.
  for (let i = 0; i < 80; i += 1) {
    const f = i < 20 ? ((b & c) | (~b & d)) + 0x5a827999
      : i < 40 ? (b ^ c ^ d) + 0x6ed9eba1
        : i < 60 ? ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc
          : (b ^ c ^ d) + 0xca62c1d6;
    const next = (((a << 5) | (a >>> 27)) + f + e + (w[i] as number)) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = next;
  }
  STATE[0] = (STATE[0] as number) + a;
  STATE[1] = (STATE[1] as number) + b;
  STATE[2] = (STATE[2] as number) + c;
  STATE[3] = (STATE[3] as number) + d;
  STATE[4] = (STATE[4] as number) + e;
}

/** The SHA-1 digest of `prefix` followed by `text` in UTF-8, into `digest` (20 bytes). */
export function sha1Into(digest: Uint8Array, prefix: Uint8Array, text: string): void {
  // UTF-8 takes at most 3 bytes per UTF-16 unit; padding at most 72.
  const room = prefix.length + 3 * text.length + 72;
  const message = room <= SCRATCH.length ? SCRATCH : new Uint8Array(room);
  const total = pad(message, writeMessage(message, prefix, text));
  STATE.set(INITIAL_STATE);
  for (let offset = 0; offset < total; offset += 64) compress(message, offset);
  for (let i = 0; i < 5; i += 1) {
    const word = STATE[i] as number;
    digest[4 * i] = word >>> 24;
    digest[4 * i + 1] = (word >>> 16) & 0xff;
    digest[4 * i + 2] = (word >>> 8) & 0xff;
    digest[4 * i + 3] = word & 0xff;
  }
}
