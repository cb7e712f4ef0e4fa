// Golden tests: test/golden/<case>/in.yaml → out.yaml (the declarative config
// as `meshdoor translate` prints it) and failures.txt; every output must pass
// the Kong schema validator. Regenerate with
// UPDATE_GOLDEN=1 npx mocha test/golden/*.test.ts and review the diff.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { loadTranslationInput } from '../../src/cli/manifests.ts';
import { renderConfig, renderFailures } from '../../src/cli/translate-command.ts';
import { validateDeclarativeConfig } from '../kong-model/validate/index.ts';
import { createTranslator } from '../../src/translate/index.ts';

const root = new URL('./', import.meta.url);
const update = process.env.UPDATE_GOLDEN === '1';
const cases = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(new URL(`${entry.name}/in.yaml`, root)))
  .map((entry) => entry.name)
  .sort();

function compareOrWrite(file: URL, actual: string): void {
  if (update) {
    writeFileSync(file, actual);
    return;
  }
  expect(existsSync(file), `${file.pathname} is missing; run with UPDATE_GOLDEN=1`).to.equal(true);
  expect(actual).to.equal(readFileSync(file, 'utf8'));
}

describe('golden: manifests → Kong declarative config', () => {
  it('has at least 8 cases', () => {
    expect(cases.length).to.be.at.least(8);
  });

  for (const name of cases) {
    it(name, async () => {
      const { snapshot, settings } = await loadTranslationInput([new URL(`${name}/in.yaml`, root).pathname]);
      const result = createTranslator().translate(snapshot, { settings });
      compareOrWrite(new URL(`${name}/out.yaml`, root), renderConfig(result.config, 'yaml'));
      compareOrWrite(new URL(`${name}/failures.txt`, root), renderFailures(result.failures));
      // Kong must accept every golden output as a whole (POST /config).
      const verdict = validateDeclarativeConfig(structuredClone(result.config), { routerFlavor: settings.routerFlavor, flattenErrors: true });
      expect(verdict.ok ? 'accepted' : JSON.stringify(verdict.body, null, 1)).to.equal('accepted');
    });
  }
});
