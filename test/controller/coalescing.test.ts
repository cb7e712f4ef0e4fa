// Feature: events only mark the sync dirty; a burst of changes makes a handful
// of syncs, and a single change is applied within about the holdoff.
import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { CoalescingTrigger } from '../../src/controller/coalescing-trigger.ts';
import { DONE, requeueAfter, retryAfter, soonest, type PassResult } from '../../src/controller/pass-result.ts';
import { controllerClock, startHarness, type Harness } from './harness.ts';
import { gatewayObjects, ingress, service } from './fixtures.ts';
import { recordingKong, type RecordingKong } from './recording-kong.ts';

describe('CoalescingTrigger', () => {
  /** `results`: what each run returns, in order (then done). */
  function setup(runMs = 0, results: (PassResult | Error)[] = []) {
    const fake = FakeTimers.createClock(0);
    const runs: number[] = [];
    const trigger = new CoalescingTrigger({
      holdoffMs: 100, maxDelayMs: 1000, clock: controllerClock(fake),
      run: async () => {
        runs.push(fake.now);
        if (runMs > 0) await new Promise<void>((resolve) => { fake.setTimeout(() => { resolve(); }, runMs); });
        const result = results.shift() ?? DONE;
        if (result instanceof Error) throw result;
        return result;
      },
    });
    return { fake, runs, trigger };
  }

  it('runs once, a holdoff after a single mark', async () => {
    const { fake, runs, trigger } = setup();
    trigger.mark();
    await fake.tickAsync(99);
    expect(runs).to.deep.equal([]);
    await fake.tickAsync(1);
    expect(runs).to.deep.equal([100]);
    await fake.tickAsync(5000);
    expect(runs).to.have.length(1);
  });

  it('keeps postponing while marks arrive, but never beyond the maximum delay', async () => {
    const { fake, runs, trigger } = setup();
    for (let i = 0; i < 1000; i += 1) {
      trigger.mark();
      await fake.tickAsync(3);
    }
    await fake.tickAsync(200);
    // 3 s of marks every 3 ms: each run is forced 1 s after the first mark it has to
    // pick up (t=0, 1002, 2004); the last one comes after the last mark (2997).
    expect(runs).to.deep.equal([1000, 2002, 3004]);
  });

  it('runs once more when marked during a run, never two at a time', async () => {
    const { fake, runs, trigger } = setup(500);
    trigger.mark();
    await fake.tickAsync(150);
    trigger.mark();
    trigger.mark();
    await fake.tickAsync(2000);
    expect(runs).to.have.length(2);
    expect(runs[0]).to.equal(100);
    expect(runs[1], 'right after the first run ended at 600').to.be.within(600, 601);
  });

  it('under steady churn, picks up marks made during a run a holdoff after it ends, not a max delay later', async () => {
    const { fake, runs, trigger } = setup(500);
    trigger.mark();
    await fake.tickAsync(550);
    // A mark every 50 ms (closer than the holdoff) from t=550, while the first run (100-600) is in flight.
    for (let t = 550; t < 2000; t += 50) {
      trigger.mark();
      await fake.tickAsync(50);
    }
    expect(runs[0]).to.equal(100);
    expect(runs[1], 'a holdoff after the first run ended at 600 (not 550 + max delay)').to.equal(700);
    expect(runs[2], 'and again a holdoff after the second ended at 1200').to.equal(1300);
  });

  it('a run that is done runs again only on a mark', async () => {
    const { fake, runs, trigger } = setup(0, [DONE]);
    trigger.mark();
    await fake.tickAsync(60_000);
    expect(runs).to.deep.equal([100]);
    trigger.mark();
    await fake.tickAsync(100);
    expect(runs).to.deep.equal([100, 60_100]);
  });

  it('a run asking for a requeue runs again that long after it ended, without marks', async () => {
    const { fake, runs, trigger } = setup(50, [requeueAfter(2000, 'periodic check'), requeueAfter(500, 'again')]);
    trigger.mark();
    await fake.tickAsync(10_000);
    // First run 100-150, asks for 2000 → 2150 (ends 2200), asks for 500 → 2700, then done.
    expect(runs).to.deep.equal([100, 2150, 2700]);
  });

  it('a run asking for a retry runs again after that delay; a mark meanwhile runs it sooner, and that run decides anew', async () => {
    const { fake, runs, trigger } = setup(0, [retryAfter(3000, 'kong sync failed'), DONE]);
    trigger.mark();
    await fake.tickAsync(1000);
    expect(runs).to.deep.equal([100]);
    trigger.mark();
    await fake.tickAsync(10_000);
    expect(runs, 'the mark at 1000 runs at 1100; that run is done, so 3100 never comes').to.deep.equal([100, 1100]);
  });

  it('a retry asked while marks are pending waits for the sooner of the two', async () => {
    const { fake, runs, trigger } = setup(200, [retryAfter(20, 'quick retry'), DONE]);
    trigger.mark();
    await fake.tickAsync(290);
    trigger.mark();
    await fake.tickAsync(5000);
    // Run 100-300 with a mark at 290 during it: due at 390, but the retry asks for 320.
    expect(runs).to.deep.equal([100, 320]);
  });

  it('a run that throws schedules nothing more; the next mark still runs', async () => {
    const { fake, runs, trigger } = setup(0, [new Error('boom')]);
    trigger.mark();
    await fake.tickAsync(60_000);
    expect(runs).to.deep.equal([100]);
    trigger.mark();
    await fake.tickAsync(100);
    expect(runs).to.deep.equal([100, 60_100]);
  });

  it('retries after the given delay without marks, and stop() waits for the run in flight', async () => {
    const { fake, runs, trigger } = setup(300, [retryAfter(2000, 'failed'), DONE]);
    trigger.mark();
    await fake.tickAsync(2500);
    expect(runs).to.deep.equal([100, 2400]);
    let stopped = false;
    const stopping = trigger.stop().then(() => { stopped = true; });
    await fake.tickAsync(100);
    expect(stopped, 'still running').to.equal(false);
    await fake.tickAsync(200);
    await stopping;
    expect(stopped).to.equal(true);
    trigger.mark();
    await fake.tickAsync(5000);
    expect(runs).to.have.length(2);
  });
});

describe('PassResult', () => {
  it('several steps\' requests combine into the soonest; a retry wins a tie; done asks for nothing', () => {
    expect(soonest()).to.deep.equal(DONE);
    expect(soonest(DONE, DONE)).to.deep.equal(DONE);
    expect(soonest(requeueAfter(60_000, 'check'), retryAfter(2000, 'failed'), DONE)).to.deep.equal(retryAfter(2000, 'failed'));
    expect(soonest(requeueAfter(1000, 'check'), retryAfter(2000, 'failed'))).to.deep.equal(requeueAfter(1000, 'check'));
    expect(soonest(requeueAfter(2000, 'check'), retryAfter(2000, 'failed')).kind).to.equal('retry');
    expect(requeueAfter(-5, 'late')).to.deep.equal(requeueAfter(0, 'late'));
  });
});

describe('controller: a burst of changes coalesces', () => {
  let h: Harness;
  let kong: RecordingKong;

  afterEach(async () => { await h.stop(); });

  it('turns 1000 Ingress changes into a handful of syncs that end with the final state', async () => {
    kong = recordingKong();
    h = await startHarness({ kong, kongAdminUrls: ['http://127.0.0.1:1'], objects: [...gatewayObjects(1), service('shop', 'web')] });
    await h.eventually(() => { expect(kong.syncs).to.have.length(1); });
    const before = kong.syncs.length;
    for (let i = 0; i < 1000; i += 1) {
      h.cluster.apply(ingress('shop', `app-${i % 50}`, { host: `h${i}.example.com` }));
      if (i % 100 === 0) await h.clock.tickAsync(20);
    }
    await h.advance(3000);
    const syncs = kong.syncs.length - before;
    expect(syncs).to.be.within(1, 5);
    const last = kong.syncs.at(-1);
    const hosts = last?.applied.config.services.flatMap((s) => s.routes.flatMap((r) => r.hosts ?? [])).sort();
    const expected = Array.from({ length: 50 }, (_, k) => `h${950 + k}.example.com`).sort();
    expect(hosts).to.deep.equal(expected);
  });

  it('does not sync at all when a change does not touch what the translation reads', async () => {
    kong = recordingKong();
    h = await startHarness({ kong, kongAdminUrls: ['http://127.0.0.1:1'], objects: [...gatewayObjects(1), service('shop', 'web'), ingress('shop', 'web')] });
    await h.eventually(() => { expect(kong.syncs).to.have.length(1); });
    for (let i = 0; i < 20; i += 1) {
      h.cluster.apply({ ...ingress('shop', 'web'), status: { loadBalancer: { ingress: [{ ip: `198.51.100.${i}` }] } } });
    }
    await h.advance(3000);
    expect(kong.syncs).to.have.length(1);
  });
});
