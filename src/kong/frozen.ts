// Moved to the model module; kept for the translator's imports until they point there.
export { freezeDeep, isDeeplyFrozen } from '../model/index.ts';
