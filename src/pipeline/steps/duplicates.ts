import { detectDuplicates, thresholdsFrom } from '../../library/duplicates/index.js';
import { placeInStack } from '../../library/stacks/index.js';
import type { PipelineStep } from '../step.js';

/**
 * Files the photo with its copies (PDQ, then CLIP) or its burst (same camera within seconds), or in no group; then
 * in its stack (raw+JPEG, HEIC+JPEG, burst frames, edited versions: library/stacks/). Without a CLIP model the CLIP tier is left out; the step runs again when one is installed (its version names
 * the model).
 */
export const duplicatesStep: PipelineStep = {
  name: 'duplicates',
  // 3: versions of one shot are no copies, frames of a burst never duplicates (library/duplicates/provenance.ts):
  // every photo is filed again, so groups made by the earlier rules (a RAW with its JPEG) go
  version: '3',
  async modelVersion(ml) {
    return ml.clipVersion();
  },
  async run({ photo, db, ml }) {
    const model = await ml.clipVersion();
    await detectDuplicates(db, photo.id, thresholdsFrom(ml.settings), model === 'none' ? null : model);
    await placeInStack(db, photo.id);
    return { status: 'done' };
  },
};
