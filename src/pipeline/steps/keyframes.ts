// A clip's frames beyond its poster, for the steps that look at what is in it (embeddings, faces): taken once by
// whichever of them runs first and kept beside the renditions (another lane, or a reprocess, finds them there).
import { labelOf } from '../../media/decode.js';
import { withTempDir } from '../../media/decoders/tools.js';
import { extractFrames, keyframeTimes } from '../../media/video/keyframes.js';
import { isVideoMime } from '../../model/video.js';
import { keyframeKey } from '../../storage/keys.js';
import type { StepContext } from '../step.js';

/** As large as a preview: faces small in the frame are still found. */
const FRAME_SIDE = 1440;

/** Local files of the clip's frames (none for a photo, or a clip too short to have more than its poster). */
export async function videoFrames(ctx: Pick<StepContext, 'photo' | 'storage' | 'localFile' | 'original' | 'video' | 'giveWay' | 'signal'>): Promise<string[]> {
  const { photo, storage } = ctx;
  if (!isVideoMime(photo.mime)) return [];
  const times = keyframeTimes(photo.durationMs);
  const keys = times.map((_, index) => keyframeKey(photo.id, photo.sha256, index));
  const stored = await Promise.all(keys.map((key) => storage.stat(key)));
  if (stored.some((found) => !found)) {
    const original = await ctx.original();
    await withTempDir(async (dir) => {
      const frames = await extractFrames(original, times, dir, labelOf(photo.filename, photo.mime), FRAME_SIDE, ctx.video, ctx.giveWay, ctx.signal);
      for (const [index, frame] of frames.entries()) {
        if (!frame || stored[index]) continue;
        await storage.putFile(keys[index]!, frame, { move: true });
        stored[index] = { size: 0, modifiedAt: new Date() };
      }
    });
  }
  return Promise.all(keys.filter((_, index) => stored[index]).map((key) => ctx.localFile(key)));
}
