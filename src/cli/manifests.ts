// Offline input: Kubernetes manifests (files or directories of multi-document
// YAML or JSON) → a translator Snapshot and the MeshDoor objects among them.
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type {
  V1EndpointSlice, V1Ingress, V1IngressClass, V1Secret, V1Service,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { settingsFromMeshDoor } from '../config/meshdoor-spec.ts';
import type { MeshDoorObject } from '../config/meshdoor-spec.ts';
import type { MeshDoorSettings } from '../config/settings.ts';
import type { Snapshot } from '../translate/types.ts';

export interface LoadedManifests {
  snapshot: Snapshot;
  meshdoors: MeshDoorObject[];
}

interface Manifest {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { namespace?: string; name?: string };
  items?: unknown;
}

interface Buckets {
  ingresses: V1Ingress[];
  ingressClasses: V1IngressClass[];
  services: V1Service[];
  endpointSlices: V1EndpointSlice[];
  secrets: V1Secret[];
  meshdoors: MeshDoorObject[];
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Kinds the translator reads, by `apiVersion kind`; other objects are skipped. */
const KINDS: Record<string, { bucket: keyof Buckets; namespaced: boolean }> = {
  'networking.k8s.io/v1 Ingress': { bucket: 'ingresses', namespaced: true },
  'networking.k8s.io/v1 IngressClass': { bucket: 'ingressClasses', namespaced: false },
  'v1 Service': { bucket: 'services', namespaced: true },
  'discovery.k8s.io/v1 EndpointSlice': { bucket: 'endpointSlices', namespaced: true },
  'v1 Secret': { bucket: 'secrets', namespaced: true },
  'meshdoor.dev/v1alpha1 MeshDoor': { bucket: 'meshdoors', namespaced: false },
};

async function listFiles(path: string): Promise<string[]> {
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

function parseDocuments(file: string, text: string): unknown[] {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const values: unknown[] = [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) throw new Error(`${file}: invalid YAML: ${error.message}`);
    values.push(doc.toJS());
  }
  return values;
}

/** The API server turns stringData into base64 data; do the same offline. */
function withStringData(secret: V1Secret): V1Secret {
  if (!secret.stringData) return secret;
  const data = { ...(secret.data ?? {}) };
  for (const [key, value] of Object.entries(secret.stringData)) data[key] = Buffer.from(value, 'utf8').toString('base64');
  const { stringData: _dropped, ...rest } = secret;
  return { ...rest, data };
}

function addObject(buckets: Buckets, file: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${file}: every document must be a Kubernetes object`);
  const manifest = value as Manifest;
  if (manifest.kind === 'List' && Array.isArray(manifest.items)) {
    for (const item of manifest.items) addObject(buckets, file, item);
    return;
  }
  const kind = KINDS[`${String(manifest.apiVersion)} ${String(manifest.kind)}`];
  if (!kind) return;
  if (typeof manifest.metadata?.name !== 'string') throw new Error(`${file}: a ${String(manifest.kind)} has no metadata.name`);
  const object = kind.namespaced && !manifest.metadata.namespace
    ? { ...manifest, metadata: { ...manifest.metadata, namespace: 'default' } }
    : manifest;
  const stored = kind.bucket === 'secrets' ? withStringData(object as V1Secret) : object;
  (buckets[kind.bucket] as unknown[]).push(stored);
}

/** Reads manifests from files and directories (recursively: .yaml, .yml, .json). */
export async function loadManifests(paths: readonly string[]): Promise<LoadedManifests> {
  const buckets: Buckets = { ingresses: [], ingressClasses: [], services: [], endpointSlices: [], secrets: [], meshdoors: [] };
  const files = (await Promise.all(paths.map(listFiles))).flat();
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
    }
    for (const value of parseDocuments(file, text)) addObject(buckets, file, value);
  }
  const { meshdoors, ...snapshot } = buckets;
  return { snapshot, meshdoors };
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

/** Manifests → what translate() needs. Throws on unreadable input or a bad MeshDoor. */
export async function loadTranslationInput(paths: readonly string[], meshdoor?: string): Promise<{ snapshot: Snapshot; settings: MeshDoorSettings }> {
  const { snapshot, meshdoors } = await loadManifests(paths);
  return { snapshot, settings: settingsFromMeshDoor(selectMeshDoor(meshdoors, meshdoor)) };
}
