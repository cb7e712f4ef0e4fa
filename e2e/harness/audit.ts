// Reads kube-apiserver's JSON-lines audit log (Metadata level).
import { readFile } from 'node:fs/promises';

export interface AuditEvent {
  stage: string;
  verb: string;
  requestURI: string;
  user: { username: string; groups?: string[] };
  objectRef?: { resource?: string; namespace?: string; name?: string; apiGroup?: string; subresource?: string };
  responseStatus?: { code?: number };
  requestReceivedTimestamp?: string;
}

export async function readAuditEvents(file: string): Promise<AuditEvent[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as AuditEvent);
}

/** The events of one user that touch `resource` (optionally one name). */
export function auditEventsFor(events: AuditEvent[], filter: { username: string; resource: string; name?: string }): AuditEvent[] {
  return events.filter((e) =>
    e.user.username === filter.username &&
    e.objectRef?.resource === filter.resource &&
    (filter.name === undefined || e.objectRef.name === filter.name));
}
