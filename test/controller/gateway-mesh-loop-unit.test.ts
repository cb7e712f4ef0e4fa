// The gateway-in-mesh loop on its own, with a fake check: it waits for the
// sync pass's plan (so the template is never applied without the admin
// certificates' hash), runs on marks, turns what the check returns into its
// schedule, and tells the sync loop only when what it found changed.
import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import type { KubernetesObject } from '@kubernetes/client-node';
import { DEFAULT_SETTINGS, type MeshDoorSettings } from '../../src/config/settings.ts';
import { GatewayMeshLoop, gatewayPlanKey } from '../../src/controller/gateway-mesh-loop.ts';
import type { GatewayMeshInput, GatewayMeshState } from '../../src/mesh/ensure-gateway.ts';
import { summarizeGatewayPods } from '../../src/mesh/sidecar.ts';
import { silentLogger } from '../../src/observe/logger.ts';
import { Metrics } from '../../src/observe/metrics.ts';
import { controllerClock } from './harness.ts';

const HASH = { 'meshdoor.dev/admin-tls-hash': 'abc' };

function state(reason: string, extra: Partial<GatewayMeshState> = {}): GatewayMeshState {
  return { condition: { status: 'True', reason, message: reason }, pods: summarizeGatewayPods([]), ...extra };
}

function setup() {
  const fake = FakeTimers.createClock(0);
  let settings: MeshDoorSettings | undefined = DEFAULT_SETTINGS;
  const checks: { at: number; input: GatewayMeshInput }[] = [];
  let answer: GatewayMeshState | Error = state('SidecarsReady');
  let stateChanges = 0;
  const loop = new GatewayMeshLoop({
    holdoffMs: 100, maxDelayMs: 1000, clock: controllerClock(fake), log: silentLogger(), metrics: new Metrics(),
    mesh: {
      ensure(input) {
        checks.push({ at: fake.now, input });
        return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      },
    },
    reads: {
      settings: () => settings,
      synced: () => true,
      list: <T extends KubernetesObject>(): readonly T[] => [],
      isLeader: () => true,
    },
    onStateChange: () => { stateChanges += 1; },
  });
  return {
    fake, loop, checks,
    get stateChanges() { return stateChanges; },
    answer(next: GatewayMeshState | Error) { answer = next; },
    serve(next: MeshDoorSettings | undefined) { settings = next; },
  };
}

describe('GatewayMeshLoop', () => {
  it('waits for the sync pass\'s plan for the served settings, then checks with its template annotations', async () => {
    const t = setup();
    t.loop.mark();
    await t.fake.tickAsync(5000);
    expect(t.checks, 'no plan yet: the certificates\' hash is unknown').to.deep.equal([]);
    t.loop.publish({ key: gatewayPlanKey(DEFAULT_SETTINGS), templateAnnotations: HASH });
    await t.fake.tickAsync(100);
    expect(t.checks.map((c) => c.at)).to.deep.equal([5100]);
    expect(t.checks[0]?.input.templateAnnotations).to.deep.equal(HASH);
    t.loop.publish({ key: gatewayPlanKey(DEFAULT_SETTINGS), templateAnnotations: { ...HASH } });
    await t.fake.tickAsync(5000);
    expect(t.checks, 'the same plan again is no reason to check').to.have.length(1);
    await t.loop.stop();
  });

  it('does not check for settings the plan was not made for (another gateway), until the sync pass plans for them', async () => {
    const t = setup();
    t.loop.publish({ key: gatewayPlanKey(DEFAULT_SETTINGS), templateAnnotations: {} });
    await t.fake.tickAsync(200);
    expect(t.checks).to.have.length(1);
    const moved = { ...DEFAULT_SETTINGS, gateway: { ...DEFAULT_SETTINGS.gateway, deployment: 'other' } };
    t.serve(moved);
    t.loop.mark();
    await t.fake.tickAsync(2000);
    expect(t.checks).to.have.length(1);
    t.loop.publish({ key: gatewayPlanKey(moved), templateAnnotations: {} });
    await t.fake.tickAsync(200);
    expect(t.checks.map((c) => c.input.settings.gateway.deployment)).to.deep.equal(['kong-gateway', 'other']);
    t.serve(undefined);
    t.loop.mark();
    await t.fake.tickAsync(2000);
    expect(t.checks, 'no MeshDoor: nothing to check').to.have.length(2);
    await t.loop.stop();
  });

  it('looks again after the delay a check asks for, retries a check that threw, and is otherwise done', async () => {
    const t = setup();
    t.answer(state('MeshNotFound', { recheckInMs: 30_000 }));
    t.loop.publish({ key: gatewayPlanKey(DEFAULT_SETTINGS), templateAnnotations: {} });
    await t.fake.tickAsync(100);
    t.answer(new Error('api down'));
    await t.fake.tickAsync(30_000);
    t.answer(state('SidecarsReady'));
    await t.fake.tickAsync(60_000);
    expect(t.checks.map((c) => c.at)).to.deep.equal([100, 30_100, 35_100]);
    await t.loop.stop();
  });

  it('tells the sync loop only when what it found changed', async () => {
    const t = setup();
    t.loop.publish({ key: gatewayPlanKey(DEFAULT_SETTINGS), templateAnnotations: {} });
    await t.fake.tickAsync(200);
    expect(t.stateChanges).to.equal(1);
    expect(t.loop.current()?.condition.reason).to.equal('SidecarsReady');
    t.loop.mark();
    await t.fake.tickAsync(200);
    expect(t.checks).to.have.length(2);
    expect(t.stateChanges, 'same finding').to.equal(1);
    t.answer(state('SidecarMissing'));
    t.loop.mark();
    await t.fake.tickAsync(200);
    expect(t.stateChanges).to.equal(2);
    expect(t.loop.current()?.condition.reason).to.equal('SidecarMissing');
    await t.loop.stop();
  });
});
