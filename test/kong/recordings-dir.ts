// Kong recordings for the tests outside the replay suite: the one locator in
// test/recordings/recordings-dir.ts, under the names these tests use.
export { readRecording, recordingsDir as kongRecordingsDir } from '../recordings/recordings-dir.ts';

export const ROUTER_FLAVORS = ['traditional_compatible', 'expressions'] as const;
