// Metrics by Prometheus' conventions, each one documented in the README.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { Metrics } from '../../src/observe/metrics.ts';
import { VERSION } from '../../src/observe/version.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('metrics', () => {
  it('use one prefix, base units and _total counters', async () => {
    const metrics = new Metrics();
    const all = await metrics.registry.getMetricsAsJSON();
    for (const m of all) {
      expect(m.name, m.name).to.match(/^meshdoor_/);
      expect(m.name, m.name).to.not.match(/_(milliseconds|ms|count|kilobytes)$/);
      if (String(m.type) === 'counter') expect(m.name, m.name).to.match(/_total$/);
      else expect(m.name, m.name).to.not.match(/_total$/);
    }
  });

  it('carry meshdoor_build_info with the version', async () => {
    const text = await new Metrics().registry.metrics();
    expect(text).to.include(`meshdoor_build_info{version="${VERSION}",node_version="${process.version}"} 1`);
  });

  it('are each listed in the README with their labels', async () => {
    const metrics = new Metrics();
    const all = await metrics.registry.getMetricsAsJSON();
    for (const m of all) {
      const row = README.split('\n').find((line) => line.startsWith(`| \`${m.name}\``));
      expect(row, `README row for ${m.name}`).to.be.a('string');
      const labels = (metrics.registry.getSingleMetric(m.name) as unknown as { labelNames?: string[] }).labelNames ?? [];
      for (const label of labels) expect(row, `${m.name} label ${label}`).to.include(`\`${label}\``);
    }
  });
});
