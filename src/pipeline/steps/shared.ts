import type { RawPixels } from '../../media/types.js';
import type { StepContext } from '../step.js';

/** The original's stored pixels (RawPixels), decoded by preprocessing, for the hashes step of the same lane run. */
export const STORED_PIXELS = 'stored-pixels';

/** The stored pixels preprocessing left in this lane run, handed over once (12 MP is 36 MB). */
export function takeStoredPixels(ctx: Pick<StepContext, 'shared'>): RawPixels | null {
  const pixels = ctx.shared.get(STORED_PIXELS) as RawPixels | undefined;
  ctx.shared.delete(STORED_PIXELS);
  return pixels ?? null;
}
