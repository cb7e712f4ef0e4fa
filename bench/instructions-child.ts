// One steady cold translation for the instructions workload, run under
// valgrind twice: with the pass (`pass`) and without it (`setup`); the
// difference is the pass's own instructions and cache misses. Three cold passes
// first (memos and compiled code warm), then copies of every object, a full GC,
// and the measured pass.
// Usage: node --expose-gc <instructions-child.js compiled by workloads/instructions.ts> <n> pass|setup
import process from 'node:process';
import { createTranslator } from '../src/translate/index.ts';
import { collectGarbage } from './allocation.ts';
import { generateCluster } from './generate.ts';
import { replanningSettings } from './replanning-settings.ts';

const WARM_PASSES = 3;

const n = Number(process.argv[2] ?? 10000);
const measured = process.argv[3] === 'pass';
const { snapshot } = generateCluster({ n });
const translator = createTranslator();
for (let i = 0; i < WARM_PASSES; i += 1) translator.translate(structuredClone(snapshot), { settings: replanningSettings() });
const copies = structuredClone(snapshot);
const settings = replanningSettings();
collectGarbage();
if (measured) translator.translate(copies, { settings });
