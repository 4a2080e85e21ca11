// A clip's renditions: probed, its poster frame chosen and taken (./poster.ts), then the same thumbnail, preview and
// stored pixels as a photo's (../decode-sharp.ts), so that every step after preprocessing treats it as an image.
import { withTempDir } from '../decoders/tools.js';
import { fromSharpFileOnce } from '../decode-sharp.js';
import type { DecodedPhoto, Sizes } from '../renditions.js';
import { posterTime, extractFrame } from './poster.js';
import { probeVideo, type VideoProbe } from './probe.js';
import type { VideoToolSettings } from './tools.js';

export interface DecodedVideo extends DecodedPhoto {
  probe: VideoProbe;
}

/** `signal` kills its ffmpeg (the item trashed, deleted or reset while it runs). */
export async function decodeVideo(file: string, label: string, sizes: Sizes, settings?: VideoToolSettings, signal?: AbortSignal): Promise<DecodedVideo> {
  const probe = await probeVideo(file, label, settings, signal);
  const posterMs = await posterTime(file, probe, label, settings, signal);
  return withTempDir(async (dir) => {
    const frame = await extractFrame(file, posterMs, dir, label, settings, { signal });
    // ffmpeg turned the frame upright: its pixels are as displayed
    return { ...(await fromSharpFileOnce(frame, label, sizes, 'ffmpeg', 1)), probe };
  });
}
