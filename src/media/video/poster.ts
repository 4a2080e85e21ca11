// A clip's poster: the frame its thumbnail, preview, palette, hashes, faces and CLIP see. Not the first frame (often
// black, or blurred while the phone is raised): ffmpeg's `thumbnail` filter picks, among the frames of a window
// from a tenth of the way in (its keyframes when it has enough, else all its frames), the one closest to their
// average colour histogram — the most typical frame — on small copies (cheap in memory for 4K); that frame is then
// taken at full size, turned upright.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { timeLimits } from '../child-limits.js';
import { ImageDecodeError } from '../decoders/common.js';
import type { VideoProbe } from './probe.js';
import { decodeThreads, POSTER_DECODE_THREADS, requireVideoTools, runVideoTool, type VideoToolSettings } from './tools.js';

const MiB = 1024 * 1024;
/** Memory for one ffmpeg run (a 4K HEVC decoder and its frame pool use ~300–600 MB). */
export const FFMPEG_MEMORY_BYTES = 1536 * MiB;
const POSTER_TIMEOUT_MS = 120_000;
/** The window looked at: at most this long, and at most this many frames compared. */
const WINDOW_MS = 10_000;
const MAX_CANDIDATES = 100;
/** Keyframes enough to choose a poster from without decoding the frames between them. */
const MIN_KEYFRAMES = 4;

/** When the poster is taken (ms from the start), as chosen on small copies of the window's frames. */
export async function posterTime(file: string, probe: VideoProbe, label: string, settings?: VideoToolSettings, signal?: AbortSignal): Promise<number> {
  const duration = probe.durationMs ?? 0;
  const start = Math.min(duration * 0.1, 30_000);
  const window = Math.max(0, Math.min(WINDOW_MS, duration - start));
  if (window < 200) return start; // a clip of a few frames: its first is its poster
  const candidates = Math.max(2, Math.min(MAX_CANDIDATES, Math.round(((probe.fps ?? 30) * window) / 1000)));
  // showinfo before and after the filter: the chosen frame's time less the window's first is where in the window
  // it is (a clip's timestamps need not start at zero)
  const pick = `scale=160:-2,showinfo,thumbnail=${candidates},showinfo`;
  const out = ['-frames:v', '1', '-f', 'null', '-'];
  const windowArgs = ['-i', file, '-map', '0:v:0', '-an', '-sn', '-t', seconds(window), '-vf', pick, ...out];
  // the keyframes alone first (a phone writes one every second or two): a fraction of the decoding, enough to choose
  // from; with fewer than MIN_KEYFRAMES of them in the window, every frame
  const keyframes = await runFfmpeg(file, [...seek(start), '-skip_frame', 'nokey', ...windowArgs], label, 'info', settings, signal);
  const fromKeyframes = shown(keyframes, MIN_KEYFRAMES);
  if (fromKeyframes) return start + Math.round((fromKeyframes.chosen - fromKeyframes.first) * 1000);
  const quick = shown(await runFfmpeg(file, [...seek(start), ...windowArgs], label, 'info', settings, signal));
  if (quick) return start + Math.round((quick.chosen - quick.first) * 1000);
  // a quick seek finds no frame in some streams (MPEG-TS with older builds): decode from the start, the timestamps
  // made to count from the first frame, and keep the window's frames (trim's times are then the clip's own)
  const trim = `setpts=PTS-STARTPTS,trim=start=${seconds(start)}:duration=${seconds(window)},${pick}`;
  const slow = shown(await runFfmpeg(file, ['-i', file, '-map', '0:v:0', '-an', '-sn', '-vf', trim, ...out], label, 'info', settings, signal));
  return slow ? Math.round(slow.chosen * 1000) : start;
}

/**
 * The first frame's time the first showinfo saw, and the frame's time the second one saw (the chosen one); null
 * when the first saw fewer than `atLeast` frames.
 */
function shown(log: string, atLeast = 1): { first: number; chosen: number } | null {
  const seen = new Map<number, number[]>();
  for (const match of log.matchAll(/Parsed_showinfo_(\d+) [^\n]*?pts_time:\s*(-?[\d.]+)/g)) {
    const filter = Number(match[1]);
    seen.set(filter, [...(seen.get(filter) ?? []), Number(match[2])]);
  }
  const filters = [...seen.keys()].sort((a, b) => a - b);
  if (filters.length < 2 || seen.get(filters[0]!)!.length < atLeast) return null;
  const first = seen.get(filters[0]!)![0]!;
  const chosen = seen.get(filters[filters.length - 1]!)![0]!;
  return chosen >= first ? { first, chosen } : null;
}

export interface FrameOptions {
  /** File name in `dir` (its extension says the format: .png, or .jpg at a high quality). */
  name?: string;
  /** Scaled down in ffmpeg so that neither side is longer (a 4K frame never written whole). */
  maxSide?: number;
  /** The keyframe at or before the time rather than the exact frame: one frame decoded, not up to a second of them. */
  nearestKeyframe?: boolean;
  /** Kills ffmpeg (the item trashed, deleted or reset). */
  signal?: AbortSignal;
}

/** Writes the frame at `atMs` as a PNG (or JPEG) in `dir` (upright: ffmpeg applies the rotation) and returns its path. */
export async function extractFrame(
  file: string,
  atMs: number,
  dir: string,
  label: string,
  settings?: VideoToolSettings,
  options: FrameOptions = {},
): Promise<string> {
  const out = path.join(dir, options.name ?? 'poster.png');
  const jpeg = out.endsWith('.jpg');
  const scale = options.maxSide ? ['-vf', `scale=w='min(iw,${options.maxSide})':h='min(ih,${options.maxSide})':force_original_aspect_ratio=decrease`] : [];
  const codec = jpeg ? ['-c:v', 'mjpeg', '-q:v', '3', '-pix_fmt', 'yuvj420p'] : ['-c:v', 'png'];
  const frame = ['-map', '0:v:0', '-an', '-sn', ...scale, '-frames:v', '1', '-f', 'image2', ...codec, '-y', out];
  const nearest = options.nearestKeyframe && atMs > 0 ? ['-noaccurate_seek'] : [];
  await runFfmpeg(file, [...nearest, ...seek(atMs), '-i', file, ...frame], label, 'error', settings, options.signal);
  // ffmpeg ends without an error when a quick seek found no frame: then it decodes up to the time
  if (!(await exists(out)) && atMs > 0) await runFfmpeg(file, ['-i', file, ...seek(atMs), ...frame], label, 'error', settings, options.signal);
  if (!(await exists(out))) throw new ImageDecodeError(`${label}: no frame could be decoded at ${seconds(atMs)} s`);
  return out;
}

const exists = async (file: string) => (await stat(file).catch(() => null)) !== null;

const seconds = (ms: number) => (ms / 1000).toFixed(3);
const seek = (ms: number) => (ms > 0 ? ['-ss', seconds(ms)] : []);

/** Runs ffmpeg under its memory and time limits; resolves with what it logged, rejects with ImageDecodeError. */
async function runFfmpeg(
  file: string,
  args: string[],
  label: string,
  logLevel: 'info' | 'error',
  settings?: VideoToolSettings,
  signal?: AbortSignal,
): Promise<string> {
  const tools = await requireVideoTools(settings);
  try {
    return (
      await runVideoTool(tools, 'ffmpeg', ['-v', logLevel, ...decodeThreads(args, POSTER_DECODE_THREADS)], {
        file,
        // processor time, for each of its threads: at the lowest priority under an import's load a 4K clip's poster
        // waited past 2 minutes on the clock; the clock ends only one that is stuck
        ...timeLimits(POSTER_TIMEOUT_MS, POSTER_DECODE_THREADS),
        memoryBytes: FFMPEG_MEMORY_BYTES,
        signal,
      })
    ).stderr;
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ImageDecodeError(`${label}: no frame could be decoded (${(error as Error).message})`);
  }
}
