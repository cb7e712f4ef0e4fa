// Pieces of a large body that survive from one push to the next: list chunks
// whose entities did not change keep their text, and the MD5 of a body
// resumes from the state after the pieces it shares with the previous body.
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { isDeeplyFrozen } from '../model/index.ts';

const CHUNK = 128;

interface Chunk { items: readonly object[]; text: string }

/**
 * The chunks of the last list written with each writer (one writer per list
 * of the body), keyed by their first entity; a chunk is valid while all its
 * entities are the same. Only the last list's chunks are kept: a cache keyed
 * by any entity still alive would keep the text, and the replaced entities, of
 * every chunk that entity ever started.
 */
const lastChunks = new WeakMap<object, Map<object, Chunk>>();

function chunkText<T extends object>(items: readonly T[], write: (items: readonly T[]) => string, known: ReadonlyMap<object, Chunk> | undefined, kept: Map<object, Chunk>): string {
  const [first] = items;
  if (first === undefined) return '';
  const chunk = known?.get(first);
  if (chunk?.items.length === items.length && chunk.items.every((item, i) => item === items[i])) {
    kept.set(first, chunk);
    return chunk.text;
  }
  const text = write(items);
  // Entities that are not frozen may still change: never remember them.
  if (items.every(isDeeplyFrozen)) kept.set(first, { items, text });
  return text;
}

/**
 * A list as pieces: `[`, chunk, `,`, chunk, …, `]`; `write` gives a chunk's
 * items, joined by `,`, and must be the same function from push to push.
 */
export function listParts<T extends object>(items: readonly T[], write: (items: readonly T[]) => string): string[] {
  const known = lastChunks.get(write);
  const kept = new Map<object, Chunk>();
  const parts = ['['];
  for (let start = 0; start < items.length; start += CHUNK) {
    if (start > 0) parts.push(',');
    parts.push(chunkText(items.slice(start, start + CHUNK), write, known, kept));
  }
  parts.push(']');
  lastChunks.set(write, kept);
  return parts;
}

/** The previous body's pieces, and the MD5 state before each of them. */
let previous: { parts: readonly string[]; states: Hash[] } | undefined;

/** MD5 of the pieces joined, resuming after the leading pieces equal to the previous body's. */
export function md5OfParts(parts: readonly string[]): string {
  let same = 0;
  const before = previous;
  if (before) {
    while (same < parts.length && same < before.parts.length && parts[same] === before.parts[same]) same += 1;
  }
  const states: Hash[] = before && same > 0 ? before.states.slice(0, same + 1) : [createHash('md5')];
  const start = Math.min(same, states.length - 1);
  const hash = (states[start] as Hash).copy();
  for (let i = start; i < parts.length; i += 1) {
    hash.update(parts[i] as string);
    states[i + 1] = hash.copy();
  }
  previous = { parts, states };
  return hash.digest('hex');
}
