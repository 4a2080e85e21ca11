// Test clips made by ffmpeg (the one Shoebox runs: media/video/tools.ts) from its test sources (lavfi testsrc2 +
// sine): the formats a camera roll holds, with the metadata phones write, and the broken ones a user meets.
import { execFile } from 'node:child_process';
import { writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { reader } from '../../src/media/exiftool-reader.js';
import { requireVideoTools } from '../../src/media/video/tools.js';
import { assets } from './corpus.js';
import { makeTempDir } from './temp.js';

const run = promisify(execFile);

export interface Clips {
  dir: string;
  /** H.264/AAC MP4, 2 s, 320×240, with an iPhone's Keys: a zoned CreationDate and an ISO 6709 position (Lisbon). */
  mp4: string;
  /** HEVC MOV recorded upright on a phone (rotation 90: shown 240×320), 2 s, with a position (Paris, ©xyz). */
  hevcMov: string;
  /** VP9/Opus WebM, 2 s. */
  webm: string;
  /** H.264 in an MPEG transport stream (an AVCHD camera's .MTS), 2 s. */
  mts: string;
  /** An MP4 as a phone records it (its index at the end), cut in its middle: no index, nothing to play. */
  truncated: string;
  /** AAC sound in an MP4, no picture. */
  audioOnly: string;
}

let made: Promise<Clips> | null = null;

/** The clips, made once per test file. */
export function testClips(): Promise<Clips> {
  made ??= makeClips();
  return made;
}

async function makeClips(): Promise<Clips> {
  // the tools found by default, not those the last server of this process was configured with (a test names a missing one)
  const { ffmpeg } = await requireVideoTools({ ffmpeg: null, ffprobe: null });
  const dir = await makeTempDir('shoebox-clips-');
  const source = (size: string) => ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25:duration=2`, '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2'];
  const ff = (args: string[]) => run(ffmpeg, ['-hide_banner', '-v', 'error', '-y', ...args]);
  const clips: Clips = {
    dir,
    mp4: path.join(dir, 'lisbon.mp4'),
    hevcMov: path.join(dir, 'upright.mov'),
    webm: path.join(dir, 'clip.webm'),
    mts: path.join(dir, '00001.mts'),
    truncated: path.join(dir, 'cut.mp4'),
    audioOnly: path.join(dir, 'voice-memo.mp4'),
  };
  await Promise.all([
    ff([
      ...source('320x240'),
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      '-movflags',
      '+faststart+use_metadata_tags',
      '-metadata',
      'creation_time=2024-05-01T08:30:00Z',
      '-metadata',
      'com.apple.quicktime.creationdate=2024-05-01T10:30:00+0200',
      '-metadata',
      'com.apple.quicktime.location.ISO6709=+38.7223-009.1393+010.000/',
      '-metadata',
      'com.apple.quicktime.make=Apple',
      '-metadata',
      'com.apple.quicktime.model=iPhone 15',
      clips.mp4,
    ]),
    // held upright: the phone records it sideways and writes a quarter turn in the track header (written here by
    // ExifTool, as the npm ffmpeg build does not write one)
    ff([
      ...source('320x240'),
      '-c:v',
      'libx265',
      '-preset',
      'ultrafast',
      '-tag:v',
      'hvc1',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      '-metadata',
      'location=+48.8584+002.2945/',
      clips.hevcMov,
    ]).then(() => reader().write(clips.hevcMov, { Rotation: 90 } as never, ['-overwrite_original'])),
    ff([...source('320x240'), '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-c:a', 'libopus', '-shortest', clips.webm]),
    ff([...source('320x240'), '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-f', 'mpegts', clips.mts]),
    ff(['-f', 'lavfi', '-i', 'sine=frequency=300:duration=2', '-c:a', 'aac', clips.audioOnly]),
    ff([...source('320x240'), '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path.join(dir, 'recording.mp4')]),
  ]);
  const whole = await readFile(path.join(dir, 'recording.mp4'));
  await writeFile(clips.truncated, whole.subarray(0, Math.floor(whole.length / 3)));
  return clips;
}

export interface LivePhoto {
  /** The corpus's iPhone HEIC, its maker notes given this content identifier. */
  still: string;
  /** A 2 s HEVC MOV, as an iPhone records a Live Photo's motion, with the same identifier in its QuickTime Keys. */
  mov: string;
}

/**
 * An Apple Live Photo's two files, named as an iPhone names them (IMG_n.HEIC, IMG_n.MOV). ExifTool edits but never adds a
 * maker-note tag, and the corpus HEIC's notes have no content identifier: its ImageUniqueID entry (0x0015, 36 characters
 * and a NUL) is renumbered as ContentIdentifier (0x0011) first, then written with `id`.
 */
export async function livePhoto(name: string, id: string): Promise<LivePhoto> {
  const { ffmpeg } = await requireVideoTools();
  const dir = await makeTempDir('shoebox-live-');
  const still = path.join(dir, `${name}.HEIC`);
  const mov = path.join(dir, `${name}.MOV`);
  const heic = await readFile(path.join(assets, 'formats/heic/IMG_2682.heic'));
  const entry = Buffer.from([0x00, 0x15, 0x00, 0x02, 0x00, 0x00, 0x00, 0x25]);
  const at = heic.indexOf(entry);
  if (at < 0 || heic.indexOf(entry, at + 1) >= 0) throw new Error('the corpus HEIC does not have the one maker-note entry this helper renumbers');
  heic[at + 1] = 0x11;
  await writeFile(still, heic);
  await reader().write(still, { 'Apple:ContentIdentifier': id } as never, ['-overwrite_original']);
  await run(ffmpeg, [
    '-hide_banner',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x240:rate=25:duration=2',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=2',
    '-c:v',
    'libx265',
    '-preset',
    'ultrafast',
    '-tag:v',
    'hvc1',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    mov,
  ]);
  await reader().write(mov, { 'Keys:ContentIdentifier': id } as never, ['-overwrite_original']);
  return { still, mov };
}
