// What the translator remembers between passes must not keep earlier passes
// alive: under churn every pass has new lookup tables, and a remembered plan
// that held on to them kept every replaced Service, EndpointSlice and Ingress
// of that pass reachable (the live heap grew until a relist replaced every
// object). Checked with WeakRefs after forced full GCs.
import { expect } from 'chai';
import { queryObjects } from 'node:v8';
import type { V1Service } from '@kubernetes/client-node';
import { createTranslator } from '../../src/translate/index.ts';
import { snapshotOf, type Snapshot } from '../../src/translate/types.ts';
import { endpointSlice, ingress, ingressClass, rule, service, settings } from './builders.ts';
import { collectedEventually, forceFullGc } from '../support/gc.ts';

const SETTINGS = settings({ upstreamMode: 'endpoints' });

function touched(svc: V1Service, round: number): V1Service {
  return { ...svc, metadata: { ...svc.metadata, annotations: { touched: String(round) } } };
}

describe('translator memory across passes', () => {
  it('a remembered plan keeps no replaced Service (nor the pass that read it) reachable', async () => {
    const { translate } = createTranslator();
    const ingresses = [
      ingress('stays', { rules: [rule('stays.example.com', ['/', 'Prefix', 'stays', 80])] }),
      ingress('moves', { rules: [rule('moves.example.com', ['/', 'Prefix', 'moves', 80])] }),
    ];
    const classes = [ingressClass('kong')];
    const slices = [endpointSlice('stays', [{ port: 8080 }], [{ ip: '10.0.0.1' }]), endpointSlice('moves', [{ port: 8080 }], [{ ip: '10.0.0.2' }])];
    const stays = service('stays');
    let moves = service('moves');
    const base: Snapshot = snapshotOf({ Ingress: ingresses, IngressClass: classes, Service: [], EndpointSlice: slices, Secret: [] });
    translate({ ...base, Service: [stays, moves] }, { settings: SETTINGS });
    const replaced = new WeakRef(moves);
    // Annotation touches: each pass gets a new Service list, so new lookup tables;
    // the Ingress `stays` reads nothing that changed, so its plan is reused throughout.
    for (let round = 1; round <= 3; round += 1) {
      moves = touched(moves, round);
      translate({ ...base, Service: [stays, moves] }, { settings: SETTINGS });
    }
    expect(await collectedEventually(replaced), 'the Service replaced in the first pass is still reachable').to.equal(true);
  });

  it('a remembered plan keeps no replaced EndpointSlice reachable', async () => {
    const { translate } = createTranslator();
    const ingresses = [
      ingress('stays', { rules: [rule('stays.example.com', ['/', 'Prefix', 'stays', 80])] }),
      ingress('moves', { rules: [rule('moves.example.com', ['/', 'Prefix', 'moves', 80])] }),
    ];
    const services = [service('stays'), service('moves')];
    const stays = endpointSlice('stays', [{ port: 8080 }], [{ ip: '10.0.0.1' }]);
    let moves = endpointSlice('moves', [{ port: 8080 }], [{ ip: '10.0.0.2' }]);
    const base: Snapshot = snapshotOf({ Ingress: ingresses, IngressClass: [ingressClass('kong')], Service: services, EndpointSlice: [], Secret: [] });
    translate({ ...base, EndpointSlice: [stays, moves] }, { settings: SETTINGS });
    const replaced = new WeakRef(moves);
    // Port flips.
    for (let round = 1; round <= 3; round += 1) {
      moves = endpointSlice('moves', [{ port: 8080 + round }], [{ ip: '10.0.0.2' }]);
      translate({ ...base, EndpointSlice: [stays, moves] }, { settings: SETTINGS });
    }
    expect(await collectedEventually(replaced), 'the EndpointSlice replaced in the first pass is still reachable').to.equal(true);
  });

  it('edited Ingresses do not keep earlier Ingress lists reachable', async () => {
    const { translate } = createTranslator();
    const services = [service('a'), service('b')];
    const base: Snapshot = snapshotOf({ Ingress: [], IngressClass: [ingressClass('kong')], Service: services, EndpointSlice: [], Secret: [] });
    let a = ingress('a', { rules: [rule('a.example.com', ['/v0', 'Prefix', 'a', 80])] });
    const b = ingress('b', { rules: [rule('b.example.com', ['/', 'Prefix', 'b', 80])] });
    translate({ ...base, Ingress: [a, b] }, { settings: SETTINGS });
    const replaced = new WeakRef(a);
    for (let round = 1; round <= 3; round += 1) {
      a = ingress('a', { rules: [rule('a.example.com', [`/v${round}`, 'Prefix', 'a', 80])] });
      translate({ ...base, Ingress: [a, b] }, { settings: SETTINGS });
    }
    expect(await collectedEventually(replaced), 'the Ingress replaced in the first pass is still reachable').to.equal(true);
  });

  it('a run of passes over re-listed copies in one task keeps only the latest passes\' objects', () => {
    // Instances of a class of their own, so the heap can be searched for them.
    class Relisted {}
    const relisted = (svc: V1Service): V1Service => Object.assign(new Relisted(), structuredClone(svc));
    const { translate } = createTranslator();
    const names = ['a', 'b', 'c'];
    const services = names.map((name) => service(name));
    const ingresses = names.map((name) => ingress(name, { rules: [rule(`${name}.example.com`, ['/', 'Prefix', name, 80])] }));
    const base: Snapshot = snapshotOf({ Ingress: [], IngressClass: [ingressClass('kong')], Service: [], EndpointSlice: [], Secret: [] });
    // As after watch reconnects: every object a new copy, every pass in the same task (no turn of the event loop between).
    for (let round = 0; round < 5; round += 1) {
      translate({ ...base, Ingress: ingresses.map((i) => structuredClone(i)), Service: services.map(relisted) }, { settings: SETTINGS });
    }
    forceFullGc();
    const live = queryObjects(Relisted, { format: 'count' });
    expect(live, 'Services of earlier passes still reachable').to.be.at.most(2 * services.length);
  });
});
