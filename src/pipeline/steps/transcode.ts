import { and, eq, sql } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import { derivedVideoKey, motionKey } from '../../storage/keys.js';
import { labelOf } from '../../media/decode.js';
import { withTempDir } from '../../media/decoders/tools.js';
import { browserPlayable } from '../../media/video/playable.js';
import { countFrames, probeVideo } from '../../media/video/probe.js';
import { transcodeVideo } from '../../media/video/transcode.js';
import { VideoToolsMissingError } from '../../media/video/tools.js';
import { isVideoMime, NOT_A_VIDEO, type VideoInfo } from '../../model/video.js';
import type { PipelineStep, StepContext, StepResult } from '../step.js';

/**
 * A clip that current browsers play as it is (H.264 or VP9 in MP4 or WebM, at a sane bit rate) is served as it
 * is; any other is transcoded to an H.264/AAC MP4 (media/video/transcode.ts), kept beside its poster. The clip is
 * a video's original, or a motion photo's video — embedded in its file, or a Live Photo's MOV — probed here first. Its own lane (`video`, one at a
 * time by default), so that minutes of transcoding never hold a photo's thumbnail; ffmpeg is stopped at once when the
 * server stops (the step runs again at the next start), the item is deleted or the step is reset.
 */
export const transcodeStep: PipelineStep = {
  name: 'transcode',
  version: '1',
  async run(ctx) {
    const { photo } = ctx;
    try {
      if (isVideoMime(photo.mime)) {
        if (!photo.video) throw new Error('the clip was not probed (its preprocessing left no stream information)');
        return await makePlayable(ctx, () => ctx.original(), photo.video, photo.durationMs);
      }
      if (!photo.motion) {
        await ctx.storage.remove(derivedVideoKey(photo.id)); // made for a motion video the file no longer has
        return { status: 'skipped', reason: NOT_A_VIDEO };
      }
      const motion = await ctx.localFile(motionKey(photo.id, photo.motion));
      const label = photo.motion.source === 'live' ? labelOf(photo.motion.filename, photo.motion.mime) : labelOf(`${photo.filename} (motion)`, 'video/mp4');
      const { durationMs, ...video } = await probeVideo(motion, label, ctx.video, ctx.signal);
      // merged into the row as it is now, for the same video (the metadata step may have found another meanwhile)
      await ctx.db
        .update(photos)
        .set({ motion: sql`${photos.motion} || ${JSON.stringify({ durationMs, video })}::jsonb` })
        .where(and(eq(photos.id, photo.id), sql`(${photos.motion}->>'bytes')::bigint = ${photo.motion.bytes}`));
      return await makePlayable(ctx, async () => motion, video, durationMs);
    } catch (error) {
      if (error instanceof VideoToolsMissingError) return { status: 'skipped', reason: error.message };
      throw error;
    }
  },
};

/** Transcodes the clip unless browsers play it as it is; `file` is fetched only then (a copy from S3 in a cluster). */
async function makePlayable(
  { photo, storage, video: settings, signal }: StepContext,
  file: () => Promise<string>,
  info: VideoInfo,
  durationMs: number | null,
): Promise<StepResult> {
  const key = derivedVideoKey(photo.id);
  const playable = browserPlayable(info);
  if (playable.playable) {
    await storage.remove(key); // made by an earlier run of a clip now served as it is
    return { status: 'skipped', reason: 'plays in browsers as it is: the original is served' };
  }
  const input = await file();
  // its real frames, not its duration alone, say how long the work may take (a jump in its timestamps)
  const frames = await countFrames(input, settings, signal);
  const made = await withTempDir(async (dir) => {
    const encoder = { hwaccel: settings.hwaccel, vaapiDevice: settings.vaapiDevice };
    const transcoded = await transcodeVideo(input, dir, labelOf(photo.filename, photo.mime), {
      maxHeight: settings.maxHeight,
      durationMs,
      frames,
      tools: settings,
      signal,
      encoder,
    });
    await storage.putFile(key, transcoded.file, { move: true });
    return transcoded;
  });
  const how = made.fallback ? ` on the CPU, as ${made.fallback}` : made.encoder === 'libx264' ? '' : ` with ${made.encoder}`;
  return { status: 'done', note: `transcoded to H.264 MP4${how}: ${playable.reason}` };
}
