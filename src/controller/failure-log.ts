// One log line when an object's translation failure appears (or changes) and
// one when it clears, instead of the same failure on every pass.
import type { Logger } from '../observe/index.ts';
import { objectKey, type TranslationFailure } from '../model/index.ts';

export class FailureLog {
  private failing = new Map<string, string>();

  constructor(private readonly log: Logger) {}

  update(failures: readonly TranslationFailure[]): void {
    const next = new Map<string, string>();
    for (const f of failures) {
      const key = objectKey(f.object);
      const text = `${f.reason}: ${f.message}`;
      next.set(key, next.has(key) ? `${next.get(key) ?? ''}; ${text}` : text);
    }
    for (const [key, text] of next) {
      if (this.failing.get(key) !== text) this.log.info('translation failure', { object: key, failure: text });
    }
    for (const key of this.failing.keys()) {
      if (!next.has(key)) this.log.info('translation failure cleared', { object: key });
    }
    this.failing = next;
  }
}
