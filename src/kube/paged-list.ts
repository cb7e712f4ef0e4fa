// A list request as the API server pages it: `limit` objects at a time, each
// page naming the next with a continue token, all pages from one snapshot. The
// body is read as plain JSON, as watch events are: client-node's typed list
// calls convert every field of every object through its model classes first,
// which at 10k objects costs seconds of a cold start.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { ListResult } from './resuming-watch.ts';

/** client-go's reflector asks for pages of this size too. */
export const LIST_PAGE_SIZE = 500;

export interface JsonResponse { status: number; body: string }
/** One GET of a URL, answered with its status and body. */
export type GetJson = (url: URL) => Promise<JsonResponse>;

interface ListBody {
  items?: KubernetesObject[] | null;
  metadata?: { resourceVersion?: string; continue?: string };
}

/** An error carrying the HTTP status (read by the watch layer's retry logic), with the server's message. */
function statusError(url: URL, response: JsonResponse): Error {
  let message = response.body.slice(0, 200);
  try {
    message = (JSON.parse(response.body) as { message?: string }).message ?? message;
  } catch {
    // Not a Status object: the raw start of the body says more than nothing.
  }
  return Object.assign(new Error(`list ${url.pathname} failed: HTTP ${response.status}: ${message}`), { statusCode: response.status });
}

async function listFromStart(get: GetJson, base: URL, pageSize: number): Promise<ListResult> {
  const items: KubernetesObject[] = [];
  let token: string | undefined;
  for (;;) {
    const url = new URL(base);
    url.searchParams.set('limit', String(pageSize));
    if (token) url.searchParams.set('continue', token);
    const response = await get(url);
    if (response.status !== 200) throw statusError(url, response);
    const page = JSON.parse(response.body) as ListBody;
    for (const item of page.items ?? []) items.push(item);
    token = page.metadata?.continue;
    if (!token) return { items, resourceVersion: page.metadata?.resourceVersion ?? '' };
  }
}

/**
 * Every object under `base` (its query, such as selectors, kept), page by page.
 * A continue token the server no longer honours (410: its snapshot was compacted
 * while paging) starts the list over once, as client-go does.
 */
export async function listAllPages(get: GetJson, base: URL, pageSize = LIST_PAGE_SIZE): Promise<ListResult> {
  try {
    return await listFromStart(get, base, pageSize);
  } catch (err) {
    if ((err as { statusCode?: unknown }).statusCode !== 410) throw err;
    return listFromStart(get, base, pageSize);
  }
}

const keepAliveAgents = new WeakMap<object, http.Agent>();

/**
 * client-node's agent for the cluster (its TLS settings), as one that keeps
 * connections open: pages and the lists of every kind reuse them instead of a
 * TLS handshake per request. A proxy agent is used as it is.
 */
function keepAlive(agent: unknown): http.Agent | undefined {
  if (!(agent instanceof http.Agent) || (agent as { keepAlive?: boolean }).keepAlive) return agent as http.Agent | undefined;
  let kept = keepAliveAgents.get(agent);
  if (!kept) {
    const { options } = agent as http.Agent & { options: https.AgentOptions };
    kept = agent instanceof https.Agent ? new https.Agent({ ...options, keepAlive: true }) : new http.Agent({ ...options, keepAlive: true });
    keepAliveAgents.set(agent, kept);
  }
  return kept;
}

/** GETs with the kubeconfig's credentials and TLS settings (as client-node's own requests use them). */
export function kubeGetJson(config: KubeConfig): GetJson {
  return async (url) => {
    const options: https.RequestOptions = {};
    await config.applyToHTTPSOptions(options);
    const agent = keepAlive(options.agent);
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<JsonResponse>((resolve, reject) => {
      const request = transport.get(url, { ...options, ...(agent ? { agent } : {}), headers: { ...options.headers, Accept: 'application/json' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => { chunks.push(chunk); });
        response.on('end', () => { resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }); });
        response.on('error', reject);
      });
      request.on('error', reject);
    });
  };
}
