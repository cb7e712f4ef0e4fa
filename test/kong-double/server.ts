// The double's HTTP layer: body parsing with Kong's 400/415 answers, fault
// injection, the request log, and dispatch to `/`, `/status`, `/config` and
// the entity endpoints. `/__double/*` is the control API (never faulted or logged).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { handleEntities, rootInfo, statusInfo } from './admin-api.ts';
import type { ApiResponse } from './admin-api.ts';
import { getConfig, postConfig } from './config-endpoint.ts';
import type { CrudContext } from './crud.ts';
import type { DoubleState } from './double-state.ts';
import { DoubleHttpError, NginxPage, cannotParseJson, methodNotAllowed, notFound } from './errors.ts';
import type { DoubleRecord } from './store.ts';
import { clientCertificateAccepted } from './tls-port.ts';

export type ControlHandler = (method: string, url: URL, body: string) => Promise<ApiResponse> | ApiResponse;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseEntityBody(method: string, text: string, contentType: string): DoubleRecord | undefined {
  if (!['POST', 'PUT', 'PATCH'].includes(method)) return undefined;
  if (contentType.includes('application/x-www-form-urlencoded')) return formFields(text);
  if (text.trim() === '') {
    if (contentType.includes('json')) throw cannotParseJson();
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw cannotParseJson();
  }
  // Kong's Lua code indexes the body as a table of fields: an array, a number or a string breaks it.
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new DoubleHttpError(500, { message: 'An unexpected error occurred' });
  return parsed as DoubleRecord;
}

/** Form fields; `name[]=v` (repeatable) makes an array, as Kong's argument parser does. */
function formFields(text: string): DoubleRecord {
  const out: DoubleRecord = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (key.endsWith('[]')) {
      const name = key.slice(0, -2);
      out[name] = [...(Array.isArray(out[name]) ? (out[name] as unknown[]) : []), value];
    } else out[key] = value;
  }
  return out;
}

function checkContentType(path: string, text: string, contentType: string): void {
  if (text === '') return;
  const allowed = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];
  if (path === '/config') allowed.push('application/yaml', 'text/yaml');
  if (!allowed.some((t) => contentType.includes(t))) throw new NginxPage(415);
}

function dispatch(state: DoubleState, ctx: CrudContext, req: { method: string; url: URL; text: string; contentType: string }): ApiResponse {
  const path = req.url.pathname.replace(/(.)\/$/, '$1');
  checkContentType(path, req.text, req.contentType);
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  if (method === 'OPTIONS') {
    const allow = 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT';
    return { status: 204, headers: { Allow: allow, 'Access-Control-Allow-Methods': allow } };
  }
  if (path === '/') return method === 'GET' ? { status: 200, body: rootInfo(state) } : (() => { throw methodNotAllowed(); })();
  if (path === '/status') return method === 'GET' ? { status: 200, body: statusInfo(state) } : (() => { throw methodNotAllowed(); })();
  if (path === '/config') {
    if (method === 'GET') return getConfig(state);
    if (method === 'POST') return postConfig(state, { query: req.url.searchParams, text: req.text, contentType: req.contentType });
    throw methodNotAllowed();
  }
  const segments = path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  const body = parseEntityBody(method, req.text, req.contentType);
  const answer = handleEntities(ctx, state, { method, segments, query: req.url.searchParams, body });
  if (answer === undefined) throw notFound();
  return answer;
}

/** Faults that answer instead of Kong; undefined when the request goes through. */
async function injectedFault(state: DoubleState, path: string): Promise<ApiResponse | 'reset' | undefined> {
  const faults = state.faults;
  if (faults.reset) return 'reset';
  if (faults.slowMs > 0) await sleep(faults.slowMs);
  if (faults.failNext.count > 0 && (faults.failNext.path === undefined || faults.failNext.path === path)) {
    faults.failNext.count -= 1;
    return { status: faults.failNext.status, body: { message: 'An unexpected error occurred' } };
  }
  if (faults.redirectNext.count > 0) {
    // What a proxy or a plain-HTTP port in front of the Admin API answers.
    faults.redirectNext.count -= 1;
    const { status, location } = faults.redirectNext;
    return { status, headers: { Location: location }, raw: { text: `<html>\r\n<head><title>${status} Moved</title></head>\r\n<body></body>\r\n</html>\r\n`, contentType: 'text/html' } };
  }
  if (faults.tooManyRequests.count > 0) {
    faults.tooManyRequests.count -= 1;
    return { status: 429, body: { message: 'Currently loading previous configuration' }, headers: { 'Retry-After': String(faults.tooManyRequests.retryAfterSec) } };
  }
  return undefined;
}

export function sendPage(res: ServerResponse, page: NginxPage): void {
  res.writeHead(page.status, { Server: 'openresty', 'Content-Type': 'text/html; charset=UTF-8' });
  res.end(page.html);
}

function send(res: ServerResponse, state: DoubleState, answer: ApiResponse, head: boolean): void {
  const headers: Record<string, string> = { Server: `kong/${state.options.version}`, 'X-Kong-Admin-Latency': '0', ...answer.headers };
  const text = answer.raw?.text ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
  if (text !== '') headers['Content-Type'] = answer.raw?.contentType ?? 'application/json; charset=utf-8';
  res.writeHead(answer.status, headers);
  res.end(head ? undefined : text);
}

/** nginx_admin_ssl_verify_client on: nginx answers 400 for a missing or untrusted client certificate. */
function clientCertificateRefusal(state: DoubleState, req: IncomingMessage): NginxPage | undefined {
  if (!state.options.verifyClient) return undefined;
  const socket = req.socket as TLSSocket;
  const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  if (!peer || Object.keys(peer).length === 0) return new NginxPage(400, 'No required SSL certificate was sent');
  return socket.authorized ? undefined : new NginxPage(400, 'The SSL certificate error');
}

function authorized(state: DoubleState, req: IncomingMessage): boolean {
  const token = state.options.requireToken;
  return token === undefined || req.headers['kong-admin-token'] === token;
}

export function createRequestHandler(state: DoubleState, ctx: CrudContext, control: ControlHandler, requireClientCert = false) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const arrivedMs = performance.now();
    const url = new URL(req.url ?? '/', 'http://double.local');
    const method = (req.method ?? 'GET').toUpperCase();
    const text = await readBody(req);
    const bodyReadMs = performance.now();
    // The control API is the double's, not Kong's: tests reach it without a client certificate.
    if (url.pathname.startsWith('/__double/')) {
      send(res, state, await control(method, url, text), false);
      return;
    }
    if (requireClientCert && !clientCertificateAccepted(req, res)) {
      state.requests.push({ method, path: url.pathname, query: url.search, status: 400, bytes: Buffer.byteLength(text), headers: {} });
      return;
    }
    const fault = await injectedFault(state, url.pathname);
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    // nginx_admin_client_max_body_size: nginx refuses the body before Kong sees it.
    if (Buffer.byteLength(text) > state.options.configLimitBytes) {
      state.requests.push({ method, path: url.pathname, query: url.search, status: 413, bytes: Buffer.byteLength(text), headers: {} });
      sendPage(res, new NginxPage(413));
      return;
    }
    const refused = clientCertificateRefusal(state, req);
    if (refused) {
      sendPage(res, refused);
      return;
    }
    let answer: ApiResponse;
    if (fault) answer = fault;
    else if (!authorized(state, req)) answer = { status: 401, body: { message: 'Invalid credentials. Token or User credentials required' } };
    else {
      try {
        answer = dispatch(state, ctx, { method, url, text, contentType: req.headers['content-type'] ?? '' });
      } catch (error) {
        if (error instanceof NginxPage) {
          sendPage(res, error);
          return;
        }
        if (!(error instanceof DoubleHttpError)) throw error;
        answer = { status: error.status, body: error.body, headers: error.headers };
      }
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v ?? '']));
    const timing = { arrivedMs, bodyReadMs, answeredMs: performance.now() };
    state.requests.push({ method, path: url.pathname, query: url.search, status: answer.status, bytes: Buffer.byteLength(text), headers, timing });
    send(res, state, answer, method === 'HEAD');
  };
}
