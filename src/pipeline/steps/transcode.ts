import { derivedVideoKey } from '../../storage/keys.js';
import { labelOf } from '../../media/decode.js';
import { withTempDir } from '../../media/decoders/tools.js';
import { browserPlayable } from '../../media/video/playable.js';
import { transcodeVideo } from '../../media/video/transcode.js';
import { VideoToolsMissingError } from '../../media/video/tools.js';
import { isVideoMime, NOT_A_VIDEO } from '../../model/video.js';
import type { PipelineStep } from '../step.js';

/**
 * A clip that current browsers play as it is (H.264 or VP9 in MP4 or WebM, at a sane bit rate) is served as it
 * is; any other is transcoded to an H.264/AAC MP4 (media/video/transcode.ts), kept beside its poster. Its own lane
 * (`video`, one at a time by default), so that minutes of transcoding never hold a photo's thumbnail.
 */
export const transcodeStep: PipelineStep = {
  name: 'transcode',
  version: '1',
  async run({ photo, storage, original, video: settings }) {
    if (!isVideoMime(photo.mime)) return { status: 'skipped', reason: NOT_A_VIDEO };
    const info = photo.video;
    if (!info) throw new Error('the clip was not probed (its preprocessing left no stream information)');
    const key = derivedVideoKey(photo.id);
    const playable = browserPlayable(info);
    if (playable.playable) {
      await storage.remove(key); // made by an earlier run of a clip now served as it is
      return { status: 'skipped', reason: 'plays in browsers as it is: the original is served' };
    }
    const file = await original();
    try {
      await withTempDir(async (dir) => {
        const made = await transcodeVideo(file, dir, labelOf(photo.filename, photo.mime), { maxHeight: settings.maxHeight, durationMs: photo.durationMs, tools: settings });
        await storage.putFile(key, made, { move: true });
      });
    } catch (error) {
      if (error instanceof VideoToolsMissingError) return { status: 'skipped', reason: error.message };
      throw error;
    }
    return { status: 'done', note: `transcoded to H.264 MP4: ${playable.reason}` };
  },
};
