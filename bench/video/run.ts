// Video analysis and transcoding cost (issue 33), each as a ratio to ffmpeg decoding the same file alone
// (`ffmpeg -i FILE -f null -`, measured in the same run: this shared machine's speed moves by ±30 %).
// Clips are made once by ffmpeg in `bench/video/.work/` (ignored by git), phone-like in size and bit rate:
//   phone 1080p   30 s, 1920×1080 at 30 fps, H.264 High at ~17 Mbit/s + AAC, a keyframe a second (an iPhone's
//                 default), plays as it is
//   4K HEVC       10 s, 3840×2160 at 30 fps, HEVC at ~40 Mbit/s + AAC, a keyframe a second: transcoded to 1080p
// (a moving test pattern with film grain, so that the encoders have real work, not flat colour).
// For each: analysis = probe + typical-frame poster + the photo renditions (decodeVideo, as the pipeline runs it);
// transcode = the transcode step's ffmpeg run, with its peak resident memory (VmHWM, polled).
// Usage: npm run bench:video [-- --runs 3]
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { arg } from '../args.js';
import { repoRoot } from '../search/generate.js';
import { decodeVideo } from '../../src/media/video/decode-video.js';
import { requireVideoTools, type VideoTools } from '../../src/media/video/tools.js';
import { transcodeArgs } from '../../src/media/video/transcode.js';

const RUNS = Number(arg('runs') ?? 3);
const work = path.join(repoRoot, 'bench/video/.work');
const run = promisify(execFile);

interface Clip {
  name: string;
  file: string;
  make: string[];
}

const grainy = (size: string, seconds: number) => ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30:duration=${seconds},noise=alls=18:allf=t`];
const sound = (seconds: number) => ['-f', 'lavfi', '-i', `sine=frequency=300:duration=${seconds}`];
const CLIPS: Clip[] = [
  {
    name: 'phone 1080p H.264, 30 s',
    file: path.join(work, 'phone-1080p-gop30.mp4'),
    make: [
      ...grainy('1920x1080', 30),
      ...sound(30),
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-b:v',
      '17M',
      '-g',
      '30',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
    ],
  },
  {
    name: '4K HEVC, 10 s',
    file: path.join(work, '4k-hevc-gop30.mov'),
    make: [
      ...grainy('3840x2160', 10),
      ...sound(10),
      '-c:v',
      'libx265',
      '-preset',
      'ultrafast',
      '-b:v',
      '40M',
      '-x265-params',
      'keyint=30:min-keyint=30',
      '-tag:v',
      'hvc1',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
    ],
  },
];

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Runs ffmpeg with `args` and answers its wall time and peak resident memory (VmHWM from /proc, polled). */
function timed(tools: VideoTools, args: string[]): Promise<{ ms: number; peakBytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(tools.ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', ...args], { env: tools.env, stdio: ['ignore', 'ignore', 'inherit'] });
    let peak = 0;
    const poll = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
      } catch {
        // gone between two polls
      }
    }, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0) return reject(new Error(`ffmpeg ${args.join(' ')} exited ${code}`));
      resolve({ ms: performance.now() - started, peakBytes: peak });
    });
  });
}

async function main() {
  const tools = await requireVideoTools();
  mkdirSync(work, { recursive: true });
  process.stdout.write(`ffmpeg ${tools.version} (${tools.source}); ${RUNS} runs each, medians\n`);
  for (const clip of CLIPS) {
    if (!existsSync(clip.file)) {
      process.stdout.write(`making ${clip.name}…\n`);
      await run(tools.ffmpeg, ['-hide_banner', '-v', 'error', '-y', ...clip.make, clip.file], { env: tools.env, maxBuffer: 1 << 24 });
    }
    const reference: number[] = [];
    const analysis: number[] = [];
    const transcode: number[] = [];
    let peak = 0;
    for (let i = 0; i < RUNS; i++) {
      reference.push((await timed(tools, ['-i', clip.file, '-f', 'null', '-'])).ms);
      const started = performance.now();
      await decodeVideo(clip.file, clip.name, { thumbnail: 250, preview: 1440 });
      analysis.push(performance.now() - started);
      const out = await timed(tools, transcodeArgs(clip.file, path.join(work, 'out.mp4'), 1080));
      transcode.push(out.ms);
      peak = Math.max(peak, out.peakBytes);
    }
    const ref = median(reference);
    process.stdout.write(
      `${clip.name}: decode alone ${seconds(ref)} s; analysis ${seconds(median(analysis))} s (${(median(analysis) / ref).toFixed(2)}× the decode); ` +
        `transcode to 1080p H.264 ${seconds(median(transcode))} s (${(median(transcode) / ref).toFixed(2)}×), peak memory ${(peak / 1e6).toFixed(0)} MB\n`,
    );
  }
}

await main();
