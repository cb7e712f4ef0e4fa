// The live heap by owner after one whole translation, built piece by piece in
// this process: the cluster's objects as the watch caches keep them, the
// translator's state part by part, and the DB-less body writer's chunks.
// Each figure is what the heap (after full GCs) shrinks by when that owner is
// dropped, in the order listed: an object two owners hold counts for the one
// dropped last (the translator's ids and tags strings also sit in its entities).
//   node --import tsx bench/heap-owners.ts [n=10000]
import process from 'node:process';
import { setImmediate as nextTurn } from 'node:timers/promises';
import v8 from 'node:v8';
import { DEFAULT_SETTINGS } from '../src/config/settings.ts';
import { DblessBodyWriter } from '../src/kong/dbless-body.ts';
import { trimForCache } from '../src/kube/cache-trim.ts';
import { freezeDeep } from '../src/model/index.ts';
import { createContext } from '../src/translate/context.ts';
import { DeltaPasses } from '../src/translate/delta-pass.ts';
import { createTranslatorMemory } from '../src/translate/memory.ts';
import type { TranslatorMemory } from '../src/translate/memory.ts';
import { snapshotOf, type Snapshot } from '../src/translate/types.ts';
import { collectGarbage } from './allocation.ts';
import { generateCluster } from './generate.ts';

const MIB = 2 ** 20;

/** After the current job: a WeakRef made or read in it keeps its target alive until then. */
async function liveHeap(): Promise<number> {
  await nextTurn();
  collectGarbage();
  collectGarbage();
  return v8.getHeapStatistics().used_heap_size;
}

/** The snapshot as the watch caches hand it out: trimmed copies, frozen all the way down. */
function cachedSnapshot(n: number): Snapshot {
  const { snapshot } = generateCluster({ n, kubectlApplied: true });
  const cached = <T extends object>(list: readonly T[]): T[] => list.map((obj) => freezeDeep(trimForCache(obj as never)) as T);
  return snapshotOf({
    Ingress: cached(snapshot.Ingress), IngressClass: cached(snapshot.IngressClass), Service: cached(snapshot.Service),
    EndpointSlice: cached(snapshot.EndpointSlice), Secret: cached(snapshot.Secret),
  });
}

type Writable<T> = { -readonly [K in keyof T]: T[K] | undefined };

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 10000);
  const empty = await liveHeap();
  let snapshot: Snapshot | undefined = cachedSnapshot(n);
  const withObjects = await liveHeap();
  let memory: Writable<TranslatorMemory> | undefined = createTranslatorMemory();
  let deltas: DeltaPasses | undefined = new DeltaPasses();
  let config = deltas.translate(createContext(snapshot, { settings: { ...DEFAULT_SETTINGS } }, memory as TranslatorMemory), snapshot).config;
  let writer: DblessBodyWriter | undefined = new DblessBodyWriter();
  const bodyBytes = Buffer.byteLength(writer.bodyAndHash(config).text);
  const rows: [string, number][] = [];
  let last = await liveHeap();
  const drop = async (owner: string, release: () => void): Promise<void> => {
    release();
    const now = await liveHeap();
    rows.push([owner, last - now]);
    last = now;
  };
  await drop('DB-less body writer (chunk texts, MD5 states)', () => { writer = undefined; });
  await drop('result (config lists)', () => { config = { _format_version: '3.0', services: [], upstreams: [], certificates: [] }; });
  await drop('translator: pass state (delta-pass.ts)', () => { deltas = undefined; });
  const mem = memory;
  for (const part of ['entities', 'plans', 'claimants', 'ids', 'tags', 'refs', 'ages', 'tls', 'paths', 'serviceOptions', 'indexes', 'regex'] as const) {
    await drop(`translator: memory.${part}`, () => { mem[part] = undefined; });
  }
  await drop('translator: the rest', () => { memory = undefined; });
  await drop('objects (watch caches: trimmed, frozen)', () => { snapshot = undefined; });
  const translator = rows.filter(([owner]) => owner.startsWith('translator')).reduce((sum, [, bytes]) => sum + bytes, 0);
  console.log(`N=${n}: objects alone ${((withObjects - empty) / MIB).toFixed(1)} MiB; translator ${(translator / MIB).toFixed(1)} MiB; DB-less body ${(bodyBytes / MIB).toFixed(1)} MiB of text`);
  for (const [owner, bytes] of rows) console.log(`${(bytes / MIB).toFixed(1).padStart(8)} MiB  ${owner}`);
  void snapshot;
  void memory;
  void deltas;
  void writer;
  void config;
}

await main();
