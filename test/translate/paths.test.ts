import { expect } from 'chai';
import { translatePath } from '../../src/translate/paths.ts';
import type { TranslatedPath } from '../../src/translate/paths.ts';
import { allRoutes, ingress, reasons, routeNamed, rule, run, service } from './builders.ts';

function kongPaths(path: string | undefined, pathType: string | undefined): string[] {
  const result = translatePath(path, pathType);
  if ('error' in result) throw new Error(result.error);
  return result.kongPaths;
}

describe('translatePath', () => {
  // docs/kic-compatibility.md#paths, plus escaping so a literal path never acts as a regex.
  const table: Array<[string | undefined, string | undefined, string[]]> = [
    ['/', 'Prefix', ['/']],
    ['', 'Prefix', ['/']],
    ['/foo', 'Prefix', ['/foo/', '~/foo$']],
    ['/foo/', 'Prefix', ['/foo/', '~/foo$']],
    ['/aaa/bbb/', 'Prefix', ['/aaa/bbb/', '~/aaa/bbb$']],
    ['/foo', 'Exact', ['~/foo$']],
    ['/foo/', 'Exact', ['~/foo/$']],
    ['/', 'Exact', ['~/$']],
    ['/a.b', 'Exact', ['~/a\\.b$']],
    ['/v1/(x)+*$', 'Exact', ['~/v1/\\(x\\)\\+\\*\\$$']],
    ['/a.b', 'Prefix', ['/a.b/', '~/a\\.b$']],
    ['//api//x', 'Prefix', ['/api/x/', '~/api/x$']],
    ['/%7efoo', 'Exact', ['~/~foo$']],
    ['/a%2a', 'Prefix', ['/a%2A/', '~/a%2A$']],
    ['', 'ImplementationSpecific', ['/']],
    [undefined, undefined, ['/']],
    ['/.well-known/acme-challenge/x', 'ImplementationSpecific', ['/.well-known/acme-challenge/x']],
    ['/foo', undefined, ['/foo']],
    ['/~/foo/\\d{3}', 'ImplementationSpecific', ['~/foo/\\d{3}']],
  ];
  for (const [path, type, expected] of table) {
    it(`${type ?? '(no pathType)'} ${JSON.stringify(path)} → ${expected.join(' ')}`, () => {
      expect(kongPaths(path, type)).to.deep.equal(expected);
    });
  }

  const invalid: Array<[string, string]> = [
    ['foo', 'Prefix'],
    ['/a b', 'Exact'],
    ['/a"b', 'Prefix'],
    ['/a%zz', 'Prefix'],
    ['/a/../b', 'Prefix'],
    ['/a/./b', 'Exact'],
    ['/a/%2e%2e/b', 'Exact'],
    ['/a%2Fb', 'Prefix'],
    ['/foo', 'Regex'],
    ['/~/(?=x)', 'ImplementationSpecific'],
    ['/~/(unclosed', 'ImplementationSpecific'],
    ['/~foo', 'ImplementationSpecific'],
  ];
  for (const [path, type] of invalid) {
    it(`rejects ${type} ${JSON.stringify(path)}`, () => {
      expect(translatePath(path, type)).to.have.property('error').that.is.a('string');
    });
  }

  it('matches Kubernetes Prefix semantics through the anchored regex', () => {
    const prefix = translatePath('/foo', 'Prefix') as TranslatedPath;
    const [plain, regex] = prefix.kongPaths;
    const matches = (request: string) => request.startsWith(plain ?? '') || new RegExp(`^${(regex ?? '').slice(1)}`).test(request);
    expect(['/foo', '/foo/', '/foo/bar'].map(matches)).to.deep.equal([true, true, true]);
    expect(['/foobar', '/fo', '/FOO'].map(matches)).to.deep.equal([false, false, false]);
  });

  it('keeps regex metacharacters literal: Exact /a.b does not match /axb', () => {
    const exact = translatePath('/a.b', 'Exact') as TranslatedPath;
    const regex = new RegExp(`^${(exact.kongPaths[0] ?? '').slice(1)}`);
    expect(regex.test('/a.b')).to.equal(true);
    expect(regex.test('/axb')).to.equal(false);
  });

  it('treats Prefix /foo and /foo/ as the same claim, Exact /foo and /foo/ as different', () => {
    const key = (p: string, t: string) => (translatePath(p, t) as TranslatedPath).conflictKey;
    expect(key('/foo', 'Prefix')).to.equal(key('/foo/', 'Prefix'));
    expect(key('/foo', 'Exact')).to.not.equal(key('/foo/', 'Exact'));
    expect(key('/foo', 'Exact')).to.not.equal(key('/foo', 'Prefix'));
  });

  it('honours a custom regex marker', () => {
    expect(translatePath('/#/v\\d+', 'ImplementationSpecific', '/#')).to.deep.include({ kongPaths: ['~/v\\d+'] });
    expect(translatePath('/~/v\\d+', 'ImplementationSpecific', '/#')).to.have.property('error');
  });
});

describe('translate: paths in routes', () => {
  const backend = service('web');

  it('puts all paths of one host and backend into one route, Exact paths into a separate `.exact` route', () => {
    const result = run({
      ingresses: [ingress('site', { rules: [rule('a.example.com', ['/foo', 'Prefix', 'web', 80], ['/bar', 'Prefix', 'web', 80], ['/baz', 'Exact', 'web', 80])] })],
      services: [backend],
    });
    const prefix = routeNamed(result, 'default.site.web.a.example.com.80');
    expect(prefix.paths).to.deep.equal(['/bar/', '/foo/', '~/bar$', '~/foo$']);
    expect(prefix.regex_priority).to.equal(0);
    const exact = routeNamed(result, 'default.site.web.a.example.com.80.exact');
    expect(exact.paths).to.deep.equal(['~/baz$']);
    expect(exact.regex_priority, 'Exact outranks the Prefix regex of the same path').to.equal(1);
  });

  it('needs no discriminator when a group has only Exact paths', () => {
    const result = run({ ingresses: [ingress('site', { rules: [rule('a.example.com', ['/baz', 'Exact', 'web', 80])] })], services: [backend] });
    expect(allRoutes(result).map((r) => [r.name, r.regex_priority])).to.deep.equal([['default.site.web.a.example.com.80', 1]]);
  });

  it('reports an invalid path and still translates the valid ones', () => {
    const result = run({
      ingresses: [ingress('site', { rules: [rule('a.example.com', ['/ok', 'Prefix', 'web', 80], ['/a b', 'Prefix', 'web', 80])] })],
      services: [backend],
    });
    expect(reasons(result)).to.deep.equal(['Ingress/default/site:InvalidPath']);
    expect(result.failures[0]?.message).to.contain("'/a b'");
    expect(allRoutes(result)[0]?.paths).to.deep.equal(['/ok/', '~/ok$']);
  });
});
