// The moments a clip is looked at beyond its poster: CLIP and the face detector see a handful of frames spread over
// the whole clip, so that a video is found by what happens in it and its people are found where they appear. A fixed,
// small number whatever the length (a seek and one decoded frame each): a 2-hour film costs what a minute does.
import { extractFrame } from './poster.js';
import type { VideoToolSettings } from './tools.js';

/** One frame per this much of the clip, at least MIN_FRAMES and at most MAX_FRAMES. */
const SPACING_MS = 2_000;
export const MIN_FRAMES = 2;
export const MAX_FRAMES = 8;

/** When the frames are taken (ms from the start): the middles of equal parts of the clip. Pure. */
export function keyframeTimes(durationMs: number | null): number[] {
  if (!durationMs || durationMs < 500) return [];
  const count = Math.min(MAX_FRAMES, Math.max(MIN_FRAMES, Math.round(durationMs / SPACING_MS)));
  return Array.from({ length: count }, (_, i) => Math.round(((i + 0.5) * durationMs) / count));
}

/**
 * Writes the frames at these times as JPEGs in `dir` (upright, at most `maxSide`), in order: the keyframe at or
 * before each time, one frame decoded each (a 4K HEVC clip's exact frame would cost up to a second of decoding). A
 * frame that cannot be decoded (a damaged stretch) is null.
 */
export async function extractFrames(
  file: string,
  times: readonly number[],
  dir: string,
  label: string,
  maxSide: number,
  settings?: VideoToolSettings,
  /** Awaited before each frame (a caller letting other work go first). */
  before: () => Promise<void> = async () => {},
  /** Kills ffmpeg and ends the work (the item trashed, deleted or reset). */
  signal?: AbortSignal,
): Promise<(string | null)[]> {
  const frames: (string | null)[] = [];
  for (const [index, atMs] of times.entries()) {
    await before();
    signal?.throwIfAborted();
    frames.push(await extractFrame(file, atMs, dir, label, settings, { name: `frame-${index}.jpg`, maxSide, nearestKeyframe: true, signal }).catch(() => null));
  }
  signal?.throwIfAborted(); // a frame stopped is not a damaged stretch
  return frames;
}
