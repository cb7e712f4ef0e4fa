// kong/db/schema/entities/routes.lua + routes_subschemas.lua (3.9), per
// router flavor: `traditional` SNIs allow no wildcard; the other flavors
// compile the route to an ATC expression and validate it.
import { entityKind, type RouterFlavor } from '../../../../src/model/index.ts';
import type { EntityCheck, EntitySchema, FieldDef, Subschema } from '../schema/types.ts';
import { typedefs, withAttrs } from '../typedefs.ts';
import { validateRouteExpression } from './route-expression.ts';

const STREAM_ERR = "when 'protocols' is 'tcp', 'tls', 'tls_passthrough' or 'udp'";
const GRPC_ERR = "when 'protocols' is 'grpc' or 'grpcs'";
const HTTP_ERR = "when 'protocols' is 'http' or 'https'";

const forbid = (def: FieldDef, field: string, when: string): FieldDef =>
  ({ ...def, eqNull: true, err: `cannot set '${field}' ${when}` });

function withExpression(names: readonly string[], flavor: RouterFlavor): string[] {
  return flavor === 'expressions' ? [...names, 'expression'] : [...names];
}

function httpSubschema(flavor: RouterFlavor): Subschema {
  const fields: Record<string, FieldDef> = flavor === 'expressions' ? {} : {
    sources: forbid(typedefs.sourcesOrDestinations, 'sources', HTTP_ERR),
    destinations: forbid(typedefs.sourcesOrDestinations, 'destinations', HTTP_ERR),
  };
  return {
    fields,
    entityChecks: [{
      kind: 'conditionalAtLeastOneOf', ifField: 'protocols', ifMatch: { contains: 'https' },
      thenAtLeastOneOf: withExpression(['methods', 'hosts', 'headers', 'paths', 'snis'], flavor),
      thenErr: "must set one of %s when 'protocols' is 'https'",
      elseMatch: { contains: 'http' },
      elseThenAtLeastOneOf: withExpression(['methods', 'hosts', 'headers', 'paths'], flavor),
      elseThenErr: "must set one of %s when 'protocols' is 'http'",
    }],
  };
}

function streamSubschema(flavor: RouterFlavor): Subschema {
  return {
    fields: {
      methods: forbid(typedefs.methods, 'methods', STREAM_ERR),
      hosts: forbid(typedefs.hosts, 'hosts', STREAM_ERR),
      paths: forbid(typedefs.routerPaths, 'paths', STREAM_ERR),
      headers: forbid(typedefs.headers, 'headers', STREAM_ERR),
    },
    entityChecks: [
      { kind: 'conditionalAtLeastOneOf', ifField: 'protocols',
        ifMatch: { elements: { type: 'string', oneOf: ['tcp', 'tls', 'udp'] } },
        thenAtLeastOneOf: withExpression(['sources', 'destinations', 'snis'], flavor),
        thenErr: "must set one of %s when 'protocols' is 'tcp', 'tls' or 'udp'" },
      { kind: 'conditionalAtLeastOneOf', ifField: 'protocols',
        ifMatch: { elements: { type: 'string', oneOf: ['tls_passthrough'] } },
        thenAtLeastOneOf: withExpression(['snis'], flavor),
        thenErr: "must set snis when 'protocols' is 'tls_passthrough'" },
    ],
  };
}

function grpcSubschema(flavor: RouterFlavor): Subschema {
  const fields: Record<string, FieldDef> = {
    strip_path: { type: 'boolean', required: true, default: false, ne: true,
      err: "cannot set 'strip_path' when 'protocols' is 'grpc' or 'grpcs'" },
    methods: forbid(typedefs.methods, 'methods', GRPC_ERR),
  };
  if (flavor !== 'expressions') {
    fields['sources'] = forbid(typedefs.sourcesOrDestinations, 'sources', GRPC_ERR);
    fields['destinations'] = forbid(typedefs.sourcesOrDestinations, 'destinations', GRPC_ERR);
  }
  return {
    fields,
    entityChecks: [{
      kind: 'conditionalAtLeastOneOf', ifField: 'protocols', ifMatch: { contains: 'grpcs' },
      thenAtLeastOneOf: withExpression(['hosts', 'headers', 'paths', 'snis'], flavor),
      thenErr: "must set one of %s when 'protocols' is 'grpcs'",
      elseMatch: { contains: 'grpc' },
      elseThenAtLeastOneOf: withExpression(['hosts', 'headers', 'paths'], flavor),
      elseThenErr: "must set one of %s when 'protocols' is 'grpc'",
    }],
  };
}

/** The defaults meshdoor's description of routes states (and leaves out of DB-less bodies). */
const D = entityKind('routes').defaults;
const HTTP = entityKind('routes').protocolDefaults?.['http'] ?? {};

function routeFields(flavor: RouterFlavor): Record<string, FieldDef> {
  const fields: Record<string, FieldDef> = {
    id: typedefs.uuid,
    created_at: typedefs.autoTimestampS,
    updated_at: typedefs.autoTimestampS,
    name: typedefs.utf8Name,
    protocols: { type: 'set', lenMin: 1, required: true, elements: typedefs.protocol,
      mutuallyExclusiveSubsets: [['http', 'https'], ['tcp', 'tls', 'udp'], ['tls_passthrough'], ['grpc', 'grpcs']],
      default: D['protocols'] },
    https_redirect_status_code: { type: 'integer', oneOf: [426, 301, 302, 307, 308], default: D['https_redirect_status_code'], required: true },
    strip_path: { type: 'boolean', required: true, default: HTTP['strip_path'] },
    preserve_host: { type: 'boolean', required: true, default: D['preserve_host'] },
    request_buffering: { type: 'boolean', required: true, default: D['request_buffering'] },
    response_buffering: { type: 'boolean', required: true, default: D['response_buffering'] },
    tags: typedefs.tags,
    service: { type: 'foreign', reference: 'services' },
    snis: { type: 'set', elements: flavor === 'traditional' ? typedefs.sni : typedefs.wildcardHost },
    sources: typedefs.sourcesOrDestinations,
    destinations: typedefs.sourcesOrDestinations,
    methods: typedefs.methods,
    hosts: typedefs.hosts,
    paths: typedefs.routerPaths,
    headers: typedefs.headers,
    regex_priority: { type: 'integer', default: D['regex_priority'] },
    path_handling: { type: 'string', default: D['path_handling'], oneOf: ['v0', 'v1'] },
  };
  if (flavor === 'expressions') {
    fields['expression'] = { type: 'string' };
    fields['priority'] = withAttrs({ type: 'integer', between: [0, 2 ** 46 - 1] }, { required: true, default: 0 });
  }
  return fields;
}

const ROUTE_CHECK_SOURCES = ['id', 'protocols', 'snis', 'sources', 'destinations', 'methods', 'hosts',
  'paths', 'headers', 'expression', 'regex_priority', 'priority'];

function routeChecks(flavor: RouterFlavor): EntityCheck[] {
  const checks: EntityCheck[] = [{
    kind: 'conditional', ifField: 'protocols',
    ifMatch: { elements: { type: 'string', notOneOf: ['grpcs', 'https', 'tls', 'tls_passthrough'] } },
    thenField: 'snis', thenMatch: { lenEq: 0 },
    thenErr: "'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'",
  }];
  if (flavor !== 'traditional') {
    checks.push({ kind: 'custom', fieldSources: ROUTE_CHECK_SOURCES, runWithMissingFields: true,
      fn: (route) => validateRouteExpression(route, flavor) });
  }
  return checks;
}

const cache = new Map<RouterFlavor, EntitySchema>();

export function routesSchema(flavor: RouterFlavor): EntitySchema {
  let schema = cache.get(flavor);
  if (!schema) {
    const http = httpSubschema(flavor);
    const stream = streamSubschema(flavor);
    const grpc = grpcSubschema(flavor);
    schema = {
      name: 'routes', endpointKey: 'name', subschemaKey: 'protocols',
      fields: routeFields(flavor), entityChecks: routeChecks(flavor),
      subschemas: { http, https: http, tcp: stream, tls: stream, udp: stream, tls_passthrough: stream,
        grpc, grpcs: grpc },
    };
    cache.set(flavor, schema);
  }
  return schema;
}
