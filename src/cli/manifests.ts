// Offline input: Kubernetes manifests (files or directories of multi-document
// YAML or JSON) → a translator Snapshot and the MeshDoor objects among them.
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import process from 'node:process';
import { text } from 'node:stream/consumers';
import type { V1Secret } from '@kubernetes/client-node';
import { settingsFromMeshDoor } from '../config/index.ts';
import type { MeshDoorObject } from '../config/index.ts';
import type { MeshDoorSettings } from '../config/index.ts';
import { classOwnershipProblem, isIngressServed, LEGACY_CLASS_ANNOTATION, TRANSLATED_KINDS } from '../translate/index.ts';
import { indexSnapshot } from '../translate/index.ts';
import { objectKey, type ObjectKind } from '../model/index.ts';
import type { Snapshot, SnapshotKind, SnapshotObjects } from '../translate/index.ts';
import { annotationProblems, shapeProblem, skipReason } from './manifest-checks.ts';
import { parseManifestDocuments } from './manifest-parse.ts';

export interface LoadedManifests {
  snapshot: Snapshot;
  meshdoors: MeshDoorObject[];
  /** objectKey (Kind/namespace/name) → "file (document N)", for messages about the object. */
  locations: ReadonlyMap<string, string>;
}

interface Manifest {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { namespace?: string; name?: string };
  items?: unknown;
}

/** The objects read so far, by kind: the snapshot's kinds and the MeshDoor. */
type Buckets = { [K in SnapshotKind]: SnapshotObjects[K][] } & { MeshDoor: MeshDoorObject[] };

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Kinds the translator reads, by `apiVersion kind`; other objects are skipped. */
type KindBucket = { bucket: keyof Buckets; namespaced: boolean };
const KINDS: Record<string, KindBucket> = Object.fromEntries([
  ...TRANSLATED_KINDS.map((k): [string, KindBucket] => [`${k.apiVersion} ${k.kind}`, { bucket: k.kind, namespaced: k.namespaced }]),
  ['meshdoor.dev/v1alpha1 MeshDoor', { bucket: 'MeshDoor', namespaced: false }],
]);

/** Where a warning goes (stderr in the commands). */
export type Warn = (message: string) => void;

const toStderr: Warn = (message) => { process.stderr.write(`warning: ${message}\n`); };

/** `-` is standard input. */
export const STDIN = '-';

async function listFiles(path: string): Promise<string[]> {
  if (path === STDIN) return [STDIN];
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  if (!info.isDirectory()) return [path];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const nested = await Promise.all(entries.map((entry) => {
    const child = join(path, entry.name);
    if (entry.isDirectory()) return listFiles(child);
    return Promise.resolve(EXTENSIONS.has(extname(entry.name).toLowerCase()) ? [child] : []);
  }));
  return nested.flat();
}

async function readInput(file: string): Promise<string> {
  try {
    return file === STDIN ? await text(process.stdin) : await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
}

/** Where messages point: the file, `<stdin>` for standard input. */
function sourceName(file: string): string {
  return file === STDIN ? '<stdin>' : file;
}

/** "file (document N)", N counting from 1: where every message points. */
function location(file: string, index: number): string {
  return `${sourceName(file)} (document ${index + 1})`;
}

/** The API server turns stringData into base64 data; do the same offline. */
function withStringData(secret: V1Secret): V1Secret {
  if (!secret.stringData) return secret;
  const data = { ...(secret.data ?? {}) };
  for (const [key, value] of Object.entries(secret.stringData)) data[key] = Buffer.from(value, 'utf8').toString('base64');
  const { stringData: _dropped, ...rest } = secret;
  return { ...rest, data };
}

interface LoadState {
  buckets: Buckets;
  /** kind/namespace/name → where it was first seen. */
  seen: Map<string, string>;
  locations: Map<string, string>;
  warn: Warn;
}

function addObject(state: LoadState, where: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where}: every document must be a Kubernetes object (got ${JSON.stringify(value)})`);
  const manifest = value as Manifest;
  if (manifest.kind === 'List' && Array.isArray(manifest.items)) {
    manifest.items.forEach((item, i) => { addObject(state, `${where} items[${i}]`, item); });
    return;
  }
  const read = readable(state, where, manifest);
  if (!read) return;
  const { id, key, object, bucket } = read;
  const first = state.seen.get(id);
  if (first) throw new Error(`${where}: ${id} is defined twice (first in ${first}); keep one of them`);
  state.seen.set(id, where);
  state.locations.set(key, where);
  const annotations = (manifest.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations ?? {};
  for (const problem of annotationProblems(String(manifest.kind), annotations)) state.warn(`${where}: ${id}: ${problem}`);
  (state.buckets[bucket] as unknown[]).push(bucket === 'Secret' ? withStringData(object as V1Secret) : object);
}

/** The object as the translator reads it, or undefined (with a warning) when it is skipped. */
function readable(state: LoadState, where: string, manifest: Manifest): { id: string; key: string; object: Manifest; bucket: keyof Buckets } | undefined {
  const name = typeof manifest.metadata?.name === 'string' ? manifest.metadata.name : undefined;
  const kindName = typeof manifest.kind === 'string' ? manifest.kind : '(no kind)';
  const skipped = skipReason(manifest.apiVersion, manifest.kind);
  if (skipped) {
    state.warn(`${where}: ${kindName}${name ? ` ${name}` : ''} skipped: ${skipped}`);
    return undefined;
  }
  const kind = KINDS[`${String(manifest.apiVersion)} ${kindName}`];
  if (!kind) return undefined;
  if (name === undefined) throw new Error(`${where}: a ${kindName} has no metadata.name`);
  const object = kind.namespaced && !manifest.metadata?.namespace
    ? { ...manifest, metadata: { ...manifest.metadata, namespace: 'default' } }
    : manifest;
  const namespace = kind.namespaced ? String(object.metadata?.namespace) : undefined;
  const id = `${kindName} ${namespace ? `${namespace}/` : ''}${name}`;
  const shape = shapeProblem(kindName, manifest as Record<string, unknown>);
  if (shape) {
    state.warn(`${where}: ${id}: ${shape}; skipped`);
    return undefined;
  }
  const key = objectKey({ kind: kindName as ObjectKind, name, ...(namespace ? { namespace } : {}) });
  return { id, key, object, bucket: kind.bucket };
}

/**
 * Reads manifests from files and directories (recursively: .yaml, .yml, .json)
 * and `-` (standard input). Skipped documents and suspicious annotations are
 * reported through `warn`; a duplicate object or unreadable input throws.
 */
export async function loadManifests(paths: readonly string[], warn: Warn = toStderr): Promise<LoadedManifests> {
  const state: LoadState = {
    // One empty list per kind read (the registry's), filled as documents are read.
    buckets: { ...Object.fromEntries(TRANSLATED_KINDS.map((k) => [k.kind, []])), MeshDoor: [] } as unknown as Buckets,
    seen: new Map(), locations: new Map(), warn,
  };
  const files = (await Promise.all(paths.map(listFiles))).flat();
  for (const file of files) {
    const documents = parseManifestDocuments(sourceName(file), await readInput(file));
    documents.forEach((value, i) => { addObject(state, location(file, i), value); });
  }
  const { MeshDoor: meshdoors, ...snapshot } = state.buckets;
  return { snapshot, meshdoors, locations: state.locations };
}

/**
 * The MeshDoor to translate for: the named one, else the only one, else the
 * one named `default`; built-in defaults when the manifests hold none.
 */
export function selectMeshDoor(meshdoors: readonly MeshDoorObject[], name?: string): MeshDoorObject | undefined {
  if (name !== undefined) {
    const found = meshdoors.find((m) => m.metadata?.name === name);
    if (!found) throw new Error(`no MeshDoor named '${name}' in the manifests`);
    return found;
  }
  if (meshdoors.length <= 1) return meshdoors[0];
  const fallback = meshdoors.find((m) => m.metadata?.name === 'default');
  if (!fallback) throw new Error(`the manifests hold ${meshdoors.length} MeshDoors; pick one with --meshdoor <name>`);
  return fallback;
}

/** Warns about each Ingress the settings do not serve (another class, or a class owned by another controller). */
export function warnUnservedIngresses(snapshot: Snapshot, settings: MeshDoorSettings, warn: Warn = toStderr): void {
  const index = indexSnapshot(snapshot);
  const problem = classOwnershipProblem(settings, index);
  if (problem) warn(problem);
  for (const ingress of snapshot.Ingress) {
    if (isIngressServed(ingress, settings, index)) continue;
    const className = ingress.metadata?.annotations?.[LEGACY_CLASS_ANNOTATION] || ingress.spec?.ingressClassName;
    const why = className ? `its class ${className} is not the one meshdoor serves (${settings.ingressClass})` : `it has no class and ${settings.ingressClass} is not marked as the default class`;
    warn(`Ingress ${ingress.metadata?.namespace ?? ''}/${ingress.metadata?.name ?? ''} skipped: ${why}`);
  }
}

/** Manifests → what translate() needs. Throws on unreadable input or a bad MeshDoor. */
export async function loadTranslationInput(
  paths: readonly string[], meshdoor?: string, warn: Warn = toStderr,
): Promise<{ snapshot: Snapshot; settings: MeshDoorSettings; locations: ReadonlyMap<string, string> }> {
  const { snapshot, meshdoors, locations } = await loadManifests(paths, warn);
  const selected = selectMeshDoor(meshdoors, meshdoor);
  let settings: MeshDoorSettings;
  try {
    settings = settingsFromMeshDoor(selected);
  } catch (err) {
    const where = selected?.metadata?.name ? locations.get(objectKey({ kind: 'MeshDoor', name: selected.metadata.name })) : undefined;
    throw new Error(`${where ? `${where}: ` : ''}${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  warnUnservedIngresses(snapshot, settings, warn);
  return { snapshot, settings, locations };
}
