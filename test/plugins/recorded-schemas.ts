// The plugin schemas a real Kong 3.9.3 published (`GET /schemas/plugins/<name>`),
// from the recordings beside the repository.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { PluginSchema, SchemaAnswer } from '../../src/plugins/index.ts';
import { readRecording, recordingsDir } from '../recordings/recordings-dir.ts';

export function recordedPluginNames(): string[] {
  return readRecording<string[]>('plugin-schemas/_enabled_plugins.json');
}

export function recordedSchema(name: string): PluginSchema {
  return readRecording<PluginSchema>(`plugin-schemas/${name}.json`);
}

/** What the recorded gateway answers for a plugin name. */
export function recordedAnswer(name: string): SchemaAnswer {
  const files = readdirSync(path.join(recordingsDir(), 'plugin-schemas'));
  return files.includes(`${name}.json`) ? { kind: 'schema', schema: recordedSchema(name) } : { kind: 'not-enabled' };
}
