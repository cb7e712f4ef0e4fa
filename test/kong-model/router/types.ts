// Shapes shared by the router model's flavors.

/** A Kong entity as the Admin API returns it (foreign keys as `{id}`). */
export type KongEntity = Record<string, unknown>;

/** What the router needs; `validateDeclarativeConfig(...).entities` fits. */
export interface RouterEntities {
  services: readonly KongEntity[];
  routes: readonly KongEntity[];
  upstreams?: readonly KongEntity[];
  targets?: readonly KongEntity[];
}

export type RouterModelFlavor = 'traditional_compatible' | 'traditional' | 'expressions';

export interface RouterOptions {
  flavor: RouterModelFlavor;
}

export interface RouterRequest {
  method: string;
  /** The Host header, possibly with a port. */
  host: string;
  /** The request target; a query string is ignored. */
  path: string;
  /** Request headers; names are case-insensitive. */
  headers?: Readonly<Record<string, string | readonly string[]>>;
  /** Protocol as Kong sees it (after trusted X-Forwarded-Proto). Default `http`. */
  scheme?: 'http' | 'https';
  /** TLS SNI of an https request. */
  sni?: string;
  /**
   * The listener port the request arrived on (traditional_compatible's
   * `net.dst.port`). Default 80 for http, 443 for https.
   */
  port?: number;
}

export interface RouteMatch {
  /** The route as configured (not a split sub-route). */
  route: KongEntity;
  /** The route's service, or null for a service-less route. */
  service: KongEntity | null;
  /** Id the router matched on: the route id, or a split sub-route's uuid5. */
  matcherId: string;
  /** The request path after Kong's normalization (query removed). */
  requestPath: string;
  /** The path the route matched: its prefix, or the text a regex matched. */
  matchedPath: string | undefined;
  /** What strip_path removed (Kong's X-Forwarded-Prefix when not `/`). */
  stripped: string | undefined;
  /** The path Kong sends upstream (service path joined per path_handling v0). */
  upstreamPath: string;
  /** preserve_host: the Host Kong forwards; otherwise undefined (the target's host). */
  upstreamHost: string | undefined;
  /** Set when the route matched but requires HTTPS: Kong answers this instead of proxying. */
  httpsRequired?: { status: number; location?: string };
}

export interface Router {
  match(req: RouterRequest): RouteMatch | null;
}
