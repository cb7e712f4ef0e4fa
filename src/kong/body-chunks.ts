// Pieces of a large body that survive from one push to the next: list chunks
// whose entities did not change keep their text, and the MD5 of a body
// resumes from the state after the pieces it shares with the previous body.
// The memory is the instance's: two writers never see each other's bodies.
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { isDeeplyFrozen } from '../model/index.ts';

const CHUNK = 128;

interface Chunk { items: readonly object[]; text: string }

/** Chunks written and reused by the last body, per list. */
export interface ChunkCounts { written: number; reused: number }

export class BodyChunks {
  /**
   * The chunks of the last list written under each list name, keyed by their
   * first entity; a chunk is valid while all its entities are the same. Only
   * the last list's chunks are kept: a cache keyed by any entity still alive
   * would keep the text, and the replaced entities, of every chunk that
   * entity ever started.
   */
  readonly #lastChunks = new Map<string, Map<object, Chunk>>();
  /** The previous body's pieces, and the MD5 state before each of them. */
  #previous: { parts: readonly string[]; states: Hash[] } | undefined;
  readonly #counts = new Map<string, ChunkCounts>();

  /** Chunks the last `listParts` of `list` wrote and reused. */
  counts(list: string): ChunkCounts {
    return { ...(this.#counts.get(list) ?? { written: 0, reused: 0 }) };
  }

  /**
   * A list as pieces: `[`, chunk, `,`, chunk, …, `]`; `write` gives a chunk's
   * items, joined by `,`, and must write a list the same way from push to push.
   */
  listParts<T extends object>(list: string, items: readonly T[], write: (items: readonly T[]) => string): string[] {
    const pass: ListPass = { known: this.#lastChunks.get(list), kept: new Map(), counts: { written: 0, reused: 0 } };
    const parts = ['['];
    for (let start = 0; start < items.length; start += CHUNK) {
      if (start > 0) parts.push(',');
      parts.push(chunkText(items.slice(start, start + CHUNK), write, pass));
    }
    parts.push(']');
    this.#lastChunks.set(list, pass.kept);
    this.#counts.set(list, pass.counts);
    return parts;
  }

  /** MD5 of the pieces joined, resuming after the leading pieces equal to the previous body's. */
  md5OfParts(parts: readonly string[]): string {
    let same = 0;
    const before = this.#previous;
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
    this.#previous = { parts, states };
    return hash.digest('hex');
  }
}

/** One list being written: the chunks known from the last one, those kept for the next, the counts. */
interface ListPass {
  known: ReadonlyMap<object, Chunk> | undefined;
  kept: Map<object, Chunk>;
  counts: ChunkCounts;
}

function chunkText<T extends object>(items: readonly T[], write: (items: readonly T[]) => string, pass: ListPass): string {
  const [first] = items;
  if (first === undefined) return '';
  const chunk = pass.known?.get(first);
  if (chunk?.items.length === items.length && chunk.items.every((item, i) => item === items[i])) {
    pass.kept.set(first, chunk);
    pass.counts.reused += 1;
    return chunk.text;
  }
  const text = write(items);
  pass.counts.written += 1;
  // Entities that are not frozen may still change: never remember them.
  if (items.every(isDeeplyFrozen)) pass.kept.set(first, { items, text });
  return text;
}
