// The status step after each sync, on its own (the real translator and the
// real Reporter, writers that only record): after the first walk it looks only
// at Ingresses that changed, yet a write that failed is tried again on the
// next sync although its Ingress did not change, and a new address reaches
// every Ingress.
import type { V1Ingress } from '@kubernetes/client-node';
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { Reporter } from '../../src/controller/report-step.ts';
import type { ReportInput } from '../../src/controller/report-step.ts';
import { systemClock } from '../../src/kube/clock.ts';
import { IngressStatusWriter } from '../../src/kube/ingress-status.ts';
import { createLogger } from '../../src/observe/logger.ts';
import { createTranslator } from '../../src/translate/index.ts';
import type { Snapshot } from '../../src/translate/types.ts';
import { ingress, ingressClass, rule, service, settings, snapshot } from '../translate/builders.ts';

describe('Reporter: Ingress status after each sync', () => {
  const app = (name: string, rv: string, status?: V1Ingress['status']): V1Ingress => {
    const made = ingress(name, { rules: [rule(`${name}.example.com`, ['/', 'Prefix', 'web', 80])] }, { namespace: 'a', uid: `${name}-uid` });
    return { ...made, metadata: { ...made.metadata, resourceVersion: rv }, ...(status ? { status } : {}) };
  };

  function harness(failOnce: Set<string>) {
    const writes: string[] = [];
    let flag = ['192.0.2.1'];
    const log = createLogger({ level: 'error', format: 'json', stream: new PassThrough() });
    const statusWriter = new IngressStatusWriter({
      log,
      writer: {
        patchIngressStatus: (_ns, name, status) => {
          if (failOnce.delete(name)) return Promise.reject(Object.assign(new Error('HTTP-Code: 500'), { code: 500 }));
          writes.push(`${name} ${JSON.stringify(status.loadBalancer?.ingress)}`);
          return Promise.resolve();
        },
      },
    });
    const events = { record: () => true, reset: () => undefined } as unknown as ConstructorParameters<typeof Reporter>[0]['events'];
    const reporter = new Reporter({ writer: { patchMeshDoorStatus: () => Promise.resolve() }, statusWriter, events, clock: systemClock, log });
    const translator = createTranslator();
    const lists = snapshot({ services: [service('web', [{ port: 80 }], { namespace: 'a' })], ingressClasses: [ingressClass('kong')] });
    // The controller keeps its settings object while the MeshDoor is not edited.
    const options = { settings: settings() };
    const sync = async (ingresses: V1Ingress[]): Promise<void> => {
      const s: Snapshot = { ...lists, Ingress: ingresses };
      const result = translator.translate(s, options);
      const input: ReportInput = { resolved: options, snapshot: s, kong: { pushing: true, ok: true, result }, gateways: 1, publishService: undefined, flagPublishAddresses: flag, kongByUrl: false, backendEndpointSlices: [] };
      await reporter.report(input);
    };
    return { writes, sync, publish: (addresses: string[]) => { flag = addresses; } };
  }

  it('retries a failed write on the next sync, writes an edited Ingress that lost its address, and follows a new address everywhere', async () => {
    const { writes, sync, publish } = harness(new Set(['two']));
    const published = { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } };
    const two = app('two', '1');
    await sync([app('one', '1'), two]);
    expect(writes).to.deep.equal(['one [{"ip":"192.0.2.1"}]']);
    // The watch shows the first write; the second Ingress is the same object.
    await sync([app('one', '2', published), two]);
    expect(writes.slice(1), 'the failed write, again').to.deep.equal(['two [{"ip":"192.0.2.1"}]']);
    const both = [app('one', '2', published), app('two', '2', published)];
    await sync(both);
    expect(writes.slice(2), 'nothing left to write').to.deep.equal([]);
    await sync([app('one', '3'), both[1] as V1Ingress]);
    expect(writes.slice(2), 'an edit that cleared it').to.deep.equal(['one [{"ip":"192.0.2.1"}]']);
    publish(['192.0.2.9']);
    await sync([app('one', '4', published), both[1] as V1Ingress]);
    expect(writes.slice(3).sort(), 'a new address reaches every Ingress').to.deep.equal(['one [{"ip":"192.0.2.9"}]', 'two [{"ip":"192.0.2.9"}]']);
  });
});
