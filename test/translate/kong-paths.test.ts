// Paths meshdoor emits must be what Kong accepts and matches: decided by the
// recordings of a real Kong 3.9.3 (route path verdicts and routing tables).
import { expect } from 'chai';
import { compileKongRegex, normalizeUri } from '../../src/kong/rules/index.ts';
import { translatePath } from '../../src/translate/paths.ts';
import type { TranslatedPath } from '../../src/translate/paths.ts';
import { readRecording, ROUTER_FLAVORS } from '../kong/recordings-dir.ts';
import { allRoutes, ingress, rule, run, service } from './builders.ts';

interface ContractCase {
  name: string;
  request: { body: string | null };
  response: { status: number; body: { flattened_errors?: { entity_type: string; entity?: { paths?: string[] }; errors: { field?: string; message: string }[] }[] } };
}

function translated(path: string, type: string): TranslatedPath {
  const result = translatePath(path, type);
  if ('error' in result) throw new Error(`${type} ${path}: ${result.error}`);
  return result;
}

/** Kong's matching of one route path against a request path (decoded and normalized first, as Kong does). */
function kongMatches(kongPath: string, requestPath: string): boolean {
  const normalized = normalizeUri(requestPath.split('?')[0] ?? '', true);
  return kongPath.startsWith('~') ? compileKongRegex(`^${kongPath.slice(1)}`).test(normalized) : normalized.startsWith(kongPath);
}

const SUGGESTION = /^non-normalized path, consider use '(.*)' instead$/s;

/** Every "non-normalized path, consider use ..." Kong answered in one case: the path sent and Kong's form. */
function suggestions(c: ContractCase): { name: string; input: string; suggested: string }[] {
  const flattened = c.response.body?.flattened_errors;
  return (Array.isArray(flattened) ? flattened : []).flatMap((entry) => entry.errors.flatMap((error) => {
    const suggested = SUGGESTION.exec(error.message)?.[1];
    const index = /^paths\.(\d+)$/.exec(error.field ?? '')?.[1];
    const input = entry.entity?.paths?.[Number(index) - 1];
    return suggested === undefined || input === undefined ? [] : [{ name: c.name, input, suggested }];
  }));
}

const anyMatches = (p: TranslatedPath, request: string): boolean => p.kongPaths.some((k) => kongMatches(k, request));

describe('translate: paths in the form Kong accepts and matches', () => {
  describe("Kong's suggestion for a non-normalized path is what meshdoor emits", () => {
    for (const flavor of ROUTER_FLAVORS) {
      const cases = readRecording<{ cases: ContractCase[] }>(`config-contract.${flavor}.json`).cases;
      for (const { name, input, suggested } of cases.flatMap(suggestions)) {
        it(`${flavor} ${name}: ${input} → ${suggested} (or a clear refusal)`, () => {
          const result = translatePath(input, 'ImplementationSpecific');
          if ('error' in result) {
            expect(input, 'only an encoded slash or a dot segment is refused').to.match(/%2f|\/\.\.?\//i);
            return;
          }
          expect(result.kongPaths).to.deep.equal([suggested]);
        });
      }
    }
  });

  it('emits no path that Kong would call non-normalized', () => {
    const inputs = ['/caf%C3%A9', '/a%41', '/a%7e', '/a%20b', '/%E2%82%AC/x', '/a%2a', '/plus+x', '/café'];
    for (const input of inputs) {
      for (const type of ['Prefix', 'ImplementationSpecific']) {
        for (const kongPath of translated(input, type).kongPaths.filter((p) => !p.startsWith('~'))) {
          expect(normalizeUri(kongPath, true), `${type} ${input}`).to.equal(kongPath);
        }
      }
    }
  });

  it('routes the requests Kubernetes means to an encoded Prefix path (recorded requests of Ingress h23)', () => {
    // hand-295..297: the same path encoded, raw and lower-case encoded; Kong decodes all three.
    const prefix = translated('/caf%C3%A9', 'Prefix');
    expect(prefix.kongPaths).to.deep.equal(['/café/', '~/café$']);
    for (const request of ['/caf%C3%A9', '/café', '/caf%c3%a9', '/caf%C3%A9/x']) expect(anyMatches(prefix, request), request).to.equal(true);
    expect(anyMatches(prefix, '/cafe')).to.equal(false);
  });

  it('routes the requests Kubernetes means to an encoded Exact path (never a dead regex)', () => {
    const exact = translated('/a%20b', 'Exact');
    expect(exact.kongPaths).to.deep.equal(['~/a b$']);
    for (const request of ['/a%20b', '//a%20b']) expect(anyMatches(exact, request), request).to.equal(true);
    expect(anyMatches(exact, '/a%20bc')).to.equal(false);
    const e08 = translated('/e08%20x', 'Exact');
    expect(anyMatches(e08, '/e08%20x')).to.equal(true);
    // A reserved escape stays encoded in Kong's normalized path and in the route.
    expect(translated('/a%2bb', 'Exact').kongPaths).to.deep.equal(['~/a%2Bb$']);
    expect(anyMatches(translated('/a%2bb', 'Exact'), '/a%2Bb')).to.equal(true);
  });

  it('decodes percent-escapes written in a regex path, as Kong decodes the path it matches', () => {
    const regex = translated('/~/caf%C3%A9/(?i)ab$', 'ImplementationSpecific');
    expect(regex.kongPaths).to.deep.equal(['~/café/(?i)ab$']);
    expect(anyMatches(regex, '/caf%C3%A9/AB')).to.equal(true);
    expect(translated('/~/a%2Eb', 'ImplementationSpecific').kongPaths, 'decoded text is escaped').to.deep.equal(['~/a\\.b']);
    expect(translatePath('/~/caf%C3%A9+', 'ImplementationSpecific')).to.have.property('error').that.contains('quantifier');
  });

  it('refuses escapes that decode to no valid path text', () => {
    expect(translatePath('/a%FF', 'Prefix')).to.have.property('error').that.contains('UTF-8');
    expect(translatePath('/a%00', 'Exact')).to.have.property('error').that.contains('control character');
    expect(translatePath('/a%zz', 'Prefix')).to.have.property('error').that.contains('%zz');
  });

  describe("regex paths: the translator refuses exactly what Kong refuses", () => {
    for (const flavor of ROUTER_FLAVORS) {
      const cases = readRecording<{ cases: ContractCase[] }>(`config-contract.${flavor}.json`).cases;
      for (const c of cases.filter((x) => /^rt-regex-\d+$/.test(x.name) || x.name === 'valid-regex-rust-only-syntax')) {
        const doc = JSON.parse(c.request.body ?? '{}') as { services: { routes?: { paths?: string[] }[] }[] };
        const regexes = doc.services.flatMap((s) => s.routes ?? []).flatMap((r) => r.paths ?? []).filter((p) => p.startsWith('~'));
        for (const kongPath of regexes) {
          const refusedByKong = c.response.status === 400 && c.name.startsWith('rt-regex-') && !kongPath.startsWith('~/items');
          it(`${flavor} ${c.name}: ${kongPath} ${refusedByKong ? 'refused' : 'accepted'}`, () => {
            const result = translatePath(`/~${kongPath.slice(1)}`, 'ImplementationSpecific');
            if (!refusedByKong) {
              expect(result).to.not.have.property('error');
              expect((result as TranslatedPath).kongPaths).to.deep.equal([kongPath]);
              return;
            }
            expect(result).to.have.property('error').that.matches(/is a regex Kong refuses: (PCRE2|its router's Rust regex engine) reports '.+' at ('.+'|the end)/);
          });
        }
      }
    }
  });

  it('names the Ingress, the path and the engine when Kong would refuse a regex', () => {
    const result = run({ ingresses: [ingress('rx', { rules: [rule('a.example.com', ['/~/a\\Z', 'ImplementationSpecific', 'web', 80], ['/ok', 'Prefix', 'web', 80])] })], services: [service('web')] });
    expect(result.failures.map((f) => `${f.object.kind} ${f.object.name} ${f.reason}`)).to.deep.equal(['Ingress rx InvalidPath']);
    expect(result.failures[0]?.message).to.equal(
      "rules[0].http.paths[0] path '/~/a\\Z' is a regex Kong refuses: its router's Rust regex engine reports 'unrecognized escape sequence' at '\\Z'");
    expect(allRoutes(result).flatMap((r) => r.paths ?? [])).to.deep.equal(['/ok/', '~/ok$']);
  });
});
