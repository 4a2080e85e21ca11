// Memory limits for the programs Shoebox starts (ExifTool's perl, djxl, vips). Node cannot set a child's resource
// limits, so each one is started through `sh -c 'ulimit -d N; exec tool …'`: the shell sets RLIMIT_DATA and
// replaces itself with the tool (same process, same parent). RLIMIT_DATA (not RLIMIT_AS) because it counts the
// memory a program writes to, not the address space threads and libraries reserve: a multi-threaded decoder stays
// well under it in normal use. A program over its limit fails to allocate and ends ("Out of memory!"), and the
// step says which limit it met. ffmpeg is also limited in processor time (RLIMIT_CPU, `ulimit -t`): it runs at the
// lowest priority, and a limit on the clock ran out while a busy machine gave it no processor.

import { LIMIT_INPUT_PIXELS } from './pixel-limit.js';

const MiB = 1024 * 1024;

/**
 * Memory for each ExifTool process. It uses 20–70 MB reading a photo; 1 GiB leaves room for big RAW previews and
 * stops a file crafted to make it inflate or build hundreds of megabytes (a PNG text bomb took it to 2 GB).
 */
export const EXIFTOOL_MEMORY_BYTES = 1024 * MiB;

/**
 * Memory for a command-line decoder (djxl, vips) decoding an image of `pixels` pixels (the largest allowed when
 * the header did not say): 512 MiB plus 24 bytes a pixel (16-bit RGBA out, and the decoder's own buffers).
 */
export function decoderMemoryBytes(pixels?: number | null): number {
  const count = pixels !== undefined && pixels !== null && Number.isFinite(pixels) && pixels > 0 ? pixels : LIMIT_INPUT_PIXELS;
  return 512 * MiB + 24 * Math.min(count, LIMIT_INPUT_PIXELS);
}

/**
 * The command and arguments that run `command args…` with at most `bytes` of data memory (Unix; sh is POSIX) and,
 * given `cpuSeconds`, at most that much processor time (RLIMIT_CPU, all its threads together: the kernel ends it).
 * Processor time, unlike time on the clock, does not run out while the machine is busy with other work.
 */
export function withLimits(command: string, args: readonly string[], bytes: number, cpuSeconds?: number): { command: string; args: string[] } {
  const kib = Math.max(1, Math.ceil(bytes / 1024));
  const cpu = cpuSeconds !== undefined ? ` && ulimit -t ${Math.max(1, Math.ceil(cpuSeconds))}` : '';
  // $0 is the tool, "$@" its arguments: nothing is parsed by the shell.
  return { command: '/bin/sh', args: ['-c', `ulimit -d ${kib}${cpu} && exec "$0" "$@"`, command, ...args] };
}

/** A run under a processor-time limit is taken as stuck when the clock reaches this many times its time. */
const STUCK_AFTER_TIMES = 10;

/**
 * The limits of a run given `ms` of processor time for each of its `threads`: processor seconds, all threads together,
 * and the clock at 10× the time, which ends only a run that is stuck (waiting for a processor is not).
 */
export function timeLimits(ms: number, threads: number): { cpuSeconds: number; timeoutMs: number } {
  return { cpuSeconds: Math.ceil(ms / 1000) * threads, timeoutMs: ms * STUCK_AFTER_TIMES };
}

/**
 * Whether a child under a processor-time limit ended because it used it up: the kernel kills it (SIGKILL: the soft
 * and hard limits are one, since ffmpeg would take the SIGXCPU warning as a plain stop) when Shoebox did not (`killed`).
 * The system's out-of-memory killer sends the same signal; under RLIMIT_DATA a child fails to allocate long before.
 */
export function ranOutOfCpu(signal: NodeJS.Signals | null, killed: boolean): boolean {
  return signal === 'SIGKILL' && !killed;
}

/** Whether a program's error output says it ran out of memory (perl: "Out of memory!"; C: std::bad_alloc…). */
export function isOutOfMemory(text: string): boolean {
  return /out of memory|bad_alloc|cannot allocate memory|memory allocation failed/i.test(text);
}

/** "1 GB" for a limit in bytes, for messages. */
export function formatLimit(bytes: number): string {
  return bytes >= 1024 * MiB ? `${+(bytes / (1024 * MiB)).toFixed(1)} GB` : `${Math.round(bytes / MiB)} MB`;
}
