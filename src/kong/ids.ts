// Moved to the model module; kept for the translator's imports until they point there.
export type { KongEntityTable } from '../model/index.ts';
export { kongEntityId, kongTargetId } from '../model/index.ts';
