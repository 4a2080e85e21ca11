// Which ffmpeg and ffprobe Shoebox runs: the ones a setting names (SHOEBOX_FFMPEG, SHOEBOX_FFPROBE); else the
// system's on PATH when new enough (a distribution's build has the newer codecs and hardware acceleration); else the
// static builds npm installs with `npm ci` (@ffmpeg-installer/*, @ffprobe-installer/*), so that a fresh offline
// machine plays videos too. Found once per process; without a usable pair the video steps are skipped with the reason.
import { execFile } from 'node:child_process';
import { access, chmod, constants, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { formatLimit, isOutOfMemory, ranOutOfCpu, withLimits } from '../child-limits.js';
import { findTool } from '../decoders/tools.js';

export interface VideoTools {
  ffmpeg: string;
  ffprobe: string;
  /** ffmpeg's version as it prints it ("5.1.6-0+deb12u1", "N-47683-g0e8eb07980-static"). */
  version: string;
  source: 'setting' | 'system' | 'npm';
  /** The environment they run in (npm's static builds need theirs: see STATIC_BUILD_ENV). */
  env: NodeJS.ProcessEnv;
  /**
   * The output option that keeps each frame at its own time, never repeating one to fill a gap: `-fps_mode vfr` from
   * ffmpeg 5.1, `-vsync vfr` before it (deprecated since, and to go).
   */
  variableFrameRate: string[];
}

/**
 * The npm builds are statically linked against glibc, whose iconv then loads the system's gconv modules and
 * crashes (ffprobe on any MPEG-TS file: the demuxer converts the service name's charset). Without a gconv path
 * iconv fails cleanly and ffmpeg keeps the name as it is.
 */
const STATIC_BUILD_ENV = { GCONV_PATH: '/nonexistent/shoebox-no-gconv' };

export interface VideoToolSettings {
  ffmpeg: string | null;
  ffprobe: string | null;
}

/** The oldest system ffmpeg preferred to the npm build (itself a 4.1-era static build). */
const MIN_SYSTEM_MAJOR = 4;
const MIN_SYSTEM_MINOR = 4;

let configured: VideoToolSettings = { ffmpeg: null, ffprobe: null };
const found = new Map<string, Promise<VideoTools | { problem: string }>>();

/** Names the binaries this process uses where no caller passes its own settings (decoding an uploaded file). */
export function configureVideoTools(settings: VideoToolSettings): void {
  configured = { ffmpeg: settings.ffmpeg, ffprobe: settings.ffprobe };
}

/** The tools to run for these settings (the process's by default), or why there are none; looked up once each. */
export function videoTools(settings: VideoToolSettings = configured): Promise<VideoTools | { problem: string }> {
  const key = `${settings.ffmpeg ?? ''}\0${settings.ffprobe ?? ''}`;
  let tools = found.get(key);
  if (!tools) found.set(key, (tools = locate(settings)));
  return tools;
}

/** The tools, or throws VideoToolsMissingError with the reason. */
export async function requireVideoTools(settings?: VideoToolSettings): Promise<VideoTools> {
  const tools = await videoTools(settings);
  if ('problem' in tools) throw new VideoToolsMissingError(tools.problem);
  return tools;
}

/** No usable ffmpeg: the step that needs it is skipped, with this reason, rather than failed. */
export class VideoToolsMissingError extends Error {
  override name = 'VideoToolsMissingError';
}

async function locate(settings: VideoToolSettings): Promise<VideoTools | { problem: string }> {
  if (settings.ffmpeg || settings.ffprobe) {
    if (!settings.ffmpeg || !settings.ffprobe) return { problem: 'set both SHOEBOX_FFMPEG and SHOEBOX_FFPROBE (one was set)' };
    const version = await versionOf(settings.ffmpeg);
    if (version === null) return { problem: `SHOEBOX_FFMPEG (${settings.ffmpeg}) does not run` };
    if ((await versionOf(settings.ffprobe)) === null) return { problem: `SHOEBOX_FFPROBE (${settings.ffprobe}) does not run` };
    const variableFrameRate = await variableFrameRateArgs(settings.ffmpeg, process.env);
    return { ffmpeg: settings.ffmpeg, ffprobe: settings.ffprobe, version, source: 'setting', env: process.env, variableFrameRate };
  }
  const [systemFfmpeg, systemFfprobe] = await Promise.all([findTool('ffmpeg'), findTool('ffprobe')]);
  if (systemFfmpeg && systemFfprobe) {
    const version = await versionOf(systemFfmpeg);
    if (version !== null && newEnough(version)) {
      const variableFrameRate = await variableFrameRateArgs(systemFfmpeg, process.env);
      return { ffmpeg: systemFfmpeg, ffprobe: systemFfprobe, version, source: 'system', env: process.env, variableFrameRate };
    }
  }
  const npm = npmBinaries();
  if (npm) {
    await Promise.all([makeRunnable(npm.ffmpeg), makeRunnable(npm.ffprobe)]);
    const env = { ...process.env, ...STATIC_BUILD_ENV };
    const version = await versionOf(npm.ffmpeg, env);
    if (version !== null && (await versionOf(npm.ffprobe, env)) !== null)
      return { ...npm, version, source: 'npm', env, variableFrameRate: await variableFrameRateArgs(npm.ffmpeg, env) };
    // installed but not runnable here: say which, not "none" (installed by another user without a+x, another CPU)
    return {
      problem: `npm's ffmpeg/ffprobe (${path.dirname(npm.ffmpeg)}, ${path.dirname(npm.ffprobe)}) do not run for this user: make them executable (chmod a+rx), or install Debian's ffmpeg`,
    };
  }
  return { problem: "no ffmpeg: install Debian's ffmpeg package, or run npm ci (it installs one), or set SHOEBOX_FFMPEG and SHOEBOX_FFPROBE" };
}

/** A release "4.4.2", "5.1.6-0+deb12u1", "n6.1"; a git build ("N-47683-g…") is taken as new. */
export function newEnough(version: string): boolean {
  if (/^N-/.test(version)) return true;
  const match = /^n?(\d+)\.(\d+)/.exec(version);
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > MIN_SYSTEM_MAJOR || (major === MIN_SYSTEM_MAJOR && minor >= MIN_SYSTEM_MINOR);
}

function npmBinaries(): { ffmpeg: string; ffprobe: string } | null {
  const require = createRequire(import.meta.url);
  try {
    const ffmpeg = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    const ffprobe = (require('@ffprobe-installer/ffprobe') as { path: string }).path;
    return { ffmpeg, ffprobe };
  } catch {
    return null; // no build for this platform, or the packages are missing
  }
}

/**
 * Gives an npm-installed binary its run bits when it has none for this user: the package sets them in its install
 * script (`chmod u+x`), which npm 11 does not run (`allowScripts`), so a fresh clone's ffprobe came unpacked without
 * them and every video was skipped. Where this user may not change the file, it stays as it is (the caller says so).
 */
export async function makeRunnable(file: string): Promise<void> {
  try {
    await access(file, constants.X_OK);
  } catch {
    try {
      await chmod(file, (await stat(file)).mode | 0o555);
    } catch {
      // not this user's file, or a read-only install: locate() reports that it does not run
    }
  }
}

/** The version a binary prints (`-version`'s first line), or null when it does not run. */
function versionOf(binary: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(binary, ['-version'], { env, timeout: 10_000, encoding: 'utf8' }, (error, stdout) => {
      if (error) return resolve(null);
      const match = /^ff(?:mpeg|probe) version (\S+)/m.exec(stdout);
      resolve(match ? match[1]! : 'unknown');
    });
  });
}

/** `-fps_mode vfr` where the binary lists the option (5.1 on), else `-vsync vfr` (which every older one takes). */
function variableFrameRateArgs(ffmpeg: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  return new Promise((resolve) => {
    execFile(ffmpeg, ['-hide_banner', '-h', 'long'], { env, timeout: 10_000, encoding: 'utf8', maxBuffer: 4 * 1024 * 1024 }, (_error, stdout) => {
      resolve(/^-fps_mode\b/m.test(stdout ?? '') ? ['-fps_mode', 'vfr'] : ['-vsync', 'vfr']);
    });
  });
}

/**
 * The demuxers a clip may be read with: the containers the door admits as video (media/detect.ts: MP4, MOV, M4V,
 * 3GP → mov; MKV, WebM → matroska; AVI; MTS/M2TS → mpegts). None of them follows a reference to another file: an HLS
 * playlist, a concat list, a DASH manifest or an image sequence is refused whatever its name, even by a build (npm's
 * 2018 one, a distribution's) that would follow it.
 */
export const CLIP_DEMUXERS = 'mov,matroska,avi,mpegts';

/**
 * The arguments with every input read from a local file by a camera container's demuxer only: a clip cannot make
 * ffmpeg fetch anything (a URL) nor read another local file (an HLS or concat reference to another user's original),
 * which the egress promise needs as much as safety does. ffprobe takes them once for its one input, ffmpeg before
 * each `-i`.
 */
export function localInputsOnly(which: 'ffmpeg' | 'ffprobe', args: readonly string[]): string[] {
  const only = ['-protocol_whitelist', 'file', '-format_whitelist', CLIP_DEMUXERS];
  if (which === 'ffprobe') return [...only, ...args];
  // idempotent: an input already restricted is left as it is
  return args.flatMap((arg, i) => (arg === '-i' && args[i - 2] !== '-format_whitelist' ? [...only, arg] : [arg]));
}

/**
 * Threads a decode of one clip may use. ffmpeg's default is one per core, and each frame thread of a 4K HEVC decoder
 * holds frames of its own (a poster's decode took 132 MB with 1 thread, 304 MB with 8), while the quick lane already
 * decodes as many clips at once as it has slots: the posters get 2, a transcode (one at a time, in the background) 4.
 */
export const POSTER_DECODE_THREADS = 2;
export const TRANSCODE_THREADS = 4;

/** The arguments with each input decoded by at most `threads` threads (`-threads` before an `-i` is the decoder's). Pure. */
export function decodeThreads(args: readonly string[], threads: number): string[] {
  return args.flatMap((arg, i) => (arg === '-i' && args[i - 2] !== '-threads' ? ['-threads', String(threads), arg] : [arg]));
}

/** What a run of ffmpeg or ffprobe printed. */
export interface ToolOutput {
  stdout: string;
  stderr: string;
}

/**
 * Runs ffmpeg or ffprobe on `file` under a memory and a time limit; rejects with an Error that names the file by
 * its base name and gives the tool's last words (or the limit it met).
 */
export function runVideoTool(
  tools: VideoTools,
  which: 'ffmpeg' | 'ffprobe',
  args: string[],
  options: {
    file: string;
    timeoutMs: number;
    memoryBytes: number;
    /** Processor seconds, all threads together (the clock then only ends one that is stuck). */
    cpuSeconds?: number;
    /** Kills it (its item trashed, deleted or reset). */
    signal?: AbortSignal;
  },
): Promise<ToolOutput> {
  // ffmpeg would read keys from a terminal; ffprobe has no such option
  const limited = withLimits(
    tools[which],
    ['-hide_banner', ...(which === 'ffmpeg' ? ['-nostdin'] : []), ...localInputsOnly(which, args)],
    options.memoryBytes,
    options.cpuSeconds,
  );
  return new Promise((resolve, reject) => {
    // SIGKILL at the limit: ffmpeg catches SIGTERM and ends as if it had failed by itself
    const run = {
      env: tools.env,
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL' as const,
      maxBuffer: 16 * 1024 * 1024,
      encoding: 'utf8' as const,
      signal: options.signal,
    };
    const child = execFile(limited.command, limited.args, run, (error, stdout, stderr) => {
      if (!error) return resolve({ stdout, stderr });
      if (options.signal?.aborted) return reject(new Error(`${which} stopped (${(options.signal.reason as Error | undefined)?.message ?? 'asked to'})`));
      if (isOutOfMemory(stderr)) return reject(new Error(`${which} needed more than its ${formatLimit(options.memoryBytes)} memory limit`));
      if (options.cpuSeconds !== undefined && ranOutOfCpu(error.signal ?? null, error.killed ?? false))
        return reject(new Error(`${which} ran past its ${options.cpuSeconds} s of processor time`));
      if (error.killed) return reject(new Error(`${which} ran past its ${Math.round(options.timeoutMs / 1000)} s limit`));
      if (error.signal) return reject(new Error(`${which} crashed (${error.signal})`));
      const last = stderr
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .slice(-2)
        .join('; ');
      reject(new Error((last || `${which} exit code ${String(error.code)}`).split(options.file).join(path.basename(options.file))));
    });
    // a clip's poster and frames take only the CPU the photos' work leaves (measured: bench/README.md, video backlog)
    if (which === 'ffmpeg' && child.pid !== undefined) {
      try {
        os.setPriority(child.pid, ANALYSIS_NICENESS);
      } catch {
        // not allowed here (some containers): it runs at the server's priority
      }
    }
  });
}

/** Niceness of ffmpeg taking a clip's poster and frames: the lowest (5 left a photo import 1.27× slower beside clips). */
const ANALYSIS_NICENESS = 19;
