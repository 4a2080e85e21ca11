// Videos as items of the library: clips made by ffmpeg in the set-up (test/helpers/clips.ts) uploaded through the
// API, probed and given a poster by the pipeline, played with byte ranges as they are or once transcoded, filtered
// by type; broken clips fail with the reason, and without ffmpeg a video's steps are skipped, never failed.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reader } from '../../src/media/exiftool-reader.js';
import { requireVideoTools } from '../../src/media/video/tools.js';
import { runCli } from '../helpers/cli.js';
import { testClips, type Clips } from '../helpers/clips.js';
import { assets, authFetch, json, startTestServer, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

let server: TestServer;
let clips: Clips;
const ids: Record<string, string> = {};
const types: Record<string, string> = {};

beforeAll(async () => {
  clips = await testClips();
  // transcoded copies at most 160 lines: quick here, and the limit is seen to apply
  server = await startTestServer(withoutFacesOrText({ video: { maxHeight: 160 } }));
  const files = [
    clips.mp4,
    clips.hevcMov,
    clips.webm,
    clips.mts,
    clips.truncated,
    clips.audioOnly,
    path.join(assets, 'albums/nature/prairie_falcon.jpg'),
    path.join(assets, 'formats/motionphoto/samsung-one-ui-6.heic'),
  ];
  const uploaded = await upload(
    server.url,
    files.map((file) => ({ path: file })),
  );
  expect(uploaded.status).toBe(201);
  for (const item of uploaded.body.items as { id: string; filename: string; type: string }[]) {
    ids[item.filename] = item.id;
    types[item.filename] = item.type;
  }
  await waitForTerminal(server.url, Object.values(ids), 120_000);
}, 180_000);

afterAll(async () => server?.dispose());

const photo = async (name: string) => (await json(`${server.url}/api/photos/${ids[name]}`)).body;

describe('videos in the library', () => {
  it('takes an iPhone-style MP4: a video item with its length, streams, zoned date, place and a poster', async () => {
    // the upload said what each file is, by its content
    expect(types).toMatchObject({
      'lisbon.mp4': 'video',
      'upright.mov': 'video',
      '00001.mts': 'video',
      'prairie_falcon.jpg': 'photo',
      'samsung-one-ui-6.heic': 'photo',
    });
    const clip = await photo('lisbon.mp4');
    expect(clip).toMatchObject({ type: 'video', mime: 'video/mp4', state: 'completed', width: 320, height: 240, durationMs: 2000 });
    expect(clip.video).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac', fps: 25, rotation: 0 });
    // the Keys CreationDate with its zone, not the movie header's UTC CreateDate
    expect(clip.metadata).toMatchObject({ takenAt: '2024-05-01T10:30:00.000+02:00', make: 'Apple', model: 'iPhone 15' });
    expect(clip.metadata.latitude).toBeCloseTo(38.7223, 3);
    expect(clip.metadata.longitude).toBeCloseTo(-9.1393, 3);
    expect(clip.steps.preprocessing.status).toBe('done');
    expect(clip.steps.transcode).toMatchObject({ status: 'skipped', error: expect.stringMatching(/plays in browsers as it is/) });
    // its poster is a frame of the clip (testsrc2 is colourful): a real image, not black
    const thumbnail = await authFetch(`${server.url}/api/photos/${ids['lisbon.mp4']}/thumbnail`);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    const stats = await sharp(Buffer.from(await thumbnail.arrayBuffer())).stats();
    expect(Math.max(...stats.channels.map((channel) => channel.mean))).toBeGreaterThan(40);
    // a photo is a photo: its transcode step was skipped from the start
    const still = await photo('prairie_falcon.jpg');
    expect(still).toMatchObject({ type: 'photo', durationMs: null, video: null });
    expect(still).toMatchObject({ motion: false });
    expect(still.steps.transcode).toMatchObject({ status: 'skipped', error: 'no video to make playable' });
  });

  it('plays the original as it is, with byte ranges, when browsers play it', async () => {
    const original = await readFile(clips.mp4);
    const whole = await authFetch(`${server.url}/api/photos/${ids['lisbon.mp4']}/video`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer()).equals(original)).toBe(true);
    const part = await authFetch(`${server.url}/api/photos/${ids['lisbon.mp4']}/video`, { headers: { range: 'bytes=1000-1999' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${original.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(original.subarray(1000, 2000))).toBe(true);
    const webm = await authFetch(`${server.url}/api/photos/${ids['clip.webm']}/video`);
    expect(webm.headers.get('content-type')).toBe('video/webm');
    await webm.arrayBuffer();
    // a photo has no video; its original stays at /original
    const still = await json(`${server.url}/api/photos/${ids['prairie_falcon.jpg']}/video`);
    expect(still.status).toBe(404);
    expect(still.body.message).toMatch(/is a still photo, not a video or a motion photo/);
  });

  it('transcodes what browsers cannot play (an upright HEVC MOV, an MTS) to a fast-start H.264 MP4 within the size set', async () => {
    const upright = await photo('upright.mov');
    // recorded sideways with a quarter turn: shown upright
    expect(upright).toMatchObject({ type: 'video', width: 240, height: 320 });
    expect(upright.video).toMatchObject({ videoCodec: 'hevc', rotation: 90, width: 320, height: 240 });
    expect(upright.steps.transcode).toMatchObject({ status: 'done', error: expect.stringMatching(/HEVC/) });
    const { ffprobe, env } = await requireVideoTools();
    for (const [name, size] of [
      ['upright.mov', { width: 160, height: 214 }],
      ['00001.mts', { width: 214, height: 160 }],
    ] as const) {
      const steps = (await photo(name)).steps;
      expect(steps.transcode, JSON.stringify(steps)).toMatchObject({ status: 'done' });
      const response = await authFetch(`${server.url}/api/photos/${ids[name]}/video`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('video/mp4');
      const bytes = Buffer.from(await response.arrayBuffer());
      // faststart: the index before the media, so that it plays while it downloads
      expect(bytes.indexOf('moov')).toBeGreaterThan(0);
      expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
      const file = path.join(clips.dir, `served-${name}.mp4`);
      await import('node:fs/promises').then((fs) => fs.writeFile(file, bytes));
      const probed = JSON.parse((await promisify(execFile)(ffprobe, ['-v', 'error', '-print_format', 'json', '-show_streams', file], { env })).stdout) as {
        streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
      };
      expect(probed.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', ...size });
      expect(probed.streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
      // no position carried into the copy (the MOV's original has one)
      if (name === 'upright.mov') expect((await readFile(clips.hevcMov)).includes('+48.8584+002.2945')).toBe(true);
      expect(bytes.includes('+48.8584+002.2945')).toBe(false);
    }
  });

  it('fails a clip cut short and a sound file with the reason, and keeps serving', async () => {
    const cut = await photo('cut.mp4');
    expect(cut.state).toBe('failed');
    expect(cut.steps.preprocessing).toMatchObject({ status: 'failed', error: expect.stringMatching(/cut\.mp4.*not a readable video.*moov atom not found/) });
    expect(cut.steps.preprocessing.error).not.toContain(server.dataDir);
    const sound = await photo('voice-memo.mp4');
    expect(sound.steps.preprocessing).toMatchObject({ status: 'failed', error: expect.stringMatching(/no video stream \(audio only\)/) });
    const notYet = await json(`${server.url}/api/photos/${ids['voice-memo.mp4']}/video`);
    expect(notYet.status).toBe(409);
    expect((await authFetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('says which ffmpeg it uses on the health endpoint, to a signed-in caller only', async () => {
    const signedIn = (await json(`${server.url}/api/health`)).body;
    expect(signedIn.video).toMatchObject({ ffmpeg: expect.any(String), source: expect.stringMatching(/^(system|npm)$/), problem: null });
    expect((await json(`${server.url}/api/health`, { anonymous: true })).body.video).toBeUndefined();
  });

  it('filters by type: the list, the timeline and search', async () => {
    const videos = (await json(`${server.url}/api/photos?type=video&limit=100`)).body;
    expect(videos.items.every((item: { type: string }) => item.type === 'video')).toBe(true);
    expect(videos.total).toBe(6);
    const photos = (await json(`${server.url}/api/photos?type=photo`)).body;
    expect(photos.items.map((item: { filename: string }) => item.filename).sort()).toEqual(['prairie_falcon.jpg', 'samsung-one-ui-6.heic']);
    const timeline = (await json(`${server.url}/api/timeline?type=video`)).body;
    expect(timeline.buckets.reduce((sum: number, bucket: { count: number }) => sum + bucket.count, 0)).toBe(6);
    const found = (await json(`${server.url}/api/search?q=lisbon&type=video`)).body;
    expect(found.items.map((item: { photo: { filename: string } }) => item.photo.filename)).toContain('lisbon.mp4');
    expect((await json(`${server.url}/api/search?q=lisbon&type=photo`)).body.items).toEqual([]);
    expect((await json(`${server.url}/api/photos?type=clip`)).status).toBe(400);
  });
});

describe('share links', () => {
  it("plays a link's videos to its visitors: without the clip's position unless the link keeps it, from byte ranges", async () => {
    const made = await json(`${server.url}/api/shared-links`, {
      method: 'POST',
      json: { photoIds: [ids['lisbon.mp4'], ids['upright.mov'], ids['samsung-one-ui-6.heic'], ids['prairie_falcon.jpg']] },
    });
    expect(made.status).toBe(201);
    const visit = (route: string, headers: Record<string, string> = {}) => fetch(`${server.url}/api/s/${made.body.token}${route}`, { headers });
    const listed = ((await (await visit('/photos')).json()) as { items: { id: string; type: string; durationMs: number | null; motion: boolean }[] }).items;
    expect(listed.find((item) => item.id === ids['lisbon.mp4'])).toMatchObject({ type: 'video', durationMs: 2000, motion: false });
    expect(listed.find((item) => item.id === ids['samsung-one-ui-6.heic'])).toMatchObject({ type: 'photo', motion: true });
    // an iPhone-style MP4 plays as it is stored, but its copy for visitors says nothing of where it was taken
    const original = await readFile(clips.mp4);
    const served = await visit(`/photos/${ids['lisbon.mp4']}/video`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('video/mp4');
    const copy = Buffer.from(await served.arrayBuffer());
    expect(copy.equals(original)).toBe(false);
    const file = path.join(clips.dir, 'visitor-copy.mp4');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, copy));
    const tags = await reader().readRaw(file, { readArgs: ['-a', '-G1', '-ee', '-s'] });
    expect(Object.keys(tags).filter((tag) => /GPS|Location/i.test(tag))).toEqual([]);
    expect(Object.keys(tags).some((tag) => /Duration/.test(tag))).toBe(true); // still a clip
    const part = await visit(`/photos/${ids['lisbon.mp4']}/video`, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(copy.subarray(100, 200))).toBe(true);
    // the transcoded copy carries no metadata: served as it is; a motion photo's video plays too; a still has none
    const transcoded = await authFetch(`${server.url}/api/photos/${ids['upright.mov']}/video`);
    expect(Buffer.from(await (await visit(`/photos/${ids['upright.mov']}/video`)).arrayBuffer()).equals(Buffer.from(await transcoded.arrayBuffer()))).toBe(
      true,
    );
    expect((await visit(`/photos/${ids['samsung-one-ui-6.heic']}/video`)).status).toBe(200);
    expect((await visit(`/photos/${ids['prairie_falcon.jpg']}/video`)).status).toBe(404);
    // a video of the library that is not in the link is a 404, like any photo
    expect((await visit(`/photos/${ids['00001.mts']}/video`)).status).toBe(404);
    // a link that keeps metadata plays the clip as it is stored
    const keeping = await json(`${server.url}/api/shared-links`, { method: 'POST', json: { photoIds: [ids['lisbon.mp4']], keepMetadata: true } });
    const kept = await fetch(`${server.url}/api/s/${keeping.body.token}/photos/${ids['lisbon.mp4']}/video`);
    expect(Buffer.from(await kept.arrayBuffer()).equals(original)).toBe(true);
  });
});

describe('duplicates', () => {
  it("does not take a still of a clip's own frame for a copy of the clip", async () => {
    const poster = Buffer.from(await (await authFetch(`${server.url}/api/photos/${ids['lisbon.mp4']}/preview`)).arrayBuffer());
    const uploaded = await upload(server.url, [{ name: 'frame-of-lisbon.jpg', data: poster }]);
    const still = uploaded.body.items[0].id as string;
    await waitForTerminal(server.url, [still]);
    const frame = (await json(`${server.url}/api/photos/${still}`)).body;
    expect(frame.steps.duplicates.status).toBe('done');
    expect(frame.duplicateGroup).toBeNull();
    await json(`${server.url}/api/photos/${still}`, { method: 'DELETE' });
  });

  it('finds a smaller copy of a clip (sent through a messenger: re-encoded, scaled down) as a near-copy of it', async () => {
    const { ffmpeg, env } = await requireVideoTools();
    const copy = path.join(clips.dir, 'lisbon-whatsapp.mp4');
    await promisify(execFile)(
      ffmpeg,
      ['-v', 'error', '-y', '-i', clips.mp4, '-vf', 'scale=240:-2', '-c:v', 'libx264', '-crf', '32', '-c:a', 'aac', '-b:a', '48k', copy],
      { env },
    );
    const uploaded = await upload(server.url, [{ path: copy }]);
    const id = uploaded.body.items[0].id as string;
    await waitForTerminal(server.url, [id]);
    const [small, original] = await Promise.all([json(`${server.url}/api/photos/${id}`), json(`${server.url}/api/photos/${ids['lisbon.mp4']}`)]);
    expect(small.body.steps.duplicates.status).toBe('done');
    // the test clips are all the same test card, re-encoded: the copy is a near-copy of one of them by its middle
    // frame's hash (their posters, each the most typical frame of its clip, are ~90 bits apart)
    expect(small.body.duplicateGroup).toMatchObject({ kind: 'duplicate', tier: 'pdq' });
    expect(original.body.duplicateGroup).toMatchObject({ kind: 'duplicate', tier: 'pdq' });
    await json(`${server.url}/api/photos/${id}?force=true`, { method: 'DELETE' });
  });
});

describe('motion photos', () => {
  it('keeps a Samsung motion photo a still whose file stays as it was, and plays its video from a transcoded copy', async () => {
    const name = 'samsung-one-ui-6.heic';
    const item = await photo(name);
    expect(item).toMatchObject({ type: 'photo', motion: true, state: 'completed' });
    expect(item.steps.metadata.status).toBe('done');
    // its video is HEVC: made playable
    expect(item.steps.transcode).toMatchObject({ status: 'done', error: expect.stringMatching(/HEVC/) });
    const original = await readFile(path.join(assets, 'formats/motionphoto', name));
    const served = Buffer.from(await (await authFetch(`${server.url}/api/photos/${ids[name]}/original`)).arrayBuffer());
    expect(served.equals(original)).toBe(true);
    const response = await authFetch(`${server.url}/api/photos/${ids[name]}/video`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    const file = path.join(clips.dir, 'served-motion.mp4');
    await import('node:fs/promises').then(async (fs) => fs.writeFile(file, Buffer.from(await response.arrayBuffer())));
    const { ffprobe, env } = await requireVideoTools();
    const probed = JSON.parse(
      (await promisify(execFile)(ffprobe, ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file], { env })).stdout,
    ) as {
      streams: { codec_type: string; codec_name: string; width: number; height: number }[];
      format: { duration: string };
    };
    // 1440×1080 HEVC held upright in the file: H.264 with its short side at most 160 here, upright
    expect(probed.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 160, height: 214 });
    expect(Number(probed.format.duration)).toBeGreaterThan(2.5);
  });
});

describe('the CLI', () => {
  it('inspects a clip: its length, streams, zoned date and poster hash', async () => {
    const result = await runCli(['inspect', clips.mp4, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const inspected = JSON.parse(result.stdout);
    expect(inspected).toMatchObject({ mime: 'video/mp4', type: 'video', width: 320, height: 240, durationMs: 2000, motionBytes: null, errors: {} });
    expect(inspected.video).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac', fps: 25 });
    expect(inspected.metadata.takenAt).toBe('2024-05-01T10:30:00.000+02:00');
    expect(inspected.pdq.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('without ffmpeg', () => {
  it("skips a video's steps with the reason, and the item is complete", async () => {
    const bare = await startTestServer(withoutFacesOrText({ video: { ffmpeg: '/nonexistent/ffmpeg', ffprobe: '/nonexistent/ffprobe' } }));
    try {
      const uploaded = await upload(bare.url, [{ path: clips.mp4 }]);
      const id = uploaded.body.items[0].id as string;
      await waitForTerminal(bare.url, [id]);
      const clip = (await json(`${bare.url}/api/photos/${id}`)).body;
      expect(clip).toMatchObject({ type: 'video', state: 'completed' });
      expect(clip.steps.preprocessing).toMatchObject({
        status: 'skipped',
        error: expect.stringMatching(/SHOEBOX_FFMPEG \(\/nonexistent\/ffmpeg\) does not run/),
      });
      expect(clip.steps.metadata.status).toBe('done'); // ExifTool still reads its date and place
      expect((await json(`${bare.url}/api/health`)).body.video).toMatchObject({ ffmpeg: null, problem: expect.stringMatching(/SHOEBOX_FFMPEG/) });
    } finally {
      await bare.dispose();
    }
  });
});

describe('a GPU encoder asked for', () => {
  it('transcodes on the CPU when the GPU encoder cannot, and says so on the step and the health endpoint', async () => {
    const asking = await startTestServer(withoutFacesOrText({ video: { maxHeight: 160, hwaccel: 'nvenc' } }));
    try {
      expect((await json(`${asking.url}/api/health`)).body.video).toMatchObject({ hwaccel: 'nvenc', problem: null });
      const uploaded = await upload(asking.url, [{ path: clips.hevcMov }]);
      const id = uploaded.body.items[0].id as string;
      await waitForTerminal(asking.url, [id]);
      const clip = (await json(`${asking.url}/api/photos/${id}`)).body;
      // no NVIDIA GPU here (nor, in npm's static build, the encoder): libx264 made it, and the step says why
      expect(clip.steps.transcode).toMatchObject({
        status: 'done',
        error: expect.stringMatching(/^transcoded to H\.264 MP4 on the CPU, as h264_nvenc could not \(.+\): HEVC/),
      });
      const played = await authFetch(`${asking.url}/api/photos/${id}/video`);
      expect(played.status).toBe(200);
      expect(played.headers.get('content-type')).toBe('video/mp4');
    } finally {
      await asking.dispose();
    }
  });
});
