import { expect } from 'chai';
import { compatPriority, groupPaths, splitRoute } from './priority.ts';
import { normalizeUri } from './uri-normalize.ts';

const HOST_BIT = 1n << 60n;
const REGEX_BIT = 1n << 51n;

describe('compatPriority (what kong/router/transform.lua computes)', () => {
  it('puts the match weight at bit 29, not 61 (32-bit shift)', () => {
    expect(compatPriority({ paths: ['/foo'] })).to.equal((1n << 29n) | 4n);
  });

  it('sets the plain-host bit (60) only when every host is wildcard-free', () => {
    expect(compatPriority({ hosts: ['a.test'] })).to.equal(HOST_BIT | (1n << 29n));
    expect(compatPriority({ hosts: ['a.test', '*.b.test'] })).to.equal(1n << 29n);
  });

  it('treats an empty hosts array as plain-host-only (Lua checks type(hosts) == "table")', () => {
    expect(compatPriority({ hosts: [], paths: ['/a'] })).to.equal(HOST_BIT | (1n << 29n) | 2n);
  });

  it('puts the header count at bit 20 and regex_priority at bit 19, OR-ed together', () => {
    expect(compatPriority({ headers: { a: ['1'] }, paths: ['~/x'], regex_priority: 2 }))
      .to.equal(REGEX_BIT | (2n << 29n) | (1n << 20n));
    expect(compatPriority({ headers: { a: ['1'] }, paths: ['~/x'], regex_priority: 1 }))
      .to.equal(REGEX_BIT | (2n << 29n) | (1n << 20n) | (1n << 19n));
  });

  it('ignores regex_priority for prefix paths', () => {
    expect(compatPriority({ paths: ['/ab'], regex_priority: 7 })).to.equal(compatPriority({ paths: ['/ab'] }));
  });

  it('sign-extends when the 32-bit part overflows (four criteria, or regex_priority >= 4096)', () => {
    const route = { methods: ['GET'], hosts: ['*.x.test'], headers: { a: ['1'] }, paths: ['/p'] };
    expect(compatPriority(route)).to.equal(0xffffffff80000000n | (1n << 20n) | 2n);
    expect(compatPriority({ paths: ['~/x'], regex_priority: 4096 }) & 0xffffffff00000000n)
      .to.equal(0xffffffff00000000n);
  });

  it('lets a regex_priority of 1024 reach the match-weight bits', () => {
    expect(compatPriority({ paths: ['~/x'], regex_priority: 1024 })).to.equal(REGEX_BIT | (1n << 29n));
    expect(compatPriority({ paths: ['~/x'], regex_priority: 1025 })).to.equal(REGEX_BIT | (1n << 29n) | (1n << 19n));
  });

  it('counts the prefix length in bytes', () => {
    expect(compatPriority({ paths: ['/ä'] }) & 0x7ffffn).to.equal(3n);
  });
});

describe('route splitting', () => {
  it('groups regex paths together and prefix paths by length, in first-seen order', () => {
    expect(groupPaths(['/aa', '~/x', '/b', '/cc', '~/y'])).to.deep.equal([['/aa', '/cc'], ['~/x', '~/y'], ['/b']]);
  });

  it('does not split single-group routes or expression routes', () => {
    expect(splitRoute({ id: 'r', paths: ['/a', '/b'] })).to.have.length(1);
    expect(splitRoute({ id: 'r', paths: ['/a', '/bb'], expression: 'x' })).to.have.length(1);
    expect(splitRoute({ id: 'r', paths: ['/a', '/bb'] }).map((s) => s.view['paths'])).to.deep.equal([['/a'], ['/bb']]);
  });
});

describe('normalizeUri (kong/tools/uri.lua)', () => {
  const cases: [string, string][] = [
    ['/', '/'],
    ['/a/./b', '/a/b'],
    ['/a/../b', '/b'],
    ['/../a', '/a'],
    ['/a//b', '/a/b'],
    ['/%61%62', '/ab'],
    ['/a%2fb', '/a%2Fb'],
    ['/a%20b', '/a b'],
    ['/%2e%2e/x', '/x'],
    ['/a/b/..', '/a/'],
    ['/%c3%A4', '/ä'],
  ];
  for (const [input, output] of cases) {
    it(`${input} → ${output}`, () => expect(normalizeUri(input)).to.equal(output));
  }

  it('keeps // when merge_slashes is off', () => {
    expect(normalizeUri('/a//b', false)).to.equal('/a//b');
  });
});
