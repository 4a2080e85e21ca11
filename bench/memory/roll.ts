// The clips of a mixed camera roll for `npm run bench:memory` (issue 61, item 9): what a phone's roll holds beside
// its photos, made once by ffmpeg in `bench/memory/.work/clips/` (kept between runs): a 1080p H.264 MP4 and a 1080p
// HEVC MOV as phones record them (a keyframe a second, AAC sound, a moving pattern with grain so that the encoders
// and decoders have real work), a 4K HEVC MOV (what the transcode step turns into 1080p), an Apple Live Photo's pair
// and a Google and a Samsung motion photo (test/helpers' makers).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { requireVideoTools } from '../../src/media/video/tools.js';
import { livePhoto } from '../../test/helpers/clips.js';
import { locatedMedia } from '../../test/helpers/located-media.js';

const run = promisify(execFile);

const source = (size: string, seconds: number, grain: boolean) => [
  '-f',
  'lavfi',
  '-i',
  `testsrc2=size=${size}:rate=30:duration=${seconds}${grain ? ',noise=alls=18:allf=t' : ''}`,
  '-f',
  'lavfi',
  '-i',
  `sine=frequency=300:duration=${seconds}`,
];
const h264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '17M', '-g', '30', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest'];
const hevc = (rate: string) => [
  '-c:v',
  'libx265',
  '-preset',
  'ultrafast',
  '-b:v',
  rate,
  '-x265-params',
  'keyint=30:min-keyint=30:log-level=error',
  '-tag:v',
  'hvc1',
];
const CLIPS: { name: string; args: string[] }[] = [
  { name: 'VID_20250601_101500.mp4', args: [...source('1920x1080', 15, true), ...h264] },
  { name: 'IMG_0101.MOV', args: [...source('1920x1080', 12, true), ...hevc('12M'), '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest'] },
  { name: 'IMG_0102.MOV', args: [...source('3840x2160', 10, false), ...hevc('40M'), '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest'] },
];

/** Copies the roll's clips into `into` (made first when missing) and returns their names. */
export async function addClips(work: string, into: string): Promise<string[]> {
  const dir = path.join(work, 'clips');
  fs.mkdirSync(dir, { recursive: true });
  const { ffmpeg } = await requireVideoTools();
  for (const clip of CLIPS) {
    const file = path.join(dir, clip.name);
    if (fs.existsSync(file)) continue;
    await run(ffmpeg, ['-hide_banner', '-v', 'error', '-y', ...clip.args, `${file}.part.${path.extname(file).slice(1)}`]);
    fs.renameSync(`${file}.part.${path.extname(file).slice(1)}`, file);
  }
  const live = await livePhoto('IMG_0200', '5B7C3A1E-4D2F-4E8A-9C1B-2A3D4E5F6A7B');
  const located = await locatedMedia();
  const extra = [live.still, live.mov, located.motionJpeg, located.motionHeic];
  const names = [...CLIPS.map((clip) => clip.name), ...extra.map((file) => path.basename(file))];
  for (const clip of CLIPS) fs.copyFileSync(path.join(dir, clip.name), path.join(into, clip.name));
  for (const file of extra) fs.copyFileSync(file, path.join(into, path.basename(file)));
  return names;
}
