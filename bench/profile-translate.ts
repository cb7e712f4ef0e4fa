// Repeats whole-snapshot translation for a CPU profile of the translator alone:
//   node --cpu-prof --cpu-prof-dir=prof --import tsx bench/profile-translate.ts [n=10000] [runs=10]
//   node --import tsx bench/profile-summary.ts prof/<file>.cpuprofile
import process from 'node:process';
import { DEFAULT_SETTINGS } from '../src/config/settings.ts';
import { createTranslator } from '../src/translate/index.ts';
import { generateCluster } from './generate.ts';

const n = Number(process.argv[2] ?? 10000);
const runs = Number(process.argv[3] ?? 10);
const { snapshot } = generateCluster({ n });
const { translate } = createTranslator();
const times: number[] = [];
for (let i = 0; i < runs; i += 1) {
  const started = performance.now();
  translate(snapshot, { settings: DEFAULT_SETTINGS });
  times.push(performance.now() - started);
}
console.log(`translate N=${n}: ${times.map((t) => t.toFixed(0)).join(' ')} ms`);
