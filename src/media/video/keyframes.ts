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
 * Writes the frames at these times as PNGs in `dir` (upright), in order; a frame that cannot be decoded (a damaged
 * stretch) is left out, so the answer may be shorter than `times`.
 */
export async function extractFrames(file: string, times: readonly number[], dir: string, label: string, settings?: VideoToolSettings): Promise<(string | null)[]> {
  const frames: (string | null)[] = [];
  for (const [index, atMs] of times.entries()) frames.push(await extractFrame(file, atMs, dir, label, settings, `frame-${index}.png`).catch(() => null));
  return frames;
}
