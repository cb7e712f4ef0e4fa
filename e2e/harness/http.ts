// Minimal HTTP(S) GET for health checks: a custom CA and bearer token, no
// global agent state, short timeout.
import http from 'node:http';
import https from 'node:https';

export interface HttpGetOptions {
  ca?: string;
  token?: string;
  timeoutMs?: number;
  /** Do not verify the server's certificate (the Kong double's control API only). */
  insecure?: boolean;
}

export interface HttpResponse {
  status: number;
  body: string;
}

export function httpGet(url: string, options: HttpGetOptions = {}): Promise<HttpResponse> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  return new Promise((resolve, reject) => {
    const req = client.get(target, { headers, ca: options.ca, agent: false, timeout: options.timeoutMs ?? 5000, rejectUnauthorized: options.insecure !== true }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }); });
      res.on('error', reject);
    });
    req.on('timeout', () => { req.destroy(new Error(`GET ${url} timed out`)); });
    req.on('error', reject);
  });
}
