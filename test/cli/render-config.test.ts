// `translate -o yaml` writes the config an entity at a time; the text must be
// exactly what one YAML document of the whole config gives.
import { expect } from 'chai';
import { stringify } from 'yaml';
import type { KongConfig } from '../../src/model/index.ts';
import { renderConfig } from '../../src/cli/translate-command.ts';

describe('renderConfig (yaml)', () => {
  it('writes each entity as it stands in the whole document: nested lists, block scalars, blank lines, empty lists', () => {
    const config = {
      _format_version: '3.0',
      services: [
        { name: 'shop.web.80', host: 'web.shop.svc', port: 80, tags: ['k8s-name:web', 'k8s-kind:Service'], routes: [{ name: 'r', paths: ['~/api$', '/'], hosts: ['*.example.com'], strip_path: false }] },
        { name: 'odd', host: 'x', port: 1, routes: [], description: 'two\n\nparagraphs  \nand a "quote": yes' },
      ],
      certificates: [{ id: 'c1', cert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', key: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----', snis: [{ name: 'a.example.com' }] }],
      upstreams: [],
    } as unknown as KongConfig;
    expect(renderConfig(config, 'yaml')).to.equal(stringify(config, { lineWidth: 0, aliasDuplicateObjects: false }));
  });

  it('writes a list shared by several entities (the tags of one Ingress on each of its routes) in full each time, never as an alias', () => {
    const tags = Object.freeze(['k8s-kind:Ingress', 'k8s-name:web', 'managed-by:meshdoor']);
    const route = (name: string): object => ({ name, paths: ['/'], tags });
    // The second service has a key the fast writer leaves to the library: that entity is written whole.
    const config = {
      _format_version: '3.0',
      services: [
        { name: 's', host: 'h', port: 80, tags, routes: [route('a'), route('b')] },
        { name: 't', host: 'h', port: 81, 'odd key': 1, tags, routes: [route('c'), route('d')] },
      ],
    } as unknown as KongConfig;
    const text = renderConfig(config, 'yaml');
    expect(text).to.not.match(/[&*]a\d/);
    expect(text.match(/- k8s-name:web/g)).to.have.length(6);
    expect(text).to.equal(stringify(config, { lineWidth: 0, aliasDuplicateObjects: false }));
  });
});
