// A photo import beside a backlog of videos (issue 33): the time for `shoebox import --wait` of phone photos into a
// fresh server, alone, and right after a folder of 4K HEVC clips was imported (their posters, frames and transcodes
// still to do), as a ratio of the two measured in the same run. The clips wait in the `video` lane (one at a time,
// niced); their posters are in the quick lane with the photos.
// Photos: 12 MP (4000×3000) q90 JPEGs made from the corpus's photos; clips: 10 s of 4K HEVC at ~40 Mbit/s (as
// bench/video/run.ts makes them). Made once in bench/video/.work/ (ignored by git).
// Usage: npm run bench:video-backlog [-- --photos 16 --clips 4]
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { arg } from '../args.js';
import { repoRoot } from '../search/generate.js';
import { requireVideoTools } from '../../src/media/video/tools.js';
import { assets } from '../../test/helpers/corpus.js';

const PHOTOS = Number(arg('photos') ?? 16);
const CLIPS = Number(arg('clips') ?? 4);
const work = path.join(repoRoot, 'bench/video/.work');
const bin = path.join(repoRoot, 'bin/shoebox.js');
const run = promisify(execFile);

async function makePhotos(dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const bases = ['nature', 'text'].flatMap((folder) =>
    fs.readdirSync(path.join(assets, 'albums', folder)).map((name) => path.join(assets, 'albums', folder, name)),
  );
  for (let i = 0; i < PHOTOS; i++) {
    const file = path.join(dir, `IMG_${String(i).padStart(4, '0')}.jpg`);
    if (fs.existsSync(file)) continue;
    // each its own bytes: the base photo, a slight tint that differs per copy
    await sharp(bases[i % bases.length]!)
      .resize(4000, 3000, { fit: 'cover' })
      .modulate({ brightness: 1 + (i % 7) / 100 })
      .jpeg({ quality: 90 })
      .toFile(file);
  }
}

async function makeClips(dir: string): Promise<void> {
  const { ffmpeg, env } = await requireVideoTools();
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < CLIPS; i++) {
    const file = path.join(dir, `IMG_${String(9000 + i)}.MOV`);
    if (fs.existsSync(file)) continue;
    await run(
      ffmpeg,
      [
        '-hide_banner',
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        `testsrc2=size=3840x2160:rate=30:duration=10,noise=alls=18:allf=t,hue=h=${i * 40}`,
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=300:duration=10',
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
        file,
      ],
      { env, maxBuffer: 1 << 24 },
    );
  }
}

/** `shoebox serve` on a fresh data folder; stop() ends it and removes the folder. */
async function startServer(): Promise<{ dataDir: string; stop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-backlog-'));
  const child = spawn(process.execPath, [bin, 'serve', '--data', dataDir, '--port', '0'], {
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stderr!.on('data', (chunk) => {
      output += chunk;
      if (/running at http/.test(output)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
  return {
    dataDir,
    stop: async () => {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function importInto(dir: string, dataDir: string, wait: boolean): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'import', dir, '--data', dataDir, ...(wait ? ['--wait'] : [])], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`import exited ${code}`))));
  });
}

async function main() {
  const photos = path.join(work, 'backlog-photos');
  const clips = path.join(work, 'backlog-clips');
  process.stdout.write(`making ${PHOTOS} 12 MP photos and ${CLIPS} 10 s 4K HEVC clips (once)…\n`);
  await makePhotos(photos);
  await makeClips(clips);

  const alone = await startServer();
  const aloneSeconds = await importInto(photos, alone.dataDir, true);
  await alone.stop();

  const beside = await startServer();
  const queueSeconds = await importInto(clips, beside.dataDir, false);
  const besideSeconds = await importInto(photos, beside.dataDir, true);
  await beside.stop();

  process.stdout.write(
    `${PHOTOS} photos imported and analysed: alone ${aloneSeconds.toFixed(1)} s (${(PHOTOS / aloneSeconds).toFixed(2)} photos/s); ` +
      `right after ${CLIPS} 4K HEVC clips were queued (${queueSeconds.toFixed(1)} s to upload them) ${besideSeconds.toFixed(1)} s ` +
      `(${(PHOTOS / besideSeconds).toFixed(2)} photos/s): ${(besideSeconds / aloneSeconds).toFixed(2)}× the time alone\n`,
  );
}

await main();
