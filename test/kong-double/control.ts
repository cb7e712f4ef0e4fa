// `/__double/*`: the control API out-of-process tests use (same port):
// state, requests, route lookups and fault injection.
import type { ApiResponse } from './admin-api.ts';
import type { DoubleState } from './double-state.ts';
import { routeRequest } from './routing.ts';

interface FaultRequest {
  reset?: boolean;
  slowMs?: number;
  failNext?: { count: number; status?: number };
  tooManyRequests?: { retryAfterSec: number; count?: number };
  redirectNext?: { status: number; location: string; count?: number };
  rejectEntity?: string;
  rejectPath?: string;
}

function applyFaults(state: DoubleState, faults: FaultRequest): void {
  if (faults.reset !== undefined) state.faults.reset = faults.reset;
  if (faults.slowMs !== undefined) state.faults.slowMs = faults.slowMs;
  if (faults.failNext) state.faults.failNext = { count: faults.failNext.count, status: faults.failNext.status ?? 500 };
  if (faults.tooManyRequests) state.faults.tooManyRequests = { count: faults.tooManyRequests.count ?? 1, retryAfterSec: faults.tooManyRequests.retryAfterSec };
  if (faults.redirectNext) state.faults.redirectNext = { count: faults.redirectNext.count ?? 1, status: faults.redirectNext.status, location: faults.redirectNext.location };
  if (faults.rejectEntity !== undefined) state.faults.rejectNames.add(faults.rejectEntity);
  if (faults.rejectPath !== undefined) state.faults.rejectPaths.add(faults.rejectPath);
}


export function handleControl(state: DoubleState, method: string, url: URL, body: string): ApiResponse {
  const what = url.pathname.slice('/__double/'.length);
  const q = url.searchParams;
  if (what === 'state' && method === 'GET') {
    return { status: 200, body: { mode: state.mode, configuration_hash: state.configurationHash, entities: state.store.snapshot() } };
  }
  if (what === 'requests' && method === 'GET') return { status: 200, body: state.requests };
  if (what === 'requests' && method === 'DELETE') {
    state.requests.length = 0;
    return { status: 204 };
  }
  if (what === 'route' && method === 'GET') {
    const scheme = q.get('scheme') === 'https' ? 'https' : 'http';
    return { status: 200, body: routeRequest(state, { method: q.get('method') ?? 'GET', host: q.get('host') ?? '', path: q.get('path') ?? '/', scheme }) };
  }
  if (what === 'faults' && method === 'POST') {
    applyFaults(state, (body.trim() === '' ? {} : JSON.parse(body)) as FaultRequest);
    return { status: 204 };
  }
  if (what === 'faults' && method === 'DELETE') {
    state.clearFaults();
    return { status: 204 };
  }
  if (what === 'restart-empty' && method === 'POST') {
    state.restartEmpty();
    return { status: 204 };
  }
  return { status: 404, body: { message: 'Not found' } };
}
