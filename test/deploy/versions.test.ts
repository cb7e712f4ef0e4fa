// What must agree across the repository: the version everywhere it is written,
// the chart's CRD and the kustomize one, and documents the README links to.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = new URL('../../', import.meta.url).pathname;
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');
const { version } = JSON.parse(read('package.json')) as { version: string };

describe('repository consistency', () => {
  it('has one version: package.json, the chart, the kustomize image tag, the Dockerfile and the README', () => {
    const chart = parse(read('deploy/helm/meshdoor/Chart.yaml')) as { version: string; appVersion: string };
    expect(chart.version).to.equal(version);
    expect(chart.appVersion).to.equal(version);
    const kustomization = parse(read('deploy/kustomization.yaml')) as { images: Array<{ name: string; newTag: string }> };
    expect(kustomization.images.find((i) => i.name === 'meshdoor')?.newTag).to.equal(version);
    for (const file of ['Dockerfile', 'README.md', 'deploy/helm/meshdoor/values.yaml']) {
      const tags = [...read(file).matchAll(/meshdoor:(\d+\.\d+\.\d+)/g)].map((m) => m[1]);
      for (const tag of tags) expect(tag, file).to.equal(version);
    }
  });

  it('ships the same CRDs with the chart and with kustomize (cp deploy/crds/*.yaml deploy/helm/meshdoor/crds/)', () => {
    const kustomization = parse(read('deploy/crds/kustomization.yaml')) as { resources: string[] };
    expect(readdirSync(path.join(ROOT, 'deploy/helm/meshdoor/crds')).sort()).to.deep.equal([...kustomization.resources].sort());
    for (const file of kustomization.resources) {
      expect(read(`deploy/helm/meshdoor/crds/${file}`), file).to.equal(read(`deploy/crds/${file}`));
    }
  });

  it('links only to files that exist in the repository', () => {
    for (const doc of ['README.md', 'e2e/README.md', 'e2e/assets/README.md', 'bench/README.md']) {
      const links = [...read(doc).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1] ?? '').filter((l) => !/^[a-z]+:/.test(l));
      const quoted = [...read(doc).matchAll(/`((?:deploy|e2e|examples|src|test|bench|crds|bin)\/[^`\s*<>]*)`/g)].map((m) => m[1] ?? '');
      for (const target of [...links, ...quoted]) {
        const resolved = links.includes(target) ? path.join(ROOT, path.dirname(doc), target) : path.join(ROOT, target);
        expect(existsSync(resolved), `${doc} refers to ${target}`).to.equal(true);
      }
    }
  });
});
