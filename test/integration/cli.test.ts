import { spawn } from 'node:child_process';
import fs, { existsSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, shoeboxBin, spawnServer } from '../helpers/cli.js';
import { assets, tempDir, authFetch } from '../helpers/server.js';
import { described, outsideCalls } from '../helpers/syscall-watch.js';

/** `shoebox <args>` as a child whose output is followed while it runs. */
function startCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [shoeboxBin, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, stderr: () => stderr };
}

/** `count` copies of a corpus photo, each with bytes of its own, in `dir`. */
function photoCopies(dir: string, count: number): void {
  fs.mkdirSync(dir, { recursive: true });
  const photo = fs.readFileSync(path.join(assets, 'albums/nature/notocactus_minimus.jpg'));
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(dir, `copy-${i}.jpg`), Buffer.concat([photo, Buffer.from(`copy ${i}`)]));
}

/** Resolves with `promise`, or rejects when it has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}

describe('shoebox CLI', () => {
  const work = tempDir('shoebox-cli-');
  /** The server the first test starts on its library, killed by a later one. */
  let running: Awaited<ReturnType<typeof spawnServer>> | null = null;
  afterAll(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill('SIGKILL');
      await new Promise((resolve) => running!.child.once('exit', resolve));
    }
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('imports a folder recursively, lists what it skipped, and is safe to run again', async () => {
    const source = path.join(work, 'source');
    fs.mkdirSync(path.join(source, 'nested/deeper'), { recursive: true });
    fs.copyFileSync(path.join(assets, 'albums/nature/silver_fir.jpg'), path.join(source, 'silver_fir.jpg'));
    fs.copyFileSync(path.join(assets, 'albums/nature/wood_anemones.jpg'), path.join(source, 'nested/wood_anemones.jpg'));
    fs.copyFileSync(path.join(assets, 'formats/webp/denali.webp'), path.join(source, 'nested/deeper/denali.webp'));
    // A sidecar beside its photo (name.xmp form) is picked up with it.
    fs.copyFileSync(path.join(assets, 'metadata/gps-position/thompson-springs.jpg'), path.join(source, '2000.jpg'));
    fs.copyFileSync(path.join(assets, 'metadata/xmp/dates/2000.xmp'), path.join(source, '2000.xmp'));
    fs.writeFileSync(path.join(source, 'nested/readme.txt'), 'not a photo');
    fs.writeFileSync(path.join(source, 'broken.jpg'), Buffer.alloc(0));
    // A sidecar whose photo is not there.
    fs.copyFileSync(path.join(assets, 'metadata/xmp/dates/2000.xmp'), path.join(source, 'nested/lonely.jpg.xmp'));
    const dataDir = path.join(work, 'library');

    // --wait runs the pipeline in the CLI's own process (faces and text on onnxruntime in worker threads): watched by
    // strace with every thread and child (egress test), with a home of its own and onnxruntime's telemetry asked for;
    // nothing may leave, nor be written in that home (its telemetry store)
    const home = path.join(work, 'home');
    fs.mkdirSync(home);
    const watch = path.join(work, 'import.strace');
    const first = await runCli(
      ['import', source, '--data', dataDir, '--wait'],
      { HOME: home, XDG_CACHE_HOME: path.join(home, '.cache'), ORT_DISABLE_TELEMETRY: '0' },
      { watch },
    );
    expect(first.code, first.stderr).toBe(0);
    expect(described(outsideCalls(watch))).toEqual([]);
    expect(fs.readdirSync(home, { recursive: true })).toEqual([]);
    expect(first.stderr).toMatch(/Added 4, already in the library 0, skipped 2, sidecars not taken 1\./);
    expect(first.stderr).toMatch(/skipped .*readme\.txt: .*text\/plain/);
    expect(first.stderr).toMatch(/skipped .*broken\.jpg: .*empty/);
    expect(first.stderr).toContain('sidecar not taken nested/lonely.jpg.xmp: XMP sidecar without its photo beside it');
    expect(first.stderr).toMatch(/Processed: 4 completed/);

    const second = await runCli(['import', source, '--data', dataDir]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/Added 0, already in the library 4, skipped 2/);
    // Each file the library has already is named.
    for (const name of ['silver_fir.jpg', '2000.jpg', 'nested/wood_anemones.jpg', 'nested/deeper/denali.webp']) {
      expect(second.stderr).toContain(`already in the library: ${name}`);
    }

    // The library is what the import says: served by a server on the same folder.
    const server = await spawnServer(dataDir, { LOG_LEVEL: 'warn' });
    running = server; // killed by the next test
    const list = await (await authFetch(`${server.url}/api/photos?limit=50`)).json();
    expect(list.total).toBe(4);
    expect(list.items.every((item: { state: string }) => item.state === 'completed')).toBe(true);
    const withSidecar = list.items.find((item: { filename: string }) => item.filename === '2000.jpg');
    const detail = await (await authFetch(`${server.url}/api/photos/${withSidecar.id}`)).json();
    expect(detail.hasSidecar).toBe(true);
    expect(detail.metadata.takenAt).toMatch(/^2000-/);
    expect(detail.sourcePath).toBe(path.join(source, '2000.jpg'));

    // While a server holds the library, import goes through it instead of opening the database twice.
    fs.copyFileSync(path.join(assets, 'albums/nature/tanners_ridge.jpg'), path.join(source, 'tanners_ridge.jpg'));
    const viaServer = await runCli(['import', source, '--data', dataDir, '--wait']);
    expect(viaServer.code, viaServer.stderr).toBe(0);
    expect(viaServer.stderr).toMatch(/into the server at http/);
    expect(viaServer.stderr).toMatch(/Added 1, already in the library 4, skipped 2/);
    const after = await (await authFetch(`${server.url}/api/photos?limit=50`)).json();
    expect(after.total).toBe(5);

    // reprocess asks the running server.
    const reprocess = await runCli(['reprocess', '--step', 'palette', '--all', '--data', dataDir]);
    expect(reprocess.code, reprocess.stderr).toBe(0);
    expect(reprocess.stderr).toMatch(/Queued 5 photos for palette/);
  }, 240_000);

  it('stops with the reason when the server it imports through dies mid-import, instead of hanging', async () => {
    const server = running!;
    const source = path.join(work, 'many');
    photoCopies(source, 300);
    const dataDir = path.join(work, 'library');
    const photosStored = async () => ((await (await authFetch(`${server.url}/api/photos?limit=1`)).json()) as { total: number }).total;
    const before = await photosStored();
    const cli = startCli(['import', source, '--data', dataDir]);
    // once the first of them is stored, the server is killed (as a crash would)
    const deadline = Date.now() + 60_000;
    while ((await photosStored()) === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    server.child.kill('SIGKILL');
    await new Promise((resolve) => server.child.once('exit', resolve));
    const code = await within(cli.exited, 20_000, 'the import ended');
    expect(code).toBe(1);
    expect(cli.stderr()).toMatch(/into the server at http/);
    expect(cli.stderr()).toMatch(
      /the server at http:\/\/127\.0\.0\.1:\d+ closed the connection before its answer was whole|no Shoebox server answers at http:\/\/127\.0\.0\.1:\d+ \(connection refused\)/,
    );
  }, 120_000);

  it('gives up on a server that takes an upload and never answers, and says so', async () => {
    // answers its health, then takes connections and never answers them (nor reads what they send)
    const silent = http.createServer((request, response) => {
      if (request.url === '/api/health') response.end(JSON.stringify({ status: 'ok' }));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const source = path.join(work, 'few');
      photoCopies(source, 2);
      const started = Date.now();
      const cli = startCli(['import', source, '--server', url], { SHOEBOX_SERVER_TIMEOUT_SECONDS: '1' });
      expect(await within(cli.exited, 20_000, 'the import ended')).toBe(1);
      expect(cli.stderr()).toContain(`the server at ${url} stopped answering: nothing came for 1 s (SHOEBOX_SERVER_TIMEOUT_SECONDS)`);
      expect(Date.now() - started).toBeLessThan(15_000);
      // and one that is not there is said to be so
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
      const refused = await runCli(['import', source, '--server', url]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`no Shoebox server answers at ${url} (connection refused): is it running?`);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  }, 60_000);

  it('inspect --json prints the analysis of one file without a library', async () => {
    const file = path.join(assets, 'metadata/gps-position/thompson-springs.jpg');
    const result = await runCli(['inspect', file, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ file, mime: 'image/jpeg', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(json.width).toBeGreaterThan(0);
    expect(json.height).toBeGreaterThan(0);
    expect(json.metadata.latitude).toBeCloseTo(39.115, 4);
    expect(json.metadata.longitude).toBeCloseTo(-108.400968, 4);
    expect(json.metadata.takenAt).toMatch(/^2022-01-10T15:15:44/);
    expect(Object.keys(json.metadata).sort()).toEqual(
      ['takenAt', 'timeZone', 'latitude', 'longitude', 'orientation', 'make', 'model', 'lens', 'rating', 'keywords', 'description'].sort(),
    );
    expect(json.pdq.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(json.pdq.quality).toBeGreaterThan(0);
    expect(json.palette.length).toBeGreaterThan(0);
    expect(json.palette.reduce((sum: number, c: { share: number }) => sum + c.share, 0)).toBeCloseTo(1, 1);
    // the objects step's detector ran (no error for it), each find a COCO class with its box on the upright photo
    expect(json.errors.objects).toBeUndefined();
    // a landscape: at most a doubtful speck (a 3 × 6 px "cow" at 0.3); the objects are asserted on the portrait below
    expect(json.objects.length).toBeLessThanOrEqual(1);
  });

  it('inspect --json finds the objects of a labelled photo with their boxes on the upright photo', async () => {
    // test/corpus/objects-labels.json: the Curies side by side (2 people; the bottle the detector misses)
    const result = await runCli(['inspect', path.join(assets, 'metadata/faces/portrait-orientation-6.jpg'), '--json']);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    const people = json.objects.filter((o: { label: string }) => o.label === 'person');
    expect(people).toHaveLength(2);
    for (const o of json.objects) {
      expect(o).toMatchObject({ label: expect.any(String), confidence: expect.any(Number) });
      expect(o.box.x + o.box.width).toBeLessThanOrEqual(json.width);
      expect(o.box.y + o.box.height).toBeLessThanOrEqual(json.height);
    }
    // upright (the file is stored turned, EXIF orientation 6): the two stand side by side, not one above the other
    const centre = (o: { box: { x: number; y: number; width: number; height: number } }) => [o.box.x + o.box.width / 2, o.box.y + o.box.height / 2];
    const [[ax, ay], [bx, by]] = people.map(centre);
    expect(Math.abs(ax - bx)).toBeGreaterThan(Math.abs(ay - by));
  });

  it('inspect refuses a file that is not an image with a clear message', async () => {
    const text = path.join(work, 'note.jpg');
    fs.writeFileSync(text, 'hello there');
    const result = await runCli(['inspect', text, '--json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not a supported photo or video .*text\/plain/);
  });

  it('explains bad arguments', async () => {
    const result = await runCli(['reprocess', '--step', 'nonsense']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Allowed choices are preprocessing, metadata, hashes, palette/);
    const missing = await runCli(['import', path.join(work, 'does-not-exist')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/is not a folder/);
  });

  it('says which setting to change when the port is taken, and creates nothing', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const dataDir = path.join(work, 'never-created');
      const result = await runCli(['serve', '--data', dataDir, '--port', String(port)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`127.0.0.1:${port} is already in use`);
      expect(result.stderr).toMatch(new RegExp(`--port ${port + 1} or SHOEBOX_PORT=${port + 1}`));
      expect(result.stderr).toContain('Nothing was created.');
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
