// A clip is looked at beyond its poster: CLIP sees frames spread over it (mean-pooled into its embedding) and the
// face detector looks for people in them too. Clips made by ffmpeg from the test sources and a corpus portrait: what
// happens only late in a clip — a red stretch after a blue one, two faces after the test card — is found, though the
// poster (the clip's most typical frame) does not show it.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFromFolder } from '../../src/ml/registry.js';
import { requireVideoTools } from '../../src/media/video/tools.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';
import { assets, authFetch, json, startTestServer, tempDir, upload, waitForTerminal, type TestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp.js';

const run = promisify(execFile);
let server: TestServer;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const dataDir = tempDir();
  const { clipDir } = await ensureFixtureModels();
  await installFromFolder(dataDir, 'clip-vit-b32', clipDir);
  const { ffmpeg } = await requireVideoTools();
  const dir = await makeTempDir('shoebox-frames-');
  const ff = (args: string[]) => run(ffmpeg, ['-hide_banner', '-v', 'error', '-y', ...args]);
  const h264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '25'];
  // 6 s of blue, then 4 s of red: the poster is blue, frames at 1, 3, 5, 7 and 9 s see red twice
  await ff([
    '-f',
    'lavfi',
    '-i',
    'color=c=0x1a4dd9:s=320x240:r=25:d=6',
    '-f',
    'lavfi',
    '-i',
    'color=c=0xd91a1a:s=320x240:r=25:d=4',
    '-filter_complex',
    '[0:v][1:v]concat=n=2:v=1[v]',
    '-map',
    '[v]',
    ...h264,
    path.join(dir, 'sea-then-fire.mp4'),
  ]);
  // 8 s of the test card, then a person for 2 s: the poster is the card, the frame at 9 s shows the face
  await ff([
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=640x480:r=25:d=8',
    '-loop',
    '1',
    '-t',
    '2',
    '-r',
    '25',
    '-i',
    path.join(assets, 'metadata/faces/portrait.jpg'),
    '-filter_complex',
    '[1:v]scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2,setsar=1[p];[0:v][p]concat=n=2:v=1[v]',
    '-map',
    '[v]',
    ...h264,
    path.join(dir, 'card-then-person.mp4'),
  ]);
  await sharp({ create: { width: 320, height: 240, channels: 3, background: '#1a4dd9' } })
    .jpeg()
    .toFile(path.join(dir, 'blue.jpg'));
  server = await startTestServer({ dataDir });
  const uploaded = await upload(
    server.url,
    ['sea-then-fire.mp4', 'card-then-person.mp4', 'blue.jpg'].map((name) => ({ path: path.join(dir, name) })),
  );
  expect(uploaded.status).toBe(201);
  for (const item of uploaded.body.items as { id: string; filename: string }[]) ids[item.filename] = item.id;
  await waitForTerminal(server.url, Object.values(ids), 120_000);
}, 240_000);

afterAll(async () => server?.dispose());

describe("a clip's frames beyond its poster", () => {
  it('find a clip by what happens late in it', async () => {
    const clip = (await json(`${server.url}/api/photos/${ids['sea-then-fire.mp4']}`)).body;
    expect(clip.steps.embeddings.status).toBe('done');
    // its poster is the blue stretch: what search finds red in comes from its later frames
    const poster = await sharp(Buffer.from(await (await authFetch(`${server.url}/api/photos/${clip.id}/preview`)).arrayBuffer())).stats();
    expect(poster.channels[2]!.mean).toBeGreaterThan(poster.channels[0]!.mean);
    const found = (await json(`${server.url}/api/search?q=red`)).body.items.map((item: { photo: { filename: string } }) => item.photo.filename);
    expect(found[0]).toBe('sea-then-fire.mp4');
    expect(found.indexOf('blue.jpg') === -1 || found.indexOf('blue.jpg') > 0).toBe(true);
    // the blue still is what a blue search finds first; the clip, mostly blue, too
    const blue = (await json(`${server.url}/api/search?q=blue`)).body.items.map((item: { photo: { filename: string } }) => item.photo.filename);
    expect(blue[0]).toBe('blue.jpg');
    expect(blue).toContain('sea-then-fire.mp4');
  });

  it('find the people who appear in a clip after its poster, with a thumbnail cut from their frame', async () => {
    const clip = (await json(`${server.url}/api/photos/${ids['card-then-person.mp4']}`)).body;
    expect(clip.steps.faces.status).toBe('done');
    // both Curies of the portrait, each once (the frame at 9 s; the poster and the other frames show the card)
    expect(clip.faces, JSON.stringify(clip.faces)).toHaveLength(2);
    for (const face of clip.faces as { id: string }[]) {
      const thumbnail = await authFetch(`${server.url}/api/faces/${face.id}/thumbnail`);
      expect(thumbnail.status).toBe(200);
      // cut from the portrait (a black-and-white photograph), not from the coloured test card
      const { channels } = await sharp(Buffer.from(await thumbnail.arrayBuffer())).stats();
      expect(Math.abs(channels[0]!.mean - channels[2]!.mean)).toBeLessThan(12);
    }
  });
});
