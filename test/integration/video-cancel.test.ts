// A transcode is stopped, not waited for: deleting the clip kills its ffmpeg at once, and a server that stops while
// one runs stops within seconds and transcodes the clip again at its next start (the step is neither failed nor lost).
// The clip is a long Motion-JPEG AVI (quick to make, slow to transcode: not playable in browsers as it is).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireVideoTools } from '../../src/media/video/tools.js';
import { json, startTestServer, tempDir, upload, type TestServer, withoutFacesOrText } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp.js';

const run = promisify(execFile);
let clip: string;
let server: TestServer | null = null;

beforeAll(async () => {
  const { ffmpeg } = await requireVideoTools();
  clip = path.join(await makeTempDir('shoebox-long-'), 'camcorder.avi');
  await run(ffmpeg, ['-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25:d=900', '-c:v', 'mjpeg', '-q:v', '8', clip]);
}, 120_000);

afterAll(async () => server?.dispose());

/** Waits until the clip's transcode step runs, and answers the id and the sha256 its ffmpeg's command line names. */
async function transcoding(url: string): Promise<{ id: string; sha256: string }> {
  const uploaded = await upload(url, [{ path: clip }]);
  const { id } = uploaded.body.items[0] as { id: string };
  for (const deadline = Date.now() + 60_000; ; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const photo = (await json(`${url}/api/photos/${id}`)).body;
    if (photo.steps.transcode.status === 'running' && (await ffmpegOn(photo.sha256))) return { id, sha256: photo.sha256 };
    expect(photo.steps.transcode.status).not.toMatch(/done|failed|skipped/);
    if (Date.now() > deadline) throw new Error(`the transcode did not start: ${JSON.stringify(photo.steps)}`);
  }
}

/** Whether an ffmpeg runs on the file with this checksum (the stored original is named by it). */
async function ffmpegOn(sha256: string): Promise<boolean> {
  const { stdout } = await run('ps', ['-eo', 'args']);
  return stdout.split('\n').some((line) => line.includes('ffmpeg') && line.includes(sha256) && line.includes('libx264'));
}

describe('stopping a transcode', () => {
  it('kills ffmpeg at once when the clip is deleted', async () => {
    server = await startTestServer(withoutFacesOrText());
    const { id, sha256 } = await transcoding(server.url);
    const started = Date.now();
    expect((await json(`${server.url}/api/photos/${id}?force=true`, { method: 'DELETE' })).status).toBe(204);
    while (await ffmpegOn(sha256)) {
      if (Date.now() - started > 5_000) throw new Error('ffmpeg still runs 5 s after its clip was deleted');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await json(`${server.url}/api/health`)).status).toBe(200);
    await server.dispose();
    server = null;
  }, 120_000);

  it('stops within seconds with the server, and transcodes again at the next start', async () => {
    const dataDir = tempDir();
    const first = await startTestServer(withoutFacesOrText({ dataDir }));
    const { id, sha256 } = await transcoding(first.url);
    const started = Date.now();
    await first.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await ffmpegOn(sha256)).toBe(false);
    server = await startTestServer(withoutFacesOrText({ dataDir }));
    for (const deadline = Date.now() + 60_000; ; await new Promise((resolve) => setTimeout(resolve, 100))) {
      const step = (await json(`${server.url}/api/photos/${id}`)).body.steps.transcode;
      expect(step.status).not.toBe('failed');
      if (step.status === 'running' && step.attempts === 2 && (await ffmpegOn(sha256))) break;
      if (Date.now() > deadline) throw new Error(`not transcoded again: ${JSON.stringify(step)}`);
    }
  }, 180_000);
});
