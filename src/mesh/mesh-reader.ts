// Reads the gateway's Kuma Mesh, but only where RBAC allows it: the kuma.io
// read is optional (deploy/rbac.yaml explains how to drop it), so meshdoor asks
// the API server first (SelfSubjectAccessReview) and otherwise infers what it
// can from the gateway Deployment's conditions. Answers are cached briefly.
import { AuthorizationV1Api } from '@kubernetes/client-node';
import { httpStatus, type Clock, type KubeClients } from '../kube/index.ts';
import { errorField, type Logger } from '../observe/index.ts';

export interface MeshObject {
  spec?: { meshServices?: { mode?: string } };
}

export type MeshGet = { found: MeshObject } | { missing: true } | { noKumaApi: true };

export interface MeshApi {
  /** Whether this identity may `get` Kuma Meshes. */
  mayReadMeshes(): Promise<boolean>;
  getMesh(name: string): Promise<MeshGet>;
}

export type MeshLookup =
  | { state: 'unread'; why: string }
  | { state: 'missing'; name: string }
  | { state: 'found'; name: string; meshServicesMode: string };

const KUMA_MESH = { group: 'kuma.io', version: 'v1alpha1', plural: 'meshes' } as const;

/** `details.name` of a 404 Status body (a string or parsed, depending on the client path). */
function notFoundName(err: unknown): string | undefined {
  const body = (err as { body?: unknown }).body;
  try {
    const status = (typeof body === 'string' ? JSON.parse(body) : body) as { details?: { name?: unknown } } | undefined;
    return typeof status?.details?.name === 'string' ? status.details.name : undefined;
  } catch {
    return undefined;
  }
}

export function kubeMeshApi(clients: KubeClients): MeshApi {
  const authorization = clients.config.makeApiClient(AuthorizationV1Api);
  return {
    async mayReadMeshes() {
      const review = await authorization.createSelfSubjectAccessReview({
        body: { spec: { resourceAttributes: { group: KUMA_MESH.group, resource: KUMA_MESH.plural, verb: 'get' } } },
      });
      return review.status?.allowed === true;
    },
    async getMesh(name) {
      try {
        return { found: await clients.custom.getClusterCustomObject({ ...KUMA_MESH, name }) as MeshObject };
      } catch (err) {
        if (httpStatus(err) !== 404) throw err;
        // A 404 for the object names it; a 404 for the resource type (Kuma's CRDs absent) does not.
        return notFoundName(err) === name ? { missing: true } : { noKumaApi: true };
      }
    },
  };
}

export interface MeshReaderOptions {
  api: MeshApi | undefined;
  clock: Clock;
  log: Logger;
  /** How long an answer is reused (default 30 s). */
  ttlMs?: number;
}

/** Kuma's default for a Mesh without `meshServices` in 2.x. */
const DEFAULT_MESH_SERVICES_MODE = 'Disabled';

export class MeshReader {
  private cached: { name: string; at: number; lookup: MeshLookup } | undefined;

  constructor(private readonly o: MeshReaderOptions) {}

  async lookup(name: string): Promise<MeshLookup> {
    const now = this.o.clock.now();
    const cached = this.cached;
    if (cached && cached.name === name && now - cached.at < (this.o.ttlMs ?? 30_000)) return cached.lookup;
    const lookup = await this.read(name);
    this.cached = { name, at: now, lookup };
    return lookup;
  }

  private async read(name: string): Promise<MeshLookup> {
    const api = this.o.api;
    if (!api) return { state: 'unread', why: 'no Kuma API access configured' };
    try {
      if (!(await api.mayReadMeshes())) return { state: 'unread', why: 'RBAC does not allow reading kuma.io Meshes' };
      const got = await api.getMesh(name);
      if ('noKumaApi' in got) return { state: 'unread', why: 'the kuma.io Mesh API is not served (Kuma CRDs not installed)' };
      if ('missing' in got) return { state: 'missing', name };
      return { state: 'found', name, meshServicesMode: got.found.spec?.meshServices?.mode ?? DEFAULT_MESH_SERVICES_MODE };
    } catch (err) {
      this.o.log.warn('reading the Kuma Mesh failed', { object: `Mesh/${name}`, error: errorField(err) });
      return { state: 'unread', why: 'reading the Mesh failed' };
    }
  }
}
