// The shapes of the recorded cases (see the recordings' README).
export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  content_type?: string | null;
  body?: string | null;
  /** Size-limit cases: the body is not stored, only its length and shape. */
  body_omitted?: { length: number; description: string };
}

export interface RecordedResponse {
  status: number;
  content_type?: string | null;
  body?: unknown;
}

export type RecordedEntities = Record<string, Record<string, unknown>[]>;

export interface RecordedCase {
  name: string;
  note?: string;
  request: RecordedRequest;
  response: RecordedResponse;
  after?: { configuration_hash?: string; entities?: RecordedEntities };
}

export interface RecordedFile {
  kong_version: string;
  router_flavor?: string;
  cases: RecordedCase[];
}
