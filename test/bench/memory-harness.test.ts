// The memory workload's harness: the child is compiled as shipped, started with
// the image's Node flags and environment, and fed objects as a real API server
// stores them. Nothing here measures memory.
import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { compileEntry } from '../../bench/compile.ts';
import { generateCluster } from '../../bench/generate.ts';
import { DOCKERFILE, imageRuntime, withHostPreload } from '../../bench/image-runtime.ts';
import { StaticWatch } from '../../bench/static-watch.ts';
import type { WatchSpec } from '../../src/kube/watch-source.ts';
import { LAST_APPLIED_ANNOTATION, trimForCache } from '../../src/kube/cache-trim.ts';
import * as source from '../../src/model/kong-ids.ts';

describe('bench: memory workload harness', function () {
  this.timeout(60_000);
  let dir: string;
  before(async function () { dir = await mkdtemp(path.join(os.tmpdir(), 'meshdoor-memory-harness-')); });
  after(async function () { await rm(dir, { recursive: true, force: true }); });

  it('reads the final stage\'s ENTRYPOINT flags and ENV from a Dockerfile', async function () {
    const file = path.join(dir, 'Dockerfile');
    await writeFile(file, [
      'FROM node:24 AS build', 'ENV BUILD_ONLY=1', 'ENTRYPOINT ["node", "build.js"]',
      'FROM node:24-slim', 'ENV NODE_ENV=production', 'ENV MALLOC_ARENA_MAX=2',
      'ENTRYPOINT ["node", "--max-old-space-size=300", "--expose-gc", "bin/meshdoor.js"]', 'CMD ["controller"]', '',
    ].join('\n'));
    expect(imageRuntime(file)).to.deep.equal({
      nodeFlags: ['--max-old-space-size=300', '--expose-gc'],
      env: { NODE_ENV: 'production', MALLOC_ARENA_MAX: '2' },
    });
    expect(imageRuntime(DOCKERFILE).env).to.have.property('NODE_ENV', 'production');
  });

  it('runs the child with the image\'s preloaded malloc found on this host by name, or says it measured without', async function () {
    const image = { nodeFlags: [], env: { NODE_ENV: 'production', LD_PRELOAD: '/usr/local/lib/libjemalloc.so.2', MALLOC_CONF: 'background_thread:true' } };
    const libs = path.join(dir, 'lib');
    await mkdir(libs);
    expect(withHostPreload(image, [libs])).to.deep.equal({ nodeFlags: [], env: { NODE_ENV: 'production', MALLOC_CONF: 'background_thread:true' }, missingPreload: 'libjemalloc.so.2' });
    await writeFile(path.join(libs, 'libjemalloc.so.2'), '');
    expect(withHostPreload(image, [libs]).env).to.have.property('LD_PRELOAD', path.join(libs, 'libjemalloc.so.2'));
    expect(withHostPreload(image, [libs])).to.not.have.property('missingPreload');
  });

  it('compiles an entry point to JavaScript that runs on plain node, dependencies included', async function () {
    const compiled = await compileEntry('src/model/kong-ids.ts');
    try {
      expect(compiled.file).to.match(/src\/model\/kong-ids\.js$/);
      const ids = await import(compiled.file) as typeof source;
      expect(ids.kongEntityId('services', 'a.b.80')).to.equal(source.kongEntityId('services', 'a.b.80'));
    } finally {
      await compiled.cleanup();
    }
  });

  it('generates objects as kubectl apply leaves them, and only adds what the caches drop', function () {
    const applied = generateCluster({ n: 20, kubectlApplied: true }).snapshot;
    const plain = generateCluster({ n: 20 }).snapshot;
    const objects = (s: typeof plain): KubernetesObject[] => [...s.Ingress, ...s.Service, ...s.Secret];
    for (const obj of objects(applied)) {
      const manifest = JSON.parse(obj.metadata?.annotations?.[LAST_APPLIED_ANNOTATION] ?? '{}') as KubernetesObject;
      expect(manifest.metadata?.name).to.equal(obj.metadata?.name);
      expect(manifest.metadata).to.not.have.property('resourceVersion');
      expect(obj.metadata?.managedFields?.[0]?.fieldsV1).to.have.property('f:metadata');
    }
    expect(objects(applied).map((o) => trimForCache(structuredClone(o)))).to.deep.equal(objects(plain));
  });

  it('counts watches started after the source dropped its objects (they list nothing)', async function () {
    const watch = new StaticWatch(generateCluster({ n: 2 }).snapshot.Ingress);
    const spec: WatchSpec = { role: 'ingresses', kind: 'Ingress', gate: 'hard' };
    expect(await watch.factory(spec).start({} as Parameters<ReturnType<StaticWatch['factory']>['start']>[0])).to.have.length(2);
    watch.release();
    expect(await watch.factory(spec).start({} as Parameters<ReturnType<StaticWatch['factory']>['start']>[0])).to.deep.equal([]);
    expect(watch.startsAfterRelease).to.equal(1);
  });
});
