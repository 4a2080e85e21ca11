import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/connection.js';
import { requireVideoTools } from '../../src/media/video/tools.js';
import { STEP_NAMES } from '../../src/model/photo-state.js';
import { IMAGE_SERVER_KEY, openaiProvider, startImageServer, type ImageServer } from '../helpers/image-server.js';
import { runCli } from '../helpers/cli.js';
import { testClips } from '../helpers/clips.js';
import { startTestCluster, type TestCluster } from '../helpers/cluster.js';
import { assets, authFetch, json, libraryDatabaseUrl, tempDir, upload, waitForTerminal, type TestServer } from '../helpers/server.js';
import { described, outsideCalls } from '../helpers/syscall-watch.js';

/** A photo's steps in a library without the creation tools: every step but the catalogue. */
const RUN_STEPS = STEP_NAMES.length - 1;

/** A 800×600 JPEG of its own (a seeded mosaic, so that no two are duplicates by checksum or by look). */
async function distinctPhoto(seed: number): Promise<Buffer> {
  let state = (seed + 1) * 2654435761;
  const random = () => ((state = (state * 1103515245 + 12345) >>> 0) >>> 16) & 255;
  const cells = Buffer.from(Array.from({ length: 8 * 6 * 3 }, random));
  return sharp(cells, { raw: { width: 8, height: 6, channels: 3 } })
    .resize(800, 600, { kernel: 'cubic' })
    .jpeg({ quality: 85 })
    .toBuffer();
}

// The `postgres` project only (vitest.config.ts): an API server and separate worker processes sharing a real
// PostgreSQL database, a real Redis and an S3 bucket (s3rver), each with its own data folder: nothing shared on disk.
describe('an API server with separate workers (PostgreSQL + Redis + S3)', () => {
  let cluster: TestCluster;
  let server: TestServer;
  let startWorker: TestCluster['startWorker'];
  let stopWorkers: TestCluster['stopWorkers'];

  beforeAll(async () => {
    cluster = await startTestCluster({ databaseUrl: await libraryDatabaseUrl(tempDir()) });
    ({ server, startWorker, stopWorkers } = cluster);
  });
  afterAll(async () => {
    await cluster?.dispose();
  });

  it('queues uploads without running them, then two workers process every photo once', async () => {
    const files = ['formats/jpg/el_torcal_rocks.jpg', 'metadata/gps-position/thompson-springs.jpg', 'formats/png/density_plot.png'].map((f) => ({
      path: path.join(assets, f),
    }));
    for (const file of files) expect(fs.existsSync(file.path)).toBe(true);
    const { status, body } = await upload(server.url, files);
    expect(status).toBe(201);
    const ids = body.items.map((item: { id: string }) => item.id);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const waiting = await rows<{ n: number }>(server.lib.db, sql`select count(*)::int as n from photo_steps where status = 'done'`);
    expect(waiting[0]!.n).toBe(0); // the API server runs nothing

    // one worker for the model lanes only, one for everything; both watched by strace, every thread and child (egress
    // test: it runs the embedded server the same way), with a home of their own and onnxruntime's telemetry asked for
    const watch = tempDir('shoebox-worker-watch-');
    const home = { HOME: watch, XDG_CACHE_HOME: path.join(watch, '.cache'), ORT_DISABLE_TELEMETRY: '0' };
    await startWorker(['--steps', 'faces,embeddings'], home, { watch: path.join(watch, 'models.strace') });
    await startWorker([], home, { watch: path.join(watch, 'all.strace') });
    const states = await waitForTerminal(server.url, ids);
    expect(Object.values(states).every((state) => state === 'completed' || state === 'completed_with_errors')).toBe(true);
    // the API server's /metrics sees the cluster's workers per lane (BullMQ), and its own database pool
    const metrics = await (await authFetch(`${server.url}/metrics`)).text();
    const sample = (series: string) =>
      Number(
        metrics
          .split('\n')
          .find((line) => line.startsWith(`${series} `))
          ?.split(' ')[1],
      );
    expect(sample('shoebox_queue_workers{queue="faces"}')).toBe(2);
    expect(sample('shoebox_queue_workers{queue="quick"}')).toBe(1);
    expect(sample('shoebox_db_pool_connections{state="total"}')).toBeGreaterThan(0);
    const steps = await rows<{ step: string; status: string; attempts: number }>(
      server.lib.db,
      sql`select step, status, attempts from photo_steps where photo_id = any(${sql.raw(`'{${ids.join(',')}}'::uuid[]`)})`,
    );
    expect(steps.length).toBe(ids.length * RUN_STEPS);
    expect(steps.filter((step) => step.status === 'failed')).toEqual([]);
    for (const step of steps) expect(step.attempts, `${step.step} ran ${step.attempts} times`).toBeLessThanOrEqual(1);
    const detail = await (await authFetch(`${server.url}/api/photos/${ids[0]}/thumbnail`)).arrayBuffer();
    expect(detail.byteLength).toBeGreaterThan(1000);
    await stopWorkers();
    // to their last breath, nothing beyond loopback (PostgreSQL, Redis and the bucket are there) and no name looked
    // up; they did connect to them (the watch was on); nothing written in their home (onnxruntime's telemetry store)
    for (const log of ['models.strace', 'all.strace']) {
      expect(described(outsideCalls(path.join(watch, log))), log).toEqual([]);
      expect(fs.readFileSync(path.join(watch, log), 'utf8')).toMatch(/connect\(.*inet_addr\("127\.0\.0\.1"\)/);
    }
    expect((fs.readdirSync(watch, { recursive: true }) as string[]).sort()).toEqual(['all.strace', 'models.strace']);
    fs.rmSync(watch, { recursive: true, force: true });
  });

  it('loses nothing when a worker is killed mid-step: another takes its steps once their lease runs out', async () => {
    const doomed = await startWorker();
    const files = ['formats/jpg/el_torcal_rocks.jpg', 'formats/jpg/el_torcal_rocks.jpg', 'formats/png/density_plot.png'];
    const { body } = await upload(
      server.url,
      files.map((file, i) => ({
        name: `again-${i}${path.extname(file)}`,
        data: Buffer.concat([fs.readFileSync(path.join(assets, file)), Buffer.from([i])]),
      })),
    );
    const ids = body.items.map((item: { id: string }) => item.id);
    const running = async () =>
      (
        await rows<{ n: number }>(
          server.lib.db,
          sql`select count(*)::int as n from photo_steps where status = 'running' and photo_id = any(${sql.raw(`'{${ids.join(',')}}'::uuid[]`)})`,
        )
      )[0]!.n;
    const deadline = Date.now() + 30_000;
    while ((await running()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await running()).toBeGreaterThan(0);
    doomed.kill('SIGKILL'); // mid-step: its leases stop being renewed, its jobs stay active in Redis
    await startWorker();
    const states = await waitForTerminal(server.url, ids, 90_000);
    expect(Object.values(states).every((state) => state === 'completed' || state === 'completed_with_errors')).toBe(true);
    const left = await rows<{ n: number }>(
      server.lib.db,
      sql`select count(*)::int as n from photo_steps where status in ('pending', 'running') and photo_id = any(${sql.raw(`'{${ids.join(',')}}'::uuid[]`)})`,
    );
    expect(left[0]!.n).toBe(0);
    await stopWorkers();
  }, 120_000);

  it('takes a video through a worker and the object store: its poster, and a playable copy streamed with ranges', async () => {
    const clips = await testClips();
    await startWorker(['--steps', 'transcode']); // a worker for the video lane alone, as a transcoding box would be
    await startWorker();
    const { body } = await upload(server.url, [{ path: clips.hevcMov }]);
    const id = body.items[0].id as string;
    expect((await waitForTerminal(server.url, [id], 90_000))[id]).toBe('completed');
    const clip = (await json(`${server.url}/api/photos/${id}`)).body;
    expect(clip).toMatchObject({ type: 'video', width: 240, height: 320, durationMs: 2000 });
    expect(clip.steps.transcode.status).toBe('done');
    // the copy went to the bucket (no data folder is shared), and comes back in ranges
    const part = await authFetch(`${server.url}/api/photos/${id}/video`, { headers: { range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await part.arrayBuffer()).toString('latin1', 4, 8)).toBe('ftyp');
    expect((await authFetch(`${server.url}/api/photos/${id}/thumbnail`)).status).toBe(200);
    await stopWorkers();
  }, 120_000);

  it("stops a worker's transcode within seconds when the API server trashes its clip, takes the next clip, and runs it again once restored", async () => {
    const { ffmpeg, env } = await requireVideoTools({ ffmpeg: null, ffprobe: null });
    const dir = tempDir('shoebox-cluster-clips-');
    const ff = (args: string[]) => promisify(execFile)(ffmpeg, ['-hide_banner', '-v', 'error', '-y', ...args], { env });
    const h264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '25', '-crf', '40'];
    // 5 minutes of H.264 in Matroska (one second looped): not playable as it is, a minute or so to transcode here
    await ff(['-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25:d=1', ...h264, path.join(dir, 'second.mkv')]);
    await ff(['-stream_loop', '299', '-i', path.join(dir, 'second.mkv'), '-c', 'copy', path.join(dir, 'long.mkv')]);
    await ff(['-f', 'lavfi', '-i', 'testsrc2=s=160x120:r=25:d=1', ...h264, path.join(dir, 'short.mkv')]);
    // a step lease as deployed (renewed every 15 s): the stop does not wait for a renewal
    const worker = await startWorker([], { SHOEBOX_STEP_LEASE_SECONDS: '300' });
    const transcoding = async () => {
      const { stdout } = await promisify(execFile)('ps', ['-eo', 'pid=,args=']);
      // the worker's copy of the clip from the bucket lies in its cache folder, named by its pid
      const line = stdout.split('\n').find((row) => row.includes('ffmpeg') && row.includes('libx264') && row.includes(`-${worker.pid}/`));
      return line ? Number(line.trim().split(/\s+/)[0]) : null;
    };
    const step = async (id: string) =>
      (
        await rows<{ status: string; attempts: number }>(
          server.lib.db,
          sql`select status, attempts from photo_steps where photo_id = ${id}::uuid and step = 'transcode'`,
        )
      )[0]!;
    const long = (await upload(server.url, [{ path: path.join(dir, 'long.mkv') }])).body.items[0].id as string;
    let pid: number | null = null;
    for (const deadline = Date.now() + 60_000; pid === null; await new Promise((r) => setTimeout(r, 100))) {
      if ((await step(long)).status === 'running') pid = await transcoding();
      if (Date.now() > deadline) throw new Error(`the transcode did not start: ${JSON.stringify(await step(long))}`);
    }
    const short = (await upload(server.url, [{ path: path.join(dir, 'short.mkv') }])).body.items[0].id as string;
    for (const deadline = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 100))) {
      const [left] = await rows<{ n: number }>(
        server.lib.db,
        sql`select count(*)::int as n from photo_steps where photo_id = ${short}::uuid and step <> 'transcode' and status in ('pending', 'running')`,
      );
      if (left!.n === 0) break;
      if (Date.now() > deadline) throw new Error('the short clip was not decoded in time');
    }
    expect(await step(short)).toMatchObject({ status: 'pending' }); // behind the long one, in the worker's one video slot
    const trashed = Date.now();
    expect((await json(`${server.url}/api/photos/${long}`, { method: 'DELETE' })).status).toBe(204);
    const alive = (id: number) => {
      try {
        process.kill(id, 0);
        return true;
      } catch {
        return false;
      }
    };
    while (alive(pid)) {
      if (Date.now() - trashed > 2_500) throw new Error("the worker's ffmpeg still runs 2.5 s after its clip was trashed");
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await waitForTerminal(server.url, [short], 30_000))[short]).toBe('completed');
    expect(await step(short)).toMatchObject({ status: 'done' });
    expect(await step(long)).toMatchObject({ status: 'skipped', attempts: 1 }); // not run while in the trash
    expect((await json(`${server.url}/api/trash/restore`, { method: 'POST', json: { ids: [long] } })).body).toEqual({ restored: 1 });
    for (
      const deadline = Date.now() + 30_000;
      !((await step(long)).attempts === 2 && (await transcoding()) !== null);
      await new Promise((r) => setTimeout(r, 100))
    ) {
      if (Date.now() > deadline) throw new Error(`not transcoded again once restored: ${JSON.stringify(await step(long))}`);
    }
    expect((await json(`${server.url}/api/photos/${long}?force=true`, { method: 'DELETE' })).status).toBe(204);
    await stopWorkers();
  }, 180_000);

  it('refuses to start a worker without a shared queue, and a server without a worker and a queue', async () => {
    const worker = await runCli(['worker', '--data', server.dataDir], { REDIS_URL: '' });
    expect(worker.code).not.toBe(0);
    expect(worker.stderr).toMatch(/REDIS_URL/);
    const serve = await runCli(['serve', '--no-worker', '--data', tempDir(), '--port', '0'], { DATABASE_URL: '', REDIS_URL: '' });
    expect(serve.code).not.toBe(0);
    expect(serve.stderr).toMatch(/--no-worker needs REDIS_URL/);
  });

  it('two workers import 200 photos with the API server: each photo processed once', async () => {
    // 200 in the suite; the 1,000 of bench/README.md's figure with SHOEBOX_TEST_CLUSTER_PHOTOS=1000
    const count = Number(process.env.SHOEBOX_TEST_CLUSTER_PHOTOS ?? 200);
    // what is measured is the queue: faces and text, which these mosaics have none of (and which the first test runs on
    // workers), are turned off, as a user may; their steps are still taken from the queue once each, and skipped. Last
    // of its cluster: a worker started with them on would look at these photos' faces and text again
    const off = { SHOEBOX_FACES: 'off', SHOEBOX_OCR_ENGINE: 'off' };
    await startWorker([], off);
    await startWorker([], off);
    const started = Date.now();
    const ids: string[] = [];
    // uploaded in requests of 25 while the workers already process the first ones, as an import does
    for (let first = 0; first < count; first += 25) {
      const files = await Promise.all(
        Array.from({ length: Math.min(25, count - first) }, async (_, i) => ({ name: `import-${first + i}.jpg`, data: await distinctPhoto(first + i) })),
      );
      const { status, body } = await upload(server.url, files);
      expect(status).toBe(201);
      ids.push(...body.items.map((item: { id: string }) => item.id));
    }
    expect(new Set(ids).size).toBe(count);
    const states = await waitForTerminal(server.url, ids, 1_500_000);
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`${count} photos through two workers in ${seconds.toFixed(0)} s (${(count / seconds).toFixed(2)} photos/s)\n`);
    expect(Object.values(states).filter((state) => state !== 'completed')).toEqual([]);
    const steps = await rows<{ status: string; attempts: number; n: number }>(
      server.lib.db,
      sql`select status, attempts, count(*)::int as n from photo_steps where photo_id = any(${sql.raw(`'{${ids.join(',')}}'::uuid[]`)}) group by 1, 2`,
    );
    // every step of every photo ran once (or was skipped, by its own decision or before it ran): none twice, none left
    const once = (row: { status: string; attempts: number }) =>
      (row.status === 'done' && row.attempts === 1) || (row.status === 'skipped' && row.attempts <= 1);
    expect(
      steps.filter((row) => !once(row)),
      JSON.stringify(steps),
    ).toEqual([]);
    expect(steps.reduce((sum, row) => sum + row.n, 0)).toBe(count * RUN_STEPS);
    const [stored] = await rows<{ n: number }>(
      server.lib.db,
      sql`select count(*)::int as n from photos where id = any(${sql.raw(`'{${ids.join(',')}}'::uuid[]`)})`,
    );
    expect(stored!.n).toBe(count);
    await stopWorkers();
  }, 1_800_000);
});

// Generation jobs in a cluster: queued through BullMQ by the API server, run by a worker; a worker killed mid-job
// leaves it to another once its lease has run out, which makes only the images still missing.
describe('generation jobs on separate workers', () => {
  let cluster: TestCluster;
  let images: ImageServer;

  beforeAll(async () => {
    images = await startImageServer();
    const provider = openaiProvider(images, { timeoutMs: 30_000, retryDelayMs: undefined });
    cluster = await startTestCluster({
      databaseUrl: await libraryDatabaseUrl(tempDir()),
      images: { providers: { default: provider }, concurrency: 2, imagesPerDay: 0 },
      creationTools: true,
    });
  });
  afterAll(async () => {
    await cluster?.dispose();
    await images?.close();
  });

  it('runs a job on a worker, and finishes it on another after the first is killed, each image made once', async () => {
    const env = { SHOEBOX_IMAGE_URL: images.openaiUrl, SHOEBOX_IMAGE_API_KEY: IMAGE_SERVER_KEY, SHOEBOX_GENERATION_CONCURRENCY: '2' };
    images.delayMs = 1500;
    const doomed = await cluster.startWorker([], env);
    const started = await authFetch(`${cluster.server.url}/api/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'a lighthouse keeper at dawn', n: 6, size: '256x256', seed: 10 }),
    });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const job = async () =>
      (await (await authFetch(`${cluster.server.url}/api/generate/jobs/${id}`)).json()) as { state: string; made: number; photoIds: string[] };
    for (const deadline = Date.now() + 60_000; (await job()).made < 2 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 100));
    doomed.kill('SIGKILL');
    const madeBefore = (await job()).made;
    expect(madeBefore).toBeGreaterThanOrEqual(2);
    expect(madeBefore).toBeLessThan(6);
    await cluster.startWorker([], env);
    let finished = await job();
    for (const deadline = Date.now() + 90_000; finished.state !== 'completed' && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 200));
      finished = await job();
    }
    expect(finished).toMatchObject({ state: 'completed', made: 6 });
    const photos = await rows<{ index: number }>(
      cluster.server.lib.db,
      sql`select (provenance->>'index')::int as index from photos where generation_job_id = ${id}::uuid order by 1`,
    );
    expect(photos.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
    // each image asked for once, but for those the killed worker was waiting on
    const asked = images.requests.filter((r) => r.prompt === 'a lighthouse keeper at dawn').map((r) => r.seed);
    expect(new Set(asked)).toEqual(new Set([10, 11, 12, 13, 14, 15]));
    expect(asked.length).toBeLessThanOrEqual(6 + 2);
    await waitForTerminal(cluster.server.url, finished.photoIds);
    await cluster.stopWorkers();
  }, 240_000);
});

// Libraries in place in a cluster: the folder mounted at the same path on every machine (here: the same folder), the
// scan a job that one worker takes, watchers on each worker asking for the same job (run once).
describe('libraries in place on separate workers', () => {
  let cluster: TestCluster;
  let root: string;

  beforeAll(async () => {
    root = fs.realpathSync(tempDir('shoebox-cluster-library-'));
    fs.mkdirSync(path.join(root, 'Photos'));
    for (const [from, to] of [
      ['formats/jpg/el_torcal_rocks.jpg', 'rocks.jpg'],
      ['formats/png/density_plot.png', 'plot.png'],
      ['formats/webp/denali.webp', 'denali.webp'],
    ]) {
      fs.copyFileSync(path.join(assets, from!), path.join(root, 'Photos', to!));
    }
    cluster = await startTestCluster({ databaseUrl: await libraryDatabaseUrl(tempDir()), server: { libraryRoots: [root], librarySettleMs: 200 } });
  });
  afterAll(async () => {
    await cluster?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('scans once per cluster, on a worker, and a watcher there sees a new file', async () => {
    const env = { SHOEBOX_LIBRARY_ROOTS: root, SHOEBOX_LIBRARY_SETTLE_MS: '200' };
    await cluster.startWorker([], env);
    await cluster.startWorker([], env);
    const base = cluster.server.url;
    const created = await json(`${base}/api/libraries`, { method: 'POST', json: { name: 'Photos', paths: [path.join(root, 'Photos')] } });
    expect(created.status).toBe(201);
    const library = async () => (await json(`${base}/api/libraries/${created.body.id}`)).body;
    for (const deadline = Date.now() + 60_000; !(await library()).lastScanAt && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 200));
    const scanned = await library();
    // one scan made the three photos (two at once would have met each other's photos as copies)
    expect(scanned.scan).toMatchObject({ new: 3, duplicates: 0 });
    const ids = (await rows<{ id: string }>(cluster.server.lib.db, sql`select id from photos where library_id = ${created.body.id}::uuid`)).map(
      (row) => row.id,
    );
    expect(ids).toHaveLength(3);
    await waitForTerminal(base, ids);
    await new Promise((r) => setTimeout(r, 1000)); // the workers' watchers set up
    fs.copyFileSync(path.join(assets, 'formats/heic/IMG_2682.heic'), path.join(root, 'Photos', 'IMG_2682.heic'));
    for (const deadline = Date.now() + 30_000; (await library()).counts.photos < 4 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 200));
    expect((await library()).counts.photos).toBe(4);
    await cluster.stopWorkers();
  }, 180_000);
});
