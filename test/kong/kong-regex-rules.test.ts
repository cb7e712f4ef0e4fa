// Kong's regex rules (src/kong/rules) against what a real Kong 3.9.3 decided:
// the recorded /config contract cases and routing truth tables.
import { expect } from 'chai';
import { checkRouteRegex, compileKongRegex, routerRequestPath } from '../../src/kong/rules/index.ts';
import { readRecording, ROUTER_FLAVORS } from './recordings-dir.ts';

interface ContractCase {
  name: string;
  request: { content_type: string | null; body: string | null };
  response: { status: number; body: unknown };
}

interface FlatError { entity_type: string; entity_name?: string; errors: { type: string; field?: string; message: string }[] }

interface RoutingCase {
  id: string;
  request: { host: string | null; path: string };
  result: { status: number; source: string; backend?: string };
}

interface RoutingFile {
  flavors: Record<string, { entities: { routes: { name: string; paths?: string[] | null; expression?: string | null }[] }; cases: RoutingCase[] }>;
}

type Route = { name?: string; paths?: string[] };

interface FullRoute {
  name: string; service: { id: string }; paths?: string[] | null; hosts?: string[] | null; expression?: string | null;
  methods?: string[] | null; headers?: object | null; snis?: string[] | null; protocols?: string[] | null;
}

interface FullRoutingFile {
  flavors: Record<string, {
    entities: {
      services: { id: string; host: string; port: number }[];
      routes: FullRoute[];
      upstreams: { id: string; name: string }[];
      targets: { target: string; upstream: { id: string } }[];
    };
    cases: { id: string; request: { host: string | null; path: string; scheme: string }; result: { status: number; source: string; backend?: string } }[];
  }>;
}

/** Echo server `e<port>` each service reaches: its own port, or its upstream's target port. */
function backendsByService(entities: FullRoutingFile['flavors'][string]['entities']): Map<string, string> {
  return new Map(entities.services.map((s) => {
    const upstream = entities.upstreams.find((u) => u.name === s.host);
    const target = upstream && entities.targets.find((t) => t.upstream.id === upstream.id);
    return [s.id, `e${target ? target.target.split(':')[1] ?? '' : s.port}`];
  }));
}

function routesOf(body: string | null): Route[] {
  if (body === null) return [];
  let doc: { services?: { routes?: Route[] }[]; routes?: Route[] };
  try {
    doc = JSON.parse(body) as typeof doc;
  } catch {
    return [];
  }
  if (typeof doc !== 'object' || doc === null) return [];
  return [...(doc.services ?? []).flatMap((s) => s.routes ?? []), ...(doc.routes ?? [])];
}

const regexOf = (path: string): string | null => (path.startsWith('~') ? path.slice(1) : null);

/** What Kong said about regex path `index` (0-based) of `route`: ok, or the engine and its message. */
function kongVerdict(c: ContractCase, route: Route, index: number): { ok: true } | { engine: 'pcre' | 'rust'; message: string } {
  if (c.response.status === 201 || c.response.status === 200) return { ok: true };
  const flattened = (c.response.body as { flattened_errors?: FlatError[] }).flattened_errors ?? [];
  const entry = flattened.find((e) => e.entity_type === 'route' && e.entity_name === route.name);
  const field = entry?.errors.find((e) => e.field === `paths.${index + 1}`);
  if (field?.message.startsWith('invalid regex:')) return { engine: 'pcre', message: field.message };
  const entity = entry?.errors.find((e) => e.type === 'entity' && e.message.includes('regex parse error'));
  if (entity) return { engine: 'rust', message: entity.message.slice(entity.message.indexOf('regex parse error')) };
  return { ok: true };
}

describe('Kong regex rules', () => {
  describe('validity, as recorded in the /config contract', () => {
    for (const flavor of ROUTER_FLAVORS) {
      const cases = readRecording<{ cases: ContractCase[] }>(`config-contract.${flavor}.json`).cases;
      const relevant = cases.filter((c) => /^rt-regex-\d+$/.test(c.name) || (c.response.status === 201 && routesOf(c.request.body).length > 0));
      for (const c of relevant) {
        for (const route of routesOf(c.request.body)) {
          (route.paths ?? []).forEach((path, index) => {
            const re = regexOf(path);
            if (re === null) return;
            it(`${flavor} ${c.name}: ${path}`, () => {
              const expected = kongVerdict(c, route, index);
              const got = checkRouteRegex(re);
              if ('ok' in expected) {
                expect(got, got.ok ? '' : got.message).to.deep.equal({ ok: true });
                return;
              }
              expect(got.ok).to.equal(false);
              if (got.ok) return;
              expect(got.engine).to.equal(expected.engine);
              expect(got.message).to.equal(expected.message);
            });
          });
        }
      }
    }
  });

  describe('validity of every regex a real Kong loaded', () => {
    const files = ['direct', 'hand', 'rand1', 'rand2', 'rand3', 'rand4', 'rand5', 'rand6', 'rand7', 'rand8'];
    for (const file of files) {
      it(`routing/${file}.json`, () => {
        const routing = readRecording<RoutingFile>(`routing/${file}.json`);
        const regexes = routing.flavors['traditional_compatible']?.entities.routes
          .flatMap((r) => r.paths ?? []).map(regexOf).filter((r): r is string => r !== null) ?? [];
        const refused = regexes.map((re) => [re, checkRouteRegex(re)] as const).filter(([, v]) => !v.ok);
        expect(refused.map(([re]) => re)).to.deep.equal([]);
      });
    }
  });

  describe('documented verdicts', () => {
    const accepted = ['/(?i)x', '/(?i:ab)', '/(?P<n>x)', '/[[:alpha:]]', '/\\pL', '/\\p{L}', '/a\\z', '/(?x) a b', '/a++', '/\\x{e9}',
      '/\\p{Letter}', '/\\p{greek}', '/\\p{sc=Greek}', '/[\\p{Alphabetic}-]', '/a{1001}'];
    const pcre = ['/abc)', '/[a-', '/\\1', '/a{2,1}', '/(a', '/a**', '/\\u00e9', '/[z-a]', '/[[:nope:]]', '/\\p{Nope}'];
    const rust = ['/a\\Z', '/\\e', '/a{', '/\\K', '/\\Q.\\E', '/(?=a)', '/(a)\\1', '/\\0', '/a{,3}', '/\\é', '/(?#c)'];
    for (const re of accepted) it(`accepts ~${re}`, () => expect(checkRouteRegex(re).ok).to.equal(true));
    for (const re of pcre) it(`PCRE refuses ~${re}`, () => expect(checkRouteRegex(re)).to.include({ ok: false, engine: 'pcre' }));
    for (const re of rust) it(`Rust refuses ~${re}`, () => expect(checkRouteRegex(re)).to.include({ ok: false, engine: 'rust' }));
  });

  describe('matching, as the routing truth table of the direct config recorded', () => {
    const routing = readRecording<RoutingFile>('routing/direct.json');
    for (const flavor of ROUTER_FLAVORS) {
      const data = routing.flavors[flavor];
      if (!data) throw new Error(`routing/direct.json has no ${flavor} flavor`);
      // d-* routes on d.example.com are one regex each, on their own backend e93NN, with distinct first segments.
      const regexRoutes = data.entities.routes
        .map((r) => ({ name: r.name, re: regexOf(r.paths?.[0] ?? '') }))
        .filter((r): r is { name: string; re: string } => r.re !== null && !r.name.startsWith('d-rp'));
      for (const c of data.cases) {
        if (c.request.host !== 'd.example.com') continue;
        const path = decodeURIComponent(c.request.path.split('?')[0] ?? '');
        const segment = (p: string): string => p.split('/')[1] ?? '';
        const route = regexRoutes.find((r) => segment(r.re) === segment(path));
        if (!route || (c.result.source !== 'backend' && c.result.status !== 404)) continue;
        it(`${flavor} ${c.id}: ~${route.re} ${c.result.status === 404 ? 'does not match' : 'matches'} ${path}`, () => {
          expect(compileKongRegex(`^${route.re}`).test(path)).to.equal(c.result.status !== 404);
        });
      }
    }
  });

  describe('matching, against every recorded routing table (traditional_compatible)', () => {
    const files = ['direct', 'hand', 'rand1', 'rand2', 'rand3', 'rand4', 'rand5', 'rand6', 'rand7', 'rand8'];
    const matches = (regexPath: string, requestPath: string): boolean => compileKongRegex(`^${regexPath.slice(1)}`).test(routerRequestPath(requestPath));
    for (const file of files) {
      const table = readRecording<FullRoutingFile>(`routing/${file}.json`).flavors['traditional_compatible'];
      if (!table) throw new Error(`routing/${file}.json has no traditional_compatible flavor`);
      it(`${file}: a request that reached the only route of its backend matched one of its regexes`, () => {
        const backendOf = backendsByService(table.entities);
        const misses = table.cases.filter((c) => c.result.source === 'backend').flatMap((c) => {
          const routes = table.entities.routes.filter((r) => backendOf.get(r.service.id) === c.result.backend);
          const paths = routes.length === 1 ? routes[0]?.paths ?? [] : [];
          if (paths.length === 0 || !paths.every((p) => p.startsWith('~'))) return [];
          return paths.some((p) => matches(p, c.request.path)) ? [] : [`${c.id} ${c.request.path}`];
        });
        expect(misses).to.deep.equal([]);
      });
      it(`${file}: no regex of an unrestricted route for the host matches a request Kong answered 404`, () => {
        const wrong = table.cases.filter((c) => c.result.status === 404 && c.result.source === 'kong' && c.request.scheme === 'http').flatMap((c) => {
          const host = (c.request.host ?? '').replace(/:\d+$/, '');
          return table.entities.routes
            .filter((r) => !r.methods && !r.headers && !r.snis && (!r.protocols || r.protocols.includes('http')) && (!r.hosts || r.hosts.includes(host)))
            .flatMap((r) => (r.paths ?? []).filter((p) => p.startsWith('~') && matches(p, c.request.path)).map((p) => `${c.id} ${c.request.path} ~ ${p}`));
        });
        expect(wrong).to.deep.equal([]);
      });
    }
  });

  describe('matching, against every recorded routing table (expressions, meshdoor\'s expressions)', () => {
    const files = ['hand', 'rand1', 'rand2', 'rand3', 'rand4', 'rand5', 'rand6', 'rand7', 'rand8'];
    const unquote = (s: string): string => s.replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
    /** The regexes of `http.path ~ "..."` terms, when they are the expression's only path terms. */
    const pathRegexes = (expression: string): string[] | null => {
      const regexes = [...expression.matchAll(/http\.path ~ "((?:[^"\\]|\\.)*)"/g)].map((m) => unquote(m[1] ?? ''));
      return regexes.length > 0 && regexes.length === (expression.match(/http\.path/g) ?? []).length ? regexes : null;
    };
    for (const file of files) {
      it(`${file}: a request that reached a backend served only by regex routes matched one of them`, () => {
        const table = readRecording<FullRoutingFile>(`routing/${file}.json`).flavors['expressions'];
        if (!table) throw new Error(`routing/${file}.json has no expressions flavor`);
        const backendOf = backendsByService(table.entities);
        const misses = table.cases.filter((c) => c.result.source === 'backend').flatMap((c) => {
          const routes = table.entities.routes.filter((r) => backendOf.get(r.service.id) === c.result.backend);
          const regexes = routes.map((r) => pathRegexes(r.expression ?? ''));
          if (routes.length === 0 || regexes.some((r) => r === null)) return [];
          const path = routerRequestPath(c.request.path);
          return regexes.flat().some((re) => re !== null && compileKongRegex(re).test(path)) ? [] : [`${c.id} ${c.request.path}`];
        });
        expect(misses).to.deep.equal([]);
      });
    }
  });

  it('matches \\w and \\d as Unicode and case-folds non-ASCII under (?i)', () => {
    expect(compileKongRegex('^/word/\\w+$').test('/word/é')).to.equal(true);
    expect(compileKongRegex('^/d/\\d+$').test('/d/٣')).to.equal(true);
    expect(compileKongRegex('^/(?i)é$').test('/É')).to.equal(true);
    expect(compileKongRegex('^/c/[[:alpha:]]+$').test('/c/é')).to.equal(false);
    expect(compileKongRegex('^/f/(?x) a b $').test('/f/ab')).to.equal(true);
  });
});
