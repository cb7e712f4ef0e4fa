// AdmissionReview (admission.k8s.io/v1) in and out: plain data, no I/O. The
// request's objects are only ever read as data.
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface AdmissionRequest {
  uid: string;
  kind: GroupVersionKind;
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  namespace?: string;
  name?: string;
  object?: unknown;
  oldObject?: unknown;
  dryRun?: boolean;
}

/** What meshdoor answers about one object. */
export interface Verdict {
  allowed: boolean;
  /** Why it is refused: one line per problem, as the Event would read. */
  message?: string;
  /** Shown by kubectl as `Warning: ...`. */
  warnings: string[];
}

export interface AdmissionReview {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  request?: AdmissionRequest;
  response?: {
    uid: string;
    allowed: boolean;
    status?: { code: number; reason: string; message: string };
    warnings?: string[];
  };
}

// kubectl prints each warning; the API server drops ones longer than this.
const WARNING_LIMIT = 256;
const WARNINGS_MAX = 12;

/** The request of an AdmissionReview body, or why the body is not one. */
export function parseReview(body: string): AdmissionRequest | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { error: 'body is not JSON' };
  }
  const review = parsed as Partial<AdmissionReview> | null;
  if (review?.apiVersion !== 'admission.k8s.io/v1' || review.kind !== 'AdmissionReview') return { error: 'body is not an admission.k8s.io/v1 AdmissionReview' };
  const request = review.request;
  if (typeof request?.uid !== 'string' || typeof request.kind?.kind !== 'string') return { error: 'AdmissionReview has no request.uid or request.kind' };
  return request;
}

function clip(text: string): string {
  return text.length <= WARNING_LIMIT ? text : `${text.slice(0, WARNING_LIMIT - 3)}...`;
}

export function reviewResponse(uid: string, verdict: Verdict): AdmissionReview {
  const warnings = verdict.warnings.slice(0, WARNINGS_MAX).map(clip);
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: {
      uid,
      allowed: verdict.allowed,
      ...(verdict.allowed ? {} : { status: { code: 403, reason: 'Forbidden', message: verdict.message ?? 'refused by meshdoor' } }),
      ...(warnings.length > 0 ? { warnings } : {}),
    },
  };
}
