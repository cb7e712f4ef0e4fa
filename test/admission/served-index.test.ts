import { expect } from 'chai';
import type { V1Ingress, V1Service } from '@kubernetes/client-node';
import { ServedIndex } from '../../src/admission/served-index.ts';
import { createTranslator } from '../../src/translate/index.ts';
import type { Snapshot } from '../../src/translate/types.ts';
import { claimKey } from '../../src/translate/claim-table.ts';
import { translatePath } from '../../src/translate/paths.ts';
import type { TranslatedPath } from '../../src/translate/paths.ts';
import { ingress, ingressClass, rule, service, settings, snapshot } from '../translate/builders.ts';

const config = settings();
const site = (name: string, svc: string, host = 'shop.com', path = `/${name}`): V1Ingress =>
  ingress(name, { rules: [rule(host, [path, 'Prefix', svc, 80])] }, { created: '2025-01-01T00:00:00Z' });

/** Every claim of the index, as `host path ← namespace/name`. */
function claims(index: ServedIndex, snap: Snapshot): string[] {
  const places = snap.Ingress.flatMap((ing) => (ing.spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => ({ host: r.host ?? '', path: translatePath(p.path ?? '', p.pathType ?? '') as TranslatedPath }))));
  const unique = [...new Map(places.map((place) => [claimKey(place), place])).values()];
  return unique.flatMap((place) => index.claimsAt(place).map((c) => `${c.host} ${c.path.conflictKey} <- ${c.ingress.metadata?.name ?? ''}`)).sort();
}

function fresh(snap: Snapshot): ServedIndex {
  const index = new ServedIndex();
  index.update(snap, config);
  return index;
}

describe('admission: the index of what the last pass served', () => {
  it('follows edits, removals and Service changes pass by pass as a fresh index would', () => {
    const incremental = new ServedIndex();
    const { translate } = createTranslator();
    const steps: Array<(s: Snapshot) => Snapshot> = [
      (s) => s,
      (s) => ({ ...s, Ingress: [...s.Ingress, site('c', 'web')] }),
      (s) => ({ ...s, Service: s.Service.map((svc): V1Service => (svc.metadata?.name === 'web' ? service('web', [{ port: 8080 }]) : svc)) }),
      (s) => ({ ...s, Service: s.Service.map((svc): V1Service => (svc.metadata?.name === 'web' ? service('web') : svc)) }),
      (s) => ({ ...s, Ingress: s.Ingress.filter((i) => i.metadata?.name !== 'a') }),
      (s) => ({ ...s, Ingress: s.Ingress.map((i) => (i.metadata?.name === 'b' ? site('b', 'api', 'other.com', '/moved') : i)) }),
      (s) => ({ ...s, IngressClass: [] }),
    ];
    let snap = snapshot({ ingressClasses: [ingressClass('kong')], services: [service('web'), service('api')], ingresses: [site('a', 'web'), site('b', 'api')] });
    const seen: string[][] = [];
    for (const step of steps) {
      snap = step(snap);
      translate(snap, { settings: config });
      incremental.update(snap, config);
      expect(claims(incremental, snap)).to.deep.equal(claims(fresh(snap), snap));
      for (const host of ['shop.com', 'other.com']) expect(incremental.servedFrom(host), host).to.deep.equal(fresh(snap).servedFrom(host));
      seen.push(claims(incremental, snap));
    }
    expect(seen[2], 'web lost port 80: its users claim nothing').to.deep.equal(['shop.com Prefix /b <- b']);
    expect(seen[3], 'and claim again once it is back').to.have.length(3);
  });

  it('knows which namespaces serve a host, with their oldest Ingress, as Ingresses come and go', () => {
    const inNamespace = (namespace: string, name: string, created: string): V1Ingress =>
      ingress(name, { rules: [rule('shop.com', [`/${name}`, 'Prefix', 'web', 80])] }, { namespace, created });
    const services = ['a', 'b'].map((namespace) => service('web', [{ port: 80 }], { namespace }));
    const index = new ServedIndex();
    const a1 = inNamespace('a', 'one', '2025-02-01T00:00:00Z');
    const a2 = inNamespace('a', 'two', '2025-01-01T00:00:00Z');
    const b1 = inNamespace('b', 'one', '2025-03-01T00:00:00Z');
    const served = (ingresses: V1Ingress[]): string[] => {
      index.update(snapshot({ ingressClasses: [ingressClass('kong')], services, ingresses }), config);
      return index.servedFrom('shop.com').map((s) => `${s.namespace}: ${s.ingress.namespace ?? ''}/${s.ingress.name}`);
    };
    expect(served([a1, b1])).to.deep.equal(['a: a/one', 'b: b/one']);
    expect(served([a1, a2, b1]), 'the oldest of a namespace').to.deep.equal(['a: a/two', 'b: b/one']);
    expect(served([a1, a2])).to.deep.equal(['a: a/two']);
    expect(served([])).to.deep.equal([]);
  });

  it('names the served Ingresses using a Service', () => {
    const index = fresh(snapshot({ ingressClasses: [ingressClass('kong')], services: [service('web')], ingresses: [site('a', 'web'), site('b', 'gone')] }));
    expect(index.ingressesUsing('default', 'web').map((i) => i.metadata?.name)).to.deep.equal(['a']);
    expect(index.ingressesUsing('default', 'gone').map((i) => i.metadata?.name)).to.deep.equal(['b']);
  });
});
