// Failure Events after each sync, on their own: the same failures against the
// same configured objects are not walked again on every sync (the recorder
// would drop the repeats anyway), but again after a while, so a Warning that
// still holds is sent again once the recorder's window has passed; anything
// new is reported at once, and so is a recovery.
import { expect } from 'chai';
import { FailureEvents } from '../../src/controller/failure-events.ts';
import { ObjectKeys } from '../../src/controller/object-keys.ts';
import type { EventRecorder } from '../../src/kube/index.ts';
import type { ObjectRef, TranslationFailure } from '../../src/model/index.ts';

describe('FailureEvents', () => {
  const web: ObjectRef = { kind: 'Ingress', namespace: 'shop', name: 'web', uid: 'w' };
  const api: ObjectRef = { kind: 'Ingress', namespace: 'shop', name: 'api', uid: 'a' };
  const broken = (object: ObjectRef): TranslationFailure => ({ object, reason: 'ServiceNotFound', message: `${object.name}: Service missing` });

  function setup() {
    const calls: string[] = [];
    const events = {
      record: (target: { name: string }, type: string, reason: string) => { calls.push(`${type} ${reason} ${target.name}`); return true; },
      reset: () => undefined,
    } as unknown as EventRecorder;
    let now = 0;
    const failureEvents = new FailureEvents(events, new ObjectKeys(), { now: () => now });
    return { calls, failureEvents, advance: (ms: number) => { now += ms; } };
  }

  it('walks the same failures again only after a minute, and new failures or recoveries at once', () => {
    const { calls, failureEvents, advance } = setup();
    const failures = [broken(web)];
    const configured: ObjectRef[] = [api];
    const uid = (): undefined => undefined;
    failureEvents.report(failures, configured, uid);
    expect(calls).to.deep.equal(['Warning ServiceNotFound web']);
    advance(30_000);
    failureEvents.report(failures, configured, uid);
    expect(calls, 'the same lists: not walked').to.have.length(1);
    advance(30_000);
    failureEvents.report(failures, configured, uid);
    expect(calls.slice(1), 'a minute on: walked again (the recorder decides whether to send)').to.deep.equal(['Warning ServiceNotFound web']);
    const both = [broken(api), broken(web)];
    failureEvents.report(both, configured, uid);
    expect(calls.slice(2), 'a new failure, at once').to.deep.equal(['Warning ServiceNotFound api', 'Warning ServiceNotFound web']);
    failureEvents.report([], [api, web], uid);
    expect(calls.slice(4).sort(), 'both configured again').to.deep.equal(['Normal Configured api', 'Normal Configured web']);
  });
});
