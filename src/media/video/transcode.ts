// A clip browsers cannot play (HEVC, ProRes, AVI, MKV/MTS containers, very high bit rates) made playable: H.264
// and AAC in an MP4 whose index comes first (`faststart`: it plays before it is all downloaded), at most
// `maxHeight` lines (its short side: a portrait clip keeps its height), at a lower CPU priority than the server —
// on the CPU (libx264), or on a GPU's encoder when the setting asks (NVENC, VA-API, Quick Sync), and on the CPU
// again when that encoder cannot take the clip (no such device here, a format it does not encode).
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { formatLimit, isOutOfMemory, ranOutOfCpu, timeLimits, withLimits } from '../child-limits.js';
import { ImageDecodeError } from '../decoders/common.js';
import { FFMPEG_MEMORY_BYTES } from './poster.js';
import type { Hwaccel } from '../../model/video.js';
import { localInputsOnly, requireVideoTools, TRANSCODE_THREADS, type VideoToolSettings } from './tools.js';

export interface TranscodeOptions {
  /** Short side at most this many pixels (1080: full HD). */
  maxHeight: number;
  /** The clip's length and its real number of frames (probe.ts' countFrames), for the limits (transcodeLimits). */
  durationMs: number | null;
  frames?: number | null;
  /** Stops ffmpeg (the step was cancelled, the process is stopping). */
  signal?: AbortSignal;
  /** Which ffmpeg (the process's by default). */
  tools?: VideoToolSettings;
  /** A GPU's H.264 encoder to try first (`off`: the CPU's). */
  encoder?: Encoder;
}

/** The H.264 encoder asked for: the CPU's, or a GPU's (with the VA-API device it is on). */
export interface Encoder {
  hwaccel: Hwaccel;
  vaapiDevice?: string;
}

export interface Transcoded {
  file: string;
  /** ffmpeg's name of the encoder that made it (libx264, h264_nvenc, h264_vaapi, h264_qsv). */
  encoder: string;
  /** Why the GPU's encoder asked for did not make it (then the CPU did); null when it did, or none was asked for. */
  fallback: string | null;
}

/** Niceness of the transcoder: the lowest; the server, uploads and every lane go first. */
const NICENESS = 19;

/** The least time a transcode is given, however short the clip. */
const MIN_TIMEOUT_MS = 120_000;
/** Time given per second of the clip: 6× its length (CPU shared with the photos' work, at the lowest priority). */
const TIMEOUT_PER_CLIP_MS = 6;
/** Time given per frame: the same 6× its length for a clip at 30 frames a second. */
const TIMEOUT_PER_FRAME_MS = 200;

/**
 * What a transcode may take (pure): time by the clip's length and by its real frames, whichever is less (a jump of
 * hours in its timestamps makes a clip of a few frames "hours long"), at least 2 minutes, as processor seconds (for
 * each thread) and on the clock (10×, for a stuck one); and at most a tenth more frames than it has, and 100, out
 * (each frame is written once at its own time: more means ffmpeg is filling a gap with copies of one frame). Without a
 * frame count, by its length alone and no frame limit.
 */
export function transcodeLimits(
  durationMs: number | null,
  frames: number | null | undefined,
): { cpuSeconds: number; timeoutMs: number; maxFrames: number | null } {
  const byLength = durationMs !== null && durationMs > 0 ? TIMEOUT_PER_CLIP_MS * durationMs : Infinity;
  const byFrames = frames ? TIMEOUT_PER_FRAME_MS * frames : Infinity;
  const shorter = Math.min(byLength, byFrames);
  const budget = Math.max(MIN_TIMEOUT_MS, Number.isFinite(shorter) ? shorter : 0);
  // processor time, for each thread: at the lowest priority on a machine busy with an import, a 12 s clip got no
  // processor for 2 minutes and failed on the clock ("ran past its 120 s limit"), where 4K needs ~2 processor seconds
  // a second of clip
  return { ...timeLimits(budget, TRANSCODE_THREADS), maxFrames: frames ? frames + Math.ceil(frames / 10) + 100 : null };
}

/** ffmpeg's name of each encoder. */
export const ENCODER_NAMES: Readonly<Record<Hwaccel, string>> = { off: 'libx264', nvenc: 'h264_nvenc', vaapi: 'h264_vaapi', qsv: 'h264_qsv' };

/**
 * The encoder's part of the command: what goes before the input (a VA-API device), the end of the filter chain (frames
 * handed to the GPU in the layout it takes) and the codec at a quality like libx264's CRF 23. Pure.
 */
function encoderArgs(encoder: Encoder): { before: string[]; filter: string; codec: string[] } {
  switch (encoder.hwaccel) {
    case 'off':
      return {
        before: [],
        filter: '',
        codec: ['-c:v', 'libx264', '-threads', String(TRANSCODE_THREADS), '-preset', 'veryfast', '-crf', '23', '-profile:v', 'high', '-pix_fmt', 'yuv420p'],
      };
    case 'nvenc':
      return {
        before: [],
        filter: '',
        codec: ['-c:v', 'h264_nvenc', '-preset', 'p4', '-rc', 'vbr', '-cq', '23', '-b:v', '0', '-profile:v', 'high', '-pix_fmt', 'yuv420p'],
      };
    case 'vaapi':
      return {
        before: ['-vaapi_device', encoder.vaapiDevice ?? '/dev/dri/renderD128'],
        filter: ',format=nv12,hwupload',
        codec: ['-c:v', 'h264_vaapi', '-qp', '23', '-profile:v', 'high'],
      };
    case 'qsv':
      return { before: [], filter: ',format=nv12', codec: ['-c:v', 'h264_qsv', '-global_quality', '23', '-profile:v', 'high'] };
  }
}

/**
 * The ffmpeg arguments (pure: the tests read them). `variableFrameRate` (VideoTools') writes each frame once at its
 * own time: an MP4 is otherwise made at a constant rate, every gap filled with copies of the frame before it (a clip
 * of 50 frames with a 10-hour jump became 900,000 frames: 4 minutes of the video lane at 160 lines, an hour at 1080).
 * `maxFrames`: ffmpeg stops one frame past it.
 */
export function transcodeArgs(
  input: string,
  output: string,
  maxHeight: number,
  encoder: Encoder = { hwaccel: 'off' },
  variableFrameRate: readonly string[] = ['-vsync', 'vfr'],
  maxFrames: number | null = null,
): string[] {
  const short = String(maxHeight);
  // after ffmpeg turned the frames upright: the short side scaled down to maxHeight, never up; even sizes for H.264
  const scale = `scale='if(gt(iw,ih),-2,min(iw,${short}))':'if(gt(iw,ih),min(ih,${short}),-2)'`;
  const { before, filter, codec } = encoderArgs(encoder);
  return [
    ...before,
    // bounded threads, as the encoder's below: ffmpeg's one per core held 720 MB on a 4K HEVC clip with 8, 396 MB with 4
    '-threads',
    String(TRANSCODE_THREADS),
    '-i',
    input,
    // no metadata carried over (a position, a serial number): the copy is for playing; the original keeps them
    '-map',
    '0:v:0',
    '-map',
    '0:a:0?',
    '-sn',
    '-dn',
    '-map_metadata',
    '-1',
    '-map_chapters',
    '-1',
    '-vf',
    scale + filter,
    ...variableFrameRate,
    ...(maxFrames !== null ? ['-frames:v', String(maxFrames + 1)] : []),
    ...codec,
    '-c:a',
    'aac',
    '-b:a',
    '160k',
    '-ac',
    '2',
    '-movflags',
    '+faststart',
    // what it has written, read back while it runs (the frame limit)
    '-progress',
    'pipe:1',
    '-f',
    'mp4',
    '-y',
    output,
  ];
}

/**
 * Transcodes `input` into `dir`/video.mp4, on the GPU's encoder when one is asked for and takes it, else on the CPU;
 * ImageDecodeError with ffmpeg's words when neither makes it (or it was stopped, or ran past its time).
 */
export async function transcodeVideo(input: string, dir: string, label: string, options: TranscodeOptions): Promise<Transcoded> {
  const asked = options.encoder ?? { hwaccel: 'off' };
  if (asked.hwaccel !== 'off') {
    try {
      return { file: await runTranscode(input, dir, label, options, asked), encoder: ENCODER_NAMES[asked.hwaccel], fallback: null };
    } catch (error) {
      if (options.signal?.aborted || /ran past its|more frames than/.test((error as Error).message)) throw error;
      const fallback = `${ENCODER_NAMES[asked.hwaccel]} could not (${(error as Error).message.replace(`${label}: `, '')})`;
      return { file: await runTranscode(input, dir, label, options, { hwaccel: 'off' }), encoder: ENCODER_NAMES.off, fallback };
    }
  }
  return { file: await runTranscode(input, dir, label, options, asked), encoder: ENCODER_NAMES.off, fallback: null };
}

async function runTranscode(input: string, dir: string, label: string, options: TranscodeOptions, encoder: Encoder): Promise<string> {
  const tools = await requireVideoTools(options.tools);
  const output = path.join(dir, 'video.mp4');
  const { cpuSeconds, timeoutMs, maxFrames } = transcodeLimits(options.durationMs, options.frames);
  const args = localInputsOnly('ffmpeg', transcodeArgs(input, output, options.maxHeight, encoder, tools.variableFrameRate, maxFrames));
  const limited = withLimits(tools.ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', ...args], FFMPEG_MEMORY_BYTES, cpuSeconds);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(limited.command, limited.args, { env: tools.env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) {
      try {
        os.setPriority(child.pid, NICENESS);
      } catch {
        // not allowed here (some containers): it runs at the server's priority
      }
    }
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8192)));
    let why: string | null = null;
    const stop = (reason: string) => {
      why ??= reason;
      child.kill('SIGKILL');
    };
    // -progress: "frame=N" lines, a block every half second and at the end
    const tooManyFrames = `stopped: ffmpeg wrote more frames than the clip has (${options.frames}), repeating frames to fill a jump in its timestamps`;
    let progress = '';
    let written = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (progress + chunk).split('\n');
      progress = lines.pop()!;
      for (const line of lines) if (line.startsWith('frame=')) written = Number(line.slice(6)) || written;
      if (maxFrames !== null && written > maxFrames) stop(tooManyFrames);
    });
    const timer = setTimeout(() => stop(`ffmpeg ran past its ${Math.round(timeoutMs / 1000)} s limit (stuck)`), timeoutMs);
    const onAbort = () => stop('stopped');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ImageDecodeError(`${label}: ffmpeg did not start (${error.message})`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (code === 0 && why === null && maxFrames !== null && written > maxFrames) why = tooManyFrames;
      if (why === null && ranOutOfCpu(signal, false)) why = `ffmpeg ran past its ${cpuSeconds} s of processor time`;
      if (code === 0 && why === null) return resolve();
      if (why !== null) return reject(new ImageDecodeError(`${label}: transcoding ${why}`));
      if (isOutOfMemory(stderr)) return reject(new ImageDecodeError(`${label}: ffmpeg needed more than its ${formatLimit(FFMPEG_MEMORY_BYTES)} memory limit`));
      const detail = stderr
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .slice(-2)
        .join('; ')
        .split(input)
        .join(path.basename(input));
      reject(new ImageDecodeError(`${label}: transcoding failed (${detail || `ffmpeg exit code ${code}`})`));
    });
  });
  return output;
}
