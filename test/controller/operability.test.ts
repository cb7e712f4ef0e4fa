// What an operator reads: one log line per applied push and per translation
// failure appearing or clearing, and the MeshDoor status when its class is
// owned by another controller.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import type { KubernetesObject } from '@kubernetes/client-node';
import { createLogger } from '../../src/observe/logger.ts';
import { gatewayObjects, ingress, ingressClass, service } from './fixtures.ts';
import { startHarness, type Harness } from './harness.ts';
import { recordingKong } from './recording-kong.ts';

interface LogLine { level: string; message: string; [field: string]: unknown }

function capturedLogger(level: 'info' | 'debug' = 'info'): { lines: LogLine[]; log: ReturnType<typeof createLogger> } {
  const stream = new PassThrough();
  const lines: LogLine[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const text of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(text) as LogLine);
  });
  return { lines, log: createLogger({ format: 'json', level, stream }) };
}

describe('operability: logs and status an operator acts on', () => {
  let h: Harness | undefined;
  afterEach(async () => { await h?.stop(); h = undefined; });

  it('logs one info line per applied push with gateway, mode, hash, entity counts and duration; none when nothing changed', async () => {
    const { lines, log } = capturedLogger();
    h = await startHarness({ kong: recordingKong(), kongAdminUrls: ['http://127.0.0.1:1'], log, objects: [...gatewayObjects(1), service('shop', 'web'), ingress('shop', 'web')] });
    const applied = () => lines.filter((l) => l.message === 'configuration applied');
    await h.eventually(() => { expect(applied()).to.have.length(1); });
    expect(applied()[0]).to.include({ level: 'info', gateway: 'http://127.0.0.1:1', mode: 'dbless', services: 1, routes: 1, upstreams: 0, certificates: 0 });
    expect(applied()[0]?.configHash).to.be.a('string').and.not.equal('');
    expect(applied()[0]?.durationMs).to.be.a('number');
  });

  it('logs a translation failure once when it appears and once when it clears', async () => {
    const { lines, log } = capturedLogger();
    h = await startHarness({ kong: recordingKong(), kongAdminUrls: ['http://127.0.0.1:1'], log, objects: [...gatewayObjects(1), ingress('shop', 'web')] });
    const about = (message: string) => lines.filter((l) => l.message === message && l.object === 'Ingress/shop/web');
    await h.eventually(() => { expect(about('translation failure')).to.have.length(1); });
    expect(String(about('translation failure')[0]?.failure)).to.include('ServiceNotFound');
    h.cluster.apply(ingress('shop', 'web', { path: '/other' }));
    await h.advance(2000);
    expect(about('translation failure'), 'same failure, no new line').to.have.length(1);
    h.cluster.apply(service('shop', 'web'));
    await h.eventually(() => { expect(about('translation failure cleared')).to.have.length(1); });
  });

  it('serves no Ingress of a class another controller owns, and the MeshDoor says so (Ready=False, IngressClassNotOwned)', async () => {
    const kong = recordingKong();
    const kicClass = { ...ingressClass('kong'), spec: { controller: 'ingress-controllers.konghq.com/kong' } };
    const objects = [...gatewayObjects(1).filter((o) => o.kind !== 'IngressClass'), kicClass, service('shop', 'web'), ingress('shop', 'web')];
    h = await startHarness({ kong, kongAdminUrls: ['http://127.0.0.1:1'], objects });
    await h.eventually(() => {
      const status = h?.cluster.get<KubernetesObject & { status?: { conditions?: Array<{ type: string; status: string; reason: string; message: string }> } }>('MeshDoor', undefined, 'default')?.status;
      const ready = status?.conditions?.find((c) => c.type === 'Ready');
      expect(ready).to.include({ status: 'False', reason: 'IngressClassNotOwned' });
      expect(ready?.message).to.include('ingress-controllers.konghq.com/kong');
    });
    const routes = kong.syncs.flatMap((s) => s.applied.config.services.flatMap((svc) => svc.routes));
    expect(routes).to.deep.equal([]);
    expect(h.cluster.events.some((e) => e.reason === 'IngressClassNotOwned')).to.equal(true);
  });

  it('explains its decisions at debug level: an unchanged pass skipped, Ingresses of another class left out', async () => {
    const { lines, log } = capturedLogger('debug');
    const objects = [...gatewayObjects(1), service('shop', 'web'), ingress('shop', 'web'), ingress('shop', 'nginx', { className: 'nginx' })];
    h = await startHarness({ kong: recordingKong(), kongAdminUrls: ['http://127.0.0.1:1'], log, objects, options: { resyncMs: 0 } });
    await h.eventually(() => { expect(lines.some((l) => l.message === 'configuration applied')).to.equal(true); });
    const excluded = lines.find((l) => l.message.startsWith('Ingresses not served'));
    expect(excluded).to.deep.include({ level: 'debug', count: 1, ingresses: ['shop/nginx'] });
    h.cluster.apply(ingress('shop', 'nginx', { className: 'nginx', path: '/x' }));
    await h.eventually(() => { expect(lines.some((l) => l.message.startsWith('pass skips Kong: cluster state, settings and gateways unchanged'))).to.equal(true); });
  });
});
