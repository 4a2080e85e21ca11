// A clip browsers cannot play (HEVC, ProRes, AVI, MKV/MTS containers, very high bit rates) made playable: H.264
// and AAC in an MP4 whose index comes first (`faststart`: it plays before it is all downloaded), at most
// `maxHeight` lines (its short side: a portrait clip keeps its height), at a lower CPU priority than the server.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { formatLimit, isOutOfMemory, withMemoryLimit } from '../child-limits.js';
import { ImageDecodeError } from '../decoders/common.js';
import { FFMPEG_MEMORY_BYTES } from './poster.js';
import { localInputsOnly, requireVideoTools, type VideoToolSettings } from './tools.js';

export interface TranscodeOptions {
  /** Short side at most this many pixels (1080: full HD). */
  maxHeight: number;
  /** The clip's length, for the time limit (6× its length, at least 2 minutes). */
  durationMs: number | null;
  /** Stops ffmpeg (the step was cancelled, the process is stopping). */
  signal?: AbortSignal;
  /** Which ffmpeg (the process's by default). */
  tools?: VideoToolSettings;
}

/** Niceness of the transcoder: the server, uploads and the quick lane go first. */
const NICENESS = 10;

/** The ffmpeg arguments (pure: the tests read them). */
export function transcodeArgs(input: string, output: string, maxHeight: number): string[] {
  const short = String(maxHeight);
  // after ffmpeg turned the frames upright: the short side scaled down to maxHeight, never up; even sizes for H.264
  const scale = `scale='if(gt(iw,ih),-2,min(iw,${short}))':'if(gt(iw,ih),min(ih,${short}),-2)'`;
  return [
    '-i', input,
    // no metadata carried over (a position, a serial number): the copy is for playing; the original keeps them
    '-map', '0:v:0', '-map', '0:a:0?', '-sn', '-dn', '-map_metadata', '-1', '-map_chapters', '-1',
    '-vf', scale,
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-profile:v', 'high', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '160k', '-ac', '2',
    '-movflags', '+faststart',
    '-f', 'mp4', '-y', output,
  ];
}

/** Transcodes `input` into `dir`/video.mp4 and returns its path; ImageDecodeError with ffmpeg's words on failure. */
export async function transcodeVideo(input: string, dir: string, label: string, options: TranscodeOptions): Promise<string> {
  const tools = await requireVideoTools(options.tools);
  const output = path.join(dir, 'video.mp4');
  const args = localInputsOnly('ffmpeg', transcodeArgs(input, output, options.maxHeight));
  const limited = withMemoryLimit(tools.ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', ...args], FFMPEG_MEMORY_BYTES);
  const timeoutMs = Math.max(120_000, 6 * (options.durationMs ?? 0));
  await new Promise<void>((resolve, reject) => {
    const child = spawn(limited.command, limited.args, { env: tools.env, stdio: ['ignore', 'ignore', 'pipe'] });
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
    const timer = setTimeout(() => stop(`ffmpeg ran past its ${Math.round(timeoutMs / 1000)} s limit`), timeoutMs);
    const onAbort = () => stop('stopped');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ImageDecodeError(`${label}: ffmpeg did not start (${error.message})`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (code === 0 && why === null) return resolve();
      if (why !== null) return reject(new ImageDecodeError(`${label}: transcoding ${why}`));
      if (isOutOfMemory(stderr)) return reject(new ImageDecodeError(`${label}: ffmpeg needed more than its ${formatLimit(FFMPEG_MEMORY_BYTES)} memory limit`));
      const detail = stderr.split('\n').map((line) => line.trim()).filter(Boolean).slice(-2).join('; ').split(input).join(path.basename(input));
      reject(new ImageDecodeError(`${label}: transcoding failed (${detail || `ffmpeg exit code ${code}`})`));
    });
  });
  return output;
}
