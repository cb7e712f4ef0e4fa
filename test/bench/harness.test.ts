// The benchmark harness works end to end on small sizes: flags, workloads, the
// JSON report. Nothing here asserts how fast anything is.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { promisify } from 'node:util';
import { parseBenchArgs } from '../../bench/main.ts';
import type { BenchReport } from '../../bench/report.ts';
import { quantile, summarize } from '../../bench/stats.ts';
import { editIngress, generateCluster } from '../../bench/generate.ts';
import { parseCachegrindTotals } from '../../bench/workloads/instructions.ts';

const run = promisify(execFile);
const MAIN = path.join(import.meta.dirname, '..', '..', 'bench', 'main.ts');

describe('bench harness', function () {
  describe('statistics', function () {
    it('summarizes median, min, max and nearest-rank p99', function () {
      const values = Array.from({ length: 100 }, (_, i) => 100 - i);
      expect(summarize(values)).to.deep.equal({ median: 50.5, min: 1, max: 100, p99: 99, count: 100 });
      expect(summarize([3, 1, 2]).median).to.equal(2);
      expect(quantile([5], 0.99)).to.equal(5);
    });
  });

  describe('generator', function () {
    it('is deterministic from the seed and realistic in its mix', function () {
      const a = generateCluster({ n: 60, seed: 3 }).snapshot;
      const b = generateCluster({ n: 60, seed: 3 }).snapshot;
      const c = generateCluster({ n: 60, seed: 4 }).snapshot;
      expect(JSON.stringify(a)).to.equal(JSON.stringify(b));
      expect(JSON.stringify(a.Ingress)).to.not.equal(JSON.stringify(c.Ingress));
      expect(a.Ingress).to.have.length(60);
      expect(a.Service).to.have.length(60);
      expect(a.Service.filter((s) => s.spec?.type === 'ExternalName')).to.have.length(6);
      expect(a.Secret).to.have.length(6);
      for (const ing of a.Ingress) expect(ing.spec?.rules?.[0]?.http?.paths).to.have.length(2);
      const types = new Set(a.Ingress.flatMap((i) => i.spec?.rules?.[0]?.http?.paths.map((p) => p.pathType) ?? []));
      expect([...types].sort()).to.deep.equal(['Exact', 'Prefix']);
    });

    it('edits one path and leaves the original object alone', function () {
      const ingress = generateCluster({ n: 1 }).snapshot.Ingress[0];
      if (!ingress) throw new Error('no Ingress generated');
      const edited = editIngress(ingress, 7);
      expect(edited.spec?.rules?.[0]?.http?.paths[1]?.path).to.equal('/edited/r7');
      expect(ingress.spec?.rules?.[0]?.http?.paths[1]?.path).to.not.equal('/edited/r7');
      expect(edited.metadata?.resourceVersion).to.not.equal(ingress.metadata?.resourceVersion);
    });
  });

  describe('flags', function () {
    it('reads the totals cachegrind prints, and names a total it did not print', function () {
      const stderr = [
        '==2139== I   refs:      2,867,954,587',
        '==2139== D1  misses:       18,617,501  ( 14,313,939 rd   +   4,303,562 wr)',
        '==2139== LLd misses:        1,412,217  (    128,524 rd   +   1,283,693 wr)',
      ].join('\n');
      expect(parseCachegrindTotals(stderr)).to.deep.equal({ instructions: 2867954587, l1DataMisses: 18617501, l2DataMisses: 1412217 });
      expect(() => parseCachegrindTotals('==1== I   refs:      10')).to.throw(/printed no 'D1 misses' total/);
    });

    it('parses --quick, --json, --only and --runs, and refuses a bad --runs', function () {
      expect(parseBenchArgs(['--quick', '--json', 'out.json', '--only', 'translate, admin-cost', '--runs', '2'])).to.deep.equal({
        quick: true, list: false, json: 'out.json', only: ['translate', 'admin-cost'], runs: 2,
      });
      expect(() => parseBenchArgs(['--runs', '0'])).to.throw(/--runs/);
    });
  });

  describe('npm run bench -- --quick', function () {
    this.timeout(180_000);
    let dir: string;

    before(async function () {
      dir = await mkdtemp(path.join(os.tmpdir(), 'meshdoor-bench-test-'));
    });

    after(async function () {
      await rm(dir, { recursive: true, force: true });
    });

    it('runs the in-process workloads and writes the JSON report', async function () {
      const file = path.join(dir, 'report.json');
      const { stdout } = await run(process.execPath, ['--import', 'tsx', MAIN, '--quick', '--runs', '2', '--only', 'translate,retranslate,admin-cost', '--json', file]);
      expect(stdout).to.match(/workload\s+N\s+metric\s+median/);
      const report = JSON.parse(await readFile(file, 'utf8')) as BenchReport;
      expect(report.errors).to.deep.equal([]);
      expect(report.environment.node).to.equal(process.version);
      expect(report.environment.quick).to.equal(true);
      expect(report.environment.cores).to.be.greaterThan(0);
      expect(new Set(report.results.map((r) => r.workload))).to.deep.equal(new Set(['translate', 'retranslate', 'admin-cost']));
      expect(report.results.filter((r) => r.workload === 'translate').map((r) => `${r.n} ${r.metric}`)).to.deep.equal([
        ...[100, 1000].flatMap((n) => [
          'time, cold',
          // The thread's CPU clock only from 1k Ingresses (it moves in kernel ticks), and only where Node reports it.
          ...(n >= 1000 && typeof process.threadCpuUsage === 'function' ? ['thread cpu, cold'] : []),
          'allocated, cold', 'time, new translator', 'time, re-planned', 'time, MeshDoor edit not read', 'time, unchanged',
        ].map((m) => `${n} ${m}`)),
      ]);
      for (const r of report.results) {
        expect(r.min).to.be.at.most(r.median);
        expect(r.median).to.be.at.most(r.max);
        expect(r.runs).to.be.greaterThan(0);
        expect(r).to.not.have.property('p99');
      }
      const posts = report.results.find((r) => r.metric === 'dbless POST/gateway, unchanged' && r.n === 100);
      expect(posts?.max).to.equal(0);
    });

    it('refuses an unknown workload', async function () {
      const failed = await run(process.execPath, ['--import', 'tsx', MAIN, '--only', 'nope']).then(() => undefined, (err: { code?: number; stderr?: string }) => err);
      expect(failed?.code).to.equal(2);
      expect(failed?.stderr).to.match(/unknown workload\(s\) nope/);
    });
  });
});
