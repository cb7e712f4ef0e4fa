// Sends a recorded Admin API request to the double byte for byte: the exact
// method, path and body, with Content-Type only when one was recorded
// (fetch would add text/plain to a string body).
import http from 'node:http';
import type { RecordedRequest } from './recording-types.ts';

export interface ReplayAnswer {
  status: number;
  contentType: string | null;
  /** Parsed JSON when the answer was JSON, else the raw text. */
  body: unknown;
}

export function replayRequest(baseUrl: string, request: RecordedRequest, body: string | Buffer | null = request.body ?? null): Promise<ReplayAnswer> {
  const headers: Record<string, string | number> = { Connection: 'close' };
  if (request.content_type) headers['Content-Type'] = request.content_type;
  if (body !== null) headers['Content-Length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}${request.path}`, { method: request.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const contentType = res.headers['content-type'] ?? null;
        let parsed: unknown = text;
        if (contentType?.includes('json') && text !== '') parsed = JSON.parse(text);
        resolve({ status: res.statusCode ?? 0, contentType, body: parsed });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}
