// Service annotations that shape the Kong service (docs/kic-compatibility.md#annotations), validated strictly.
// Supported: konghq.com/path, protocol, connect-timeout, read-timeout,
// write-timeout, retries, host-header, and ingress.kubernetes.io/service-upstream.
// konghq.com/plugins is resolved with the backend (plugin-refs.ts); other
// konghq.com/* annotations are ignored (see route-annotations.ts).
import { isIP } from 'node:net';
import type { KongProtocol } from '../model/index.ts';
import { KONG_SERVICE_DEFAULTS } from '../model/index.ts';
import {
  annotationBool, annotationInt, annotationOneOf, InvalidAnnotationError, parsedOrError,
} from './annotation-values.ts';
import type { Annotations } from './annotation-values.ts';

export interface ServiceOptions {
  protocol: KongProtocol;
  /** Undefined for gRPC services, whose path must be null in Kong. */
  path?: string;
  connectTimeout: number;
  readTimeout: number;
  writeTimeout: number;
  retries: number;
  /**
   * Upstream Host header. Kong keeps it on the upstream entity, so a service
   * that sets it gets an upstream (with one target) even in service/mesh mode.
   */
  hostHeader?: string;
  /** Only meaningful in `endpoints` mode: one ClusterIP-DNS target instead of endpoints. */
  serviceUpstream: boolean;
}

const K = 'konghq.com/';
const SERVICE_UPSTREAM = 'ingress.kubernetes.io/service-upstream';
const TIMEOUT = { min: 1, max: 2 ** 31 - 2 };
const SERVICE_PROTOCOLS = ['http', 'https', 'grpc', 'grpcs'] as const;
// Kong's `path` typedef: RFC 3986 unreserved and reserved characters, %XX escapes.
const KONG_PATH = /^\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
const HOST_LABEL = /^[A-Za-z0-9](?:[-A-Za-z0-9]*[A-Za-z0-9])?$/;

// Kong's service defaults; the path '/' is meshdoor's.
export const DEFAULT_SERVICE_OPTIONS: Readonly<ServiceOptions> = Object.freeze({
  protocol: KONG_SERVICE_DEFAULTS.protocol,
  path: '/',
  connectTimeout: KONG_SERVICE_DEFAULTS.connect_timeout,
  readTimeout: KONG_SERVICE_DEFAULTS.read_timeout,
  writeTimeout: KONG_SERVICE_DEFAULTS.write_timeout,
  retries: KONG_SERVICE_DEFAULTS.retries,
  serviceUpstream: false,
});

function parsePath(annotations: Annotations): string | undefined {
  const name = `${K}path`;
  const value = annotations[name];
  if (value === undefined) return undefined;
  if (!KONG_PATH.test(value) || value.includes('//') || /%(?![0-9A-Fa-f]{2})/.test(value)) {
    throw new InvalidAnnotationError(name, value, 'expected a URL path starting with /, without //, with valid %XX escapes');
  }
  return value;
}

function isHostWithOptionalPort(value: string): boolean {
  const match = /^(.+?)(?::([0-9]{1,5}))?$/.exec(value);
  const host = match?.[1] ?? '';
  const port = match?.[2];
  if (port !== undefined && Number(port) > 65535) return false;
  if (isIP(host) !== 0) return true;
  return host.length <= 253 && host.split('.').every((label) => HOST_LABEL.test(label));
}

function parseHostHeader(annotations: Annotations): string | undefined {
  const name = `${K}host-header`;
  const value = annotations[name];
  if (value !== undefined && !isHostWithOptionalPort(value)) {
    throw new InvalidAnnotationError(name, value, 'expected a host name or IP, optionally with :port');
  }
  return value;
}

/** The Kong service options a Service's annotations ask for, or why they are invalid. */
export function readServiceAnnotations(annotations: Annotations = {}): ServiceOptions | InvalidAnnotationError {
  if (!readsAny(annotations)) return DEFAULT_SERVICE_OPTIONS;
  return parsedOrError(() => parseServiceAnnotations(annotations));
}


/** Whether any annotation is one this file reads (most Services carry none: they share the defaults). */
function readsAny(annotations: Annotations): boolean {
  for (const name in annotations) if (name.startsWith(K) || name === SERVICE_UPSTREAM) return true;
  return false;
}

function parseServiceAnnotations(annotations: Annotations): ServiceOptions {
  const d = DEFAULT_SERVICE_OPTIONS;
  const protocol = annotationOneOf(annotations, `${K}protocol`, SERVICE_PROTOCOLS) ?? d.protocol;
  const path = parsePath(annotations);
  const grpc = protocol === 'grpc' || protocol === 'grpcs';
  if (grpc && path !== undefined) {
    throw new InvalidAnnotationError(`${K}path`, path, `a path cannot be set when konghq.com/protocol is ${protocol}`);
  }
  const options: ServiceOptions = {
    protocol,
    path: grpc ? undefined : path ?? d.path,
    connectTimeout: annotationInt(annotations, `${K}connect-timeout`, TIMEOUT) ?? d.connectTimeout,
    readTimeout: annotationInt(annotations, `${K}read-timeout`, TIMEOUT) ?? d.readTimeout,
    writeTimeout: annotationInt(annotations, `${K}write-timeout`, TIMEOUT) ?? d.writeTimeout,
    retries: annotationInt(annotations, `${K}retries`, { min: 0, max: 32767 }) ?? d.retries,
    serviceUpstream: annotationBool(annotations, SERVICE_UPSTREAM) ?? d.serviceUpstream,
  };
  const hostHeader = parseHostHeader(annotations);
  if (hostHeader !== undefined) options.hostHeader = hostHeader;
  return options;
}
