// Ingress annotations that shape Kong routes (docs/kic-compatibility.md#annotations), validated strictly.
//
// Supported: konghq.com/strip-path, preserve-host, protocols, methods,
// https-redirect-status-code, regex-priority, regex-prefix, host-aliases,
// headers.<name>, headers-separator, path-handling, request-buffering,
// response-buffering, snis, and ingress.kubernetes.io/force-ssl-redirect.
//
// konghq.com/plugins is read where the plan is made (plugin-refs.ts): the
// route gets every plugin it names, or the Ingress is a failure.
// Other konghq.com/* annotations (override, rewrite, tags, ...) name Kong
// features meshdoor does not manage. They are ignored without a failure so
// Ingresses written for the Kong Ingress Controller keep routing after a
// migration; the README lists what is honoured.
import type { KongProtocol, KongRoute, RouterFlavor } from '../model/index.ts';
import { checkRouteRegex } from '../kong/index.ts';
import { freezeDeep } from '../model/index.ts';
import {
  annotationBool, annotationHosts, annotationInt, annotationList, annotationOneOf, InvalidAnnotationError, parsedOrError,
} from './annotation-values.ts';
import type { Annotations } from './annotation-values.ts';
import { checkIngressHost } from './hosts.ts';
import { DEFAULT_REGEX_PREFIX } from './paths.ts';
import type { AttachedPlugins } from './plugin-refs.ts';
import { TwoGenerations } from './two-generations.ts';

export interface RouteOptions {
  stripPath: boolean;
  preserveHost: boolean;
  protocols: KongProtocol[];
  methods?: string[];
  headers?: Record<string, string[]>;
  snis?: string[];
  httpsRedirectStatusCode: KongRoute['https_redirect_status_code'];
  /** Added to the regex_priority meshdoor computes (Exact paths get +1). */
  regexPriority: number;
  pathHandling: KongRoute['path_handling'];
  requestBuffering: boolean;
  responseBuffering: boolean;
  hostAliases: string[];
  regexPrefix: string;
  /** konghq.com/plugins, resolved when the Ingress is planned: every route of it gets them. */
  plugins?: AttachedPlugins;
}

const K = 'konghq.com/';
const HEADER_PREFIX = `${K}headers.`;
const FORCE_SSL = 'ingress.kubernetes.io/force-ssl-redirect';
const REDIRECT_CODES = [426, 301, 302, 307, 308] as const;
/** Kong's router packs regex_priority next to other fields (docs/kong-router.md#priority-on-traditional_compatible): keep it small. */
export const REGEX_PRIORITY_LIMIT = 256;
const HTTP_PROTOCOLS: KongProtocol[] = ['http', 'https'];
const GRPC_PROTOCOLS: KongProtocol[] = ['grpc', 'grpcs'];
const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export const DEFAULT_ROUTE_OPTIONS: Readonly<RouteOptions> = Object.freeze({
  stripPath: false,
  preserveHost: true,
  protocols: HTTP_PROTOCOLS,
  httpsRedirectStatusCode: 426,
  regexPriority: 0,
  pathHandling: 'v0',
  requestBuffering: true,
  responseBuffering: true,
  hostAliases: [],
  regexPrefix: DEFAULT_REGEX_PREFIX,
});

function parseProtocols(annotations: Annotations): KongProtocol[] | undefined {
  const name = `${K}protocols`;
  const items = annotationList(annotations, name)?.map((p) => p.toLowerCase());
  if (items === undefined) return undefined;
  const family = items.every((p) => HTTP_PROTOCOLS.includes(p as KongProtocol)) ? HTTP_PROTOCOLS
    : items.every((p) => GRPC_PROTOCOLS.includes(p as KongProtocol)) ? GRPC_PROTOCOLS : undefined;
  if (!family) {
    throw new InvalidAnnotationError(name, annotations[name] ?? '', 'expected http and/or https, or grpc and/or grpcs (not mixed)');
  }
  return family.filter((p) => items.includes(p));
}

function parseMethods(annotations: Annotations): string[] | undefined {
  const name = `${K}methods`;
  const methods = annotationList(annotations, name)?.map((m) => m.toUpperCase());
  if (methods?.some((m) => !/^[A-Z]+$/.test(m))) {
    throw new InvalidAnnotationError(name, annotations[name] ?? '', 'methods must be letters only, e.g. GET,POST');
  }
  return methods === undefined ? undefined : [...new Set(methods)].sort();
}

function checkHeaderValue(name: string, raw: string, value: string): void {
  if (!value.startsWith('~*')) return;
  const verdict = checkRouteRegex(value.slice(2));
  if (!verdict.ok) {
    throw new InvalidAnnotationError(name, raw, `'${value}' is a regex Kong refuses (${verdict.error.message})`);
  }
}

function parseHeaders(annotations: Annotations): Record<string, string[]> | undefined {
  const separator = annotations[`${K}headers-separator`] ?? ',';
  if (separator === '') throw new InvalidAnnotationError(`${K}headers-separator`, separator, 'must not be empty');
  const headers: Record<string, string[]> = {};
  for (const name of Object.keys(annotations).filter((a) => a.startsWith(HEADER_PREFIX)).sort()) {
    const header = name.slice(HEADER_PREFIX.length).toLowerCase();
    const raw = annotations[name] ?? '';
    if (!HEADER_TOKEN.test(header)) throw new InvalidAnnotationError(name, raw, `'${header}' is not a valid header name`);
    if (header === 'host') throw new InvalidAnnotationError(name, raw, 'match hosts with rules[].host or konghq.com/host-aliases');
    const values = annotationList(annotations, name, separator) ?? [];
    for (const value of values) checkHeaderValue(name, raw, value);
    headers[header] = values;
  }
  return Object.keys(headers).length > 0 ? headers : undefined;
}

function parseSnis(annotations: Annotations, flavor: RouterFlavor): string[] | undefined {
  const name = `${K}snis`;
  const raw = annotations[name];
  if (raw === undefined) return undefined;
  if (raw.trim() === '') return [];
  const snis = annotationList(annotations, name) ?? [];
  for (const sni of snis) {
    const problem = checkIngressHost(sni);
    if (problem) throw new InvalidAnnotationError(name, raw, `SNI '${sni}' ${problem}`);
    if (flavor === 'traditional' && sni.startsWith('*.')) {
      throw new InvalidAnnotationError(name, raw, `wildcard SNI '${sni}' needs router flavor traditional_compatible or expressions`);
    }
  }
  return [...new Set(snis)].sort();
}

/**
 * On traditional_compatible Kong shifts regex_priority as a signed 32-bit
 * number into its 64-bit route priority (kong/router/transform.lua), so a
 * negative value sets every high bit: the route would outrank all others,
 * the opposite of what a negative priority asks for.
 */
function parseRegexPriority(annotations: Annotations, flavor: RouterFlavor): number {
  const name = `${K}regex-priority`;
  const value = annotationInt(annotations, name, { min: -REGEX_PRIORITY_LIMIT, max: REGEX_PRIORITY_LIMIT }) ?? 0;
  if (value < 0 && flavor === 'traditional_compatible') {
    throw new InvalidAnnotationError(name, annotations[name] ?? '',
      'must not be negative on the traditional_compatible router, where Kong would rank the route above every other; raise the other routes instead');
  }
  return value;
}

function parseRegexPrefix(annotations: Annotations): string | undefined {
  const name = `${K}regex-prefix`;
  const value = annotations[name];
  if (value !== undefined && !/^\/[^\s/]+$/.test(value)) {
    throw new InvalidAnnotationError(name, value, 'expected a marker such as /~ (a slash, then non-space characters)');
  }
  return value;
}

function baseOptions(annotations: Annotations, flavor: RouterFlavor): RouteOptions {
  const d = DEFAULT_ROUTE_OPTIONS;
  return {
    stripPath: annotationBool(annotations, `${K}strip-path`) ?? d.stripPath,
    preserveHost: annotationBool(annotations, `${K}preserve-host`) ?? d.preserveHost,
    protocols: parseProtocols(annotations) ?? d.protocols,
    methods: parseMethods(annotations),
    headers: parseHeaders(annotations),
    snis: parseSnis(annotations, flavor),
    httpsRedirectStatusCode: annotationOneOf(annotations, `${K}https-redirect-status-code`, REDIRECT_CODES) ?? d.httpsRedirectStatusCode,
    regexPriority: parseRegexPriority(annotations, flavor),
    pathHandling: annotationOneOf(annotations, `${K}path-handling`, ['v0', 'v1'] as const) ?? d.pathHandling,
    requestBuffering: annotationBool(annotations, `${K}request-buffering`) ?? d.requestBuffering,
    responseBuffering: annotationBool(annotations, `${K}response-buffering`) ?? d.responseBuffering,
    hostAliases: annotationHosts(annotations, `${K}host-aliases`) ?? [],
    regexPrefix: parseRegexPrefix(annotations) ?? d.regexPrefix,
  };
}

/** Kong's route schema rejects these combinations (docs/kong-router.md#route-fields-kong-refuses-together); report them as the annotation's fault. */
function checkCombinations(options: RouteOptions, annotations: Annotations): void {
  const grpc = options.protocols.some((p) => GRPC_PROTOCOLS.includes(p));
  const protocols = annotations[`${K}protocols`] ?? '';
  if (grpc && options.methods) {
    throw new InvalidAnnotationError(`${K}methods`, annotations[`${K}methods`] ?? '', `methods cannot be matched on gRPC routes (protocols '${protocols}')`);
  }
  if (grpc && options.stripPath) {
    throw new InvalidAnnotationError(`${K}strip-path`, annotations[`${K}strip-path`] ?? '', `strip-path cannot be true on gRPC routes (protocols '${protocols}')`);
  }
  if (options.snis?.length && !options.protocols.some((p) => p === 'https' || p === 'grpcs')) {
    throw new InvalidAnnotationError(`${K}snis`, annotations[`${K}snis`] ?? '', `SNIs need https or grpcs among the protocols ('${protocols}')`);
  }
}

/** The route options an Ingress's annotations ask for, or why they are invalid. */
export function readRouteAnnotations(annotations: Annotations = {}, flavor: RouterFlavor = 'traditional_compatible'): RouteOptions | InvalidAnnotationError {
  if (!readsAny(annotations)) return UNANNOTATED_OPTIONS;
  return parsedOrError(() => parseRouteAnnotations(annotations, flavor));
}

/** Whether any annotation is one this file reads (most Ingresses carry none). */
function readsAny(annotations: Annotations): boolean {
  for (const name in annotations) if (name.startsWith(K) || name === FORCE_SSL) return true;
  return false;
}

function parseRouteAnnotations(annotations: Annotations, flavor: RouterFlavor): RouteOptions {
  const options = baseOptions(annotations, flavor);
  if (annotationBool(annotations, FORCE_SSL)) {
    // As KIC: plain-text requests are redirected (302 unless a code is given).
    const grpc = options.protocols.some((p) => GRPC_PROTOCOLS.includes(p));
    options.protocols = grpc ? ['grpcs'] : ['https'];
    if (annotations[`${K}https-redirect-status-code`] === undefined) options.httpsRedirectStatusCode = 302;
  }
  checkCombinations(options, annotations);
  return options;
}

/**
 * The options of an Ingress without route annotations, whatever the router
 * flavor: one frozen object shared by all of them, not one per Ingress.
 */
const UNANNOTATED_OPTIONS: Readonly<RouteOptions> = Object.freeze(parseRouteAnnotations({}, 'traditional_compatible'));

/** Parsed options kept per generation: far more than the distinct annotation sets of a cluster. */
const OPTIONS_GENERATION_SIZE = 10_000;

/**
 * A translator's parsed route annotations, by router flavor and annotation
 * content: Ingresses mostly repeat a few annotation sets, and a parse is pure,
 * so equal annotations share one (never mutated) result.
 */
export class ParsedRouteAnnotations {
  private readonly parsed = new TwoGenerations<RouteOptions | InvalidAnnotationError>(OPTIONS_GENERATION_SIZE);

  read(annotations: Annotations, flavor: RouterFlavor): RouteOptions | InvalidAnnotationError {
    const key = contentKey(annotations);
    if (key === '') return UNANNOTATED_OPTIONS;
    const known = this.parsed.find(flavor, key);
    if (known !== undefined) return known;
    const options = readRouteAnnotations(annotations, flavor);
    // Frozen: the claims of many Ingresses share it.
    return this.parsed.remember(flavor, key, options instanceof InvalidAnnotationError ? options : freezeDeep(options));
  }
}

/** The annotations this file reads, as one unambiguous string (lengths before texts); empty when none. */
function contentKey(annotations: Annotations): string {
  let key = '';
  for (const name in annotations) {
    if (!name.startsWith(K) && name !== FORCE_SSL) continue;
    const value = annotations[name] ?? '';
    key += `${name.length}:${name}${value.length}:${value}`;
  }
  return key;
}
