// The Kong model's regex rules: one set of remembered verdicts and compiled
// regexes for the whole test process, since the model compiles the same route
// regexes for every request it routes.
import { createKongRegexRules } from '../../src/kong/rules/index.ts';

export const regexRules = createKongRegexRules();
