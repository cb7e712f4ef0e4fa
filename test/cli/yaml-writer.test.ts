// The direct YAML writer must give exactly the `yaml` library's text: every
// awkward scalar (numbers and booleans as strings, indicators, quotes,
// multi-line text, document markers) in every position it can take.
import { expect } from 'chai';
import { stringify } from 'yaml';
import type { KongConfig } from '../../src/model/index.ts';
import { renderConfig } from '../../src/cli/translate-command.ts';
import { YAML_OPTIONS } from '../../src/cli/yaml-writer.ts';

const AWKWARD = [
  '', ' ', 'true', 'True', 'FALSE', 'null', 'Null', '~', '~/api$', '42', '-1', '+3', '0x1F', '0o17', '3.0', '.5', '1e3', '.inf', '-.Inf', '.nan',
  '*.example.com', '&anchor', '!tag', '|', '>', '%x', '@at', '`tick`', "'single'", '"double"', '- dash', '-', '?', '? q', ':colon', 'ends:',
  'a: b', 'a #b', 'a#b', '#c', 'tab\there', 'trailing ', ' leading', '---', '--- x', '...', 'a\n---\nb', 'k8s-kind:Service', '/v1/items',
  '^/v[0-9]+/items', 'http.path ^= "/"', 'x\ny\n', 'x\ny', 'x\n\ny\n\n', ' lead\nz', 'é-ü', 'trueish', 'nulls', 'Yes', 'on', '[fd00::12]:8080',
  '{a}', '[b]', 'a,b', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
];

/** A deterministic pseudo-random sequence (mulberry32), so a failure repeats. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

function value(next: () => number, depth: number): unknown {
  const roll = next();
  if (depth > 2 || roll < 0.5) return pick(next, [...AWKWARD, 0, 80, -0, 1.5, true, false, null]);
  if (roll < 0.75) return Array.from({ length: Math.floor(next() * 3) }, () => value(next, depth + 1));
  const keys = ['name', 'x-header', 'config', 'true', 'a b', '1st', 'minute', 'paths'];
  return Object.fromEntries(Array.from({ length: Math.floor(next() * 3) }, () => [pick(next, keys), value(next, depth + 1)]));
}

function randomConfig(next: () => number): KongConfig {
  const services = Array.from({ length: 3 }, () => ({
    name: pick(next, AWKWARD), port: 80, tags: [pick(next, AWKWARD), pick(next, AWKWARD)],
    routes: [{ name: pick(next, AWKWARD), paths: [pick(next, AWKWARD)], headers: { 'x-a': [pick(next, AWKWARD)] }, extra: value(next, 0) }],
  }));
  const plugins = [{ name: 'p', config: { a: value(next, 0), b: value(next, 0) } }];
  return { _format_version: '3.0', services, upstreams: [], certificates: [], plugins } as unknown as KongConfig;
}

describe('the direct YAML writer', () => {
  it('writes every awkward scalar as the library does, as a map value and as a list item', () => {
    const config = { _format_version: '3.0', services: AWKWARD.map((s) => ({ name: s, tags: [s], nested: [{ v: s }] })), upstreams: [] } as unknown as KongConfig;
    expect(renderConfig(config, 'yaml')).to.equal(stringify(config, YAML_OPTIONS));
  });

  it('equals the library on 300 random configs (nested lists and maps, odd keys, plugin configs)', () => {
    const next = random(7);
    for (let i = 0; i < 300; i += 1) {
      const config = randomConfig(next);
      expect(renderConfig(config, 'yaml'), JSON.stringify(config)).to.equal(stringify(config, YAML_OPTIONS));
    }
  });
});
