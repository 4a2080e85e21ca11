// Bad input against a real server over real HTTP: every case answers 4xx with a message (never 5xx), and nothing
// is lost — photos stored before a request failed or was cut off are analysed, no original is left without its
// row, no photo stays pending; the server keeps serving.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeZip } from '../helpers/zip.js';
import {
  assets,
  json,
  repoRoot,
  startTestServer,
  tempDir,
  upload,
  waitForTerminal,
  type TestServer,
  authFetch,
  rememberServerKey,
  withoutFacesOrText,
} from '../helpers/server.js';

const BOUNDARY = '----shoebox-bad-input';
const jpeg = (name: string) => readFileSync(path.join(assets, 'albums/nature', name));

/** One multipart part: a file (bytes) or a field (text). */
function part(name: string, filename: string | null, content: Buffer | string): Buffer {
  const disposition = filename === null ? `form-data; name="${name}"` : `form-data; name="${name}"; filename="${filename}"`;
  const type = filename === null ? '' : 'Content-Type: application/octet-stream\r\n';
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`, 'binary'),
    Buffer.from(content),
    Buffer.from('\r\n'),
  ]);
}
const end = () => Buffer.from(`--${BOUNDARY}--\r\n`);

async function post(url: string, body: Buffer, contentType = `multipart/form-data; boundary=${BOUNDARY}`) {
  const response = await authFetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Sends the start of a request and then breaks the connection, as a client that dies mid-upload. */
async function cutOff(url: string, apiKey: string, head: Buffer, declaredLength: number): Promise<void> {
  const { hostname, port } = new URL(url);
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(
        `POST /api/photos HTTP/1.1\r\nHost: ${hostname}:${port}\r\nx-api-key: ${apiKey}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
          `Content-Length: ${declaredLength}\r\n\r\n`,
      );
      socket.write(head, () => setTimeout(() => (socket.destroy(), resolve()), 300));
    });
    socket.on('error', reject);
  });
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('bad input', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
  });

  afterAll(async () => {
    await server?.dispose();
  });

  /** Every photo listed, and every original on disk has its row. */
  async function library() {
    const list = (await json(`${server.url}/api/photos?limit=500`)).body.items as { id: string; filename: string; state: string }[];
    const originals = readdirSync(path.join(server.dataDir, 'originals'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
    return { list, originals };
  }

  it('takes 3 photos and refuses 1,000 empty parts in one request (past @fastify/multipart’s own 1,000 parts)', async () => {
    const body = Buffer.concat([
      part('file', 'a1.jpg', jpeg('silver_fir.jpg')),
      part('file', 'a2.jpg', jpeg('tanners_ridge.jpg')),
      part('file', 'a3.jpg', jpeg('wood_anemones.jpg')),
      ...Array.from({ length: 1000 }, (_, i) => part('file', `empty-${i}.jpg`, '')),
      end(),
    ]);
    const response = await post(`${server.url}/api/photos`, body);
    expect(response.status).toBe(201);
    expect(response.body.items).toHaveLength(1003);
    expect(response.body.items.filter((item: { id?: string }) => item.id)).toHaveLength(3);
    expect(response.body.items[3]).toMatchObject({ statusCode: 415, error: expect.stringContaining('empty file') });
    const ids = response.body.items.filter((item: { id?: string }) => item.id).map((item: { id: string }) => item.id);
    expect(Object.values(await waitForTerminal(server.url, ids))).toEqual(['completed', 'completed', 'completed']);
  });

  it('answers 413 past 10,000 files, and analyses the photos it had stored', async () => {
    const body = Buffer.concat([
      part('file', 'b1.jpg', jpeg('polemonium_reptans.jpg')),
      part('file', 'b2.jpg', jpeg('el_torcal_rocks.jpg')),
      ...Array.from({ length: 10_001 }, (_, i) => part('file', `e${i}.jpg`, '')),
      end(),
    ]);
    const response = await post(`${server.url}/api/photos`, body);
    expect(response.status).toBe(413);
    expect(response.body.message).toMatch(/more than 10000 files in one request.*2 photos received before that were kept/);
    const kept = response.body.items.filter((item: { id?: string }) => item.id).map((item: { id: string }) => item.id);
    expect(kept).toHaveLength(2);
    expect(Object.values(await waitForTerminal(server.url, kept))).toEqual(['completed', 'completed']);
  });

  it('analyses the photos a client sent whole before it was cut off, and keeps no half file', async () => {
    const before = await library();
    const whole = [part('file', 'c1.jpg', jpeg('notocactus_minimus.jpg')), part('file', 'c2.jpg', jpeg('cyclamen_persicum.jpg'))];
    const third = part('file', 'c3.jpg', jpeg('orychophragmus_violaceus.jpg'));
    const head = Buffer.concat([...whole, third.subarray(0, third.length / 2)]);
    await cutOff(server.url, server.apiKey, head, head.length + 500_000);
    const after = await until(library, (l) => l.list.length === before.list.length + 2 && l.list.every((p) => ['completed', 'partial'].includes(p.state)));
    expect(after.list.map((p) => p.filename)).toEqual(expect.arrayContaining(['c1.jpg', 'c2.jpg']));
    expect(after.list.map((p) => p.filename)).not.toContain('c3.jpg');
    expect(after.originals).toBe(after.list.length);
    expect(readdirSync(path.join(server.dataDir, 'tmp'))).toEqual([]);
  });

  it('analyses the photo of a photo + sidecar request cut off during the sidecar', async () => {
    const before = await library();
    const sidecar = part('file', 'd1.jpg.xmp', `<x:xmpmeta xmlns:x="adobe:ns:meta/">${' '.repeat(200_000)}</x:xmpmeta>`);
    const head = Buffer.concat([part('file', 'd1.jpg', jpeg('prairie_falcon.jpg')), sidecar.subarray(0, 50_000)]);
    await cutOff(server.url, server.apiKey, head, head.length + 300_000);
    const after = await until(library, (l) => l.list.some((p) => p.filename === 'd1.jpg' && p.state === 'completed'));
    const photo = after.list.find((p) => p.filename === 'd1.jpg')!;
    expect(photo.state).toBe('completed');
    expect((await json(`${server.url}/api/photos/${photo.id}`)).body.hasSidecar).toBe(false);
    expect(after.list.length).toBe(before.list.length + 1);
    expect(readdirSync(path.join(server.dataDir, 'tmp'))).toEqual([]);
  });

  it('refuses a raw image body with 415 and says what to send', async () => {
    const response = await post(`${server.url}/api/photos`, jpeg('silver_fir.jpg'), 'image/jpeg');
    expect(response.status).toBe(415);
    expect(response.body.message).toMatch(/image\/jpeg is not accepted here: send multipart\/form-data/);
  });

  it('refuses NUL characters in the query, the JSON body and the path with 400, naming where', async () => {
    const query = await json(`${server.url}/api/photos?camera=a%00b`);
    expect(query.status).toBe(400);
    expect(query.body.message).toBe('querystring.camera: text must not contain NUL characters (\\u0000)');
    expect((await json(`${server.url}/api/search?q=x%00y`)).status).toBe(400);
    const body = await json(`${server.url}/api/albums`, { method: 'POST', json: { name: 'a\u0000b' } });
    expect(body.status).toBe(400);
    expect(body.body.message).toMatch(/^body\.name: text must not contain NUL/);
    const nested = await json(`${server.url}/api/categories`, { method: 'POST', json: { name: 'ok', tags: ['fine', 'bad\u0000'] } });
    expect(nested).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^body\.tags\[1\]/) } });
    expect((await json(`${server.url}/api/people/%00`)).status).toBe(400);
  });

  it('takes a file whose name holds a NUL or control characters, under a clean name, with its row', async () => {
    const photo = readFileSync(path.join(assets, 'metadata/rating/mongolels.jpg'));
    const response = await post(`${server.url}/api/photos`, Buffer.concat([part('file', 'bad\u0000na\u001bme.jpg', photo), end()]));
    expect(response.status).toBe(201);
    expect(response.body.items[0].filename).toBe('badname.jpg');
    const { list, originals } = await library();
    expect(list.map((p) => p.filename)).toContain('badname.jpg');
    expect(originals).toBe(list.length);
  });

  it('refuses dates outside years 1–9999 with 400 instead of passing them to the database', async () => {
    for (const url of [
      '/api/photos?from=0000-01-01',
      '/api/photos?to=%2B275760-09-13',
      '/api/timeline?from=-000100-01-01',
      '/api/search?q=x&to=%2B020000-01-01',
    ]) {
      const response = await json(`${server.url}${url}`);
      expect(response.status, url).toBe(400);
      expect(response.body.message, url).toMatch(/must be a date from 0001-01-01 to 9999-12-31/);
    }
    expect((await json(`${server.url}/api/photos?from=0001-01-01&to=9999-12-31`)).status).toBe(200);
  });

  it("refuses a zip archive with 415, pointing to Import with its source's command (a Google Takeout or an iCloud export dropped on Upload)", async () => {
    const photo = readFileSync(path.join(assets, 'metadata/gps-position/thompson-springs.jpg'));
    const refusal = async (name: string, entries: { name: string; data: Buffer }[]) =>
      (await post(`${server.url}/api/photos`, Buffer.concat([part('file', name, await makeZip(entries)), end()]))).body.items[0];
    expect(await refusal('takeout-001.zip', [{ name: 'Takeout/Google Photos/Photos from 2020/IMG.jpg', data: photo }])).toMatchObject({
      statusCode: 415,
      error:
        'takeout-001.zip: a zip archive, not a photo or video: a Google Takeout is brought in by Import (More → Import, or shoebox import --from google-takeout)',
    });
    // before (issue 61): every archive was told `--from google-takeout`, an iCloud export's parts too
    const icloud = 'iCloud Photos Part 1 of 2.zip';
    expect(await refusal(icloud, [{ name: 'iCloud Photos Part 1 of 2/Photos/IMG_0001.jpg', data: photo }])).toMatchObject({
      statusCode: 415,
      error: `${icloud}: a zip archive, not a photo or video: an iCloud Photos export is brought in by Import (More → Import, or shoebox import --from icloud)`,
    });
    // renamed: what it holds says
    const details = { name: 'Photos/Photo Details.csv', data: Buffer.from('imgName,favorite\nIMG_0001.jpg,no\n') };
    expect((await refusal('mine.zip', [{ name: 'Photos/IMG_0001.jpg', data: photo }, details])).error).toMatch(/shoebox import --from icloud\)$/);
    expect((await refusal('other.zip', [{ name: 'IMG_0001.jpg', data: photo }])).error).toMatch(/--from google-takeout or icloud\)$/);
  });

  it('refuses an XMP sidecar over 4 MB on its item, and takes its photo', async () => {
    const huge = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><!-- ${'x'.repeat(5 * 1024 * 1024)} --></x:xmpmeta>`;
    const response = await post(
      `${server.url}/api/photos`,
      Buffer.concat([
        part('file', 'e1.jpg', readFileSync(path.join(assets, 'metadata/gps-position/thompson-springs.jpg'))),
        part('file', 'e1.jpg.xmp', huge),
        end(),
      ]),
    );
    expect([200, 201]).toContain(response.status);
    expect(response.body.items[1]).toMatchObject({ filename: 'e1.jpg.xmp', statusCode: 413, error: 'e1.jpg.xmp: XMP sidecar is larger than 4 MB, not read' });
    // the photo's own steps write their files through the same folder: none of the sidecar's, nor theirs, once done
    await waitForTerminal(server.url, [response.body.items[0].id]);
    expect(readdirSync(path.join(server.dataDir, 'tmp'))).toEqual([]);
  });

  it('keeps serving (on the same kept-alive connections), and leaves no photo pending', async () => {
    expect((await json(`${server.url}/api/health`)).status).toBe(200);
    const { list } = await library();
    const stuck = await until(
      async () => (await library()).list.filter((p) => !['completed', 'partial', 'failed'].includes(p.state)),
      (photos) => photos.length === 0,
      40_000,
    );
    expect(stuck).toEqual([]);
    expect(list.length).toBeGreaterThan(0);
  });
});

describe('ExifTool processes', () => {
  it('end with the server even when it is killed with SIGKILL', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/shoebox.js'), 'serve', '--data', dataDir, '--port', '0'], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      const read = (chunk: Buffer) => {
        output += chunk;
        const match = /running at (http:\/\/\S+)/.exec(output);
        if (match) {
          rememberServerKey(match[1]!, dataDir);
          resolve(match[1]!);
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.on('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
    });
    const response = await upload(url, [{ path: path.join(assets, 'albums/nature/silver_fir.jpg') }]);
    await waitForTerminal(url, [response.body.items[0].id]);
    // ExifTool's perl processes, children of the server (and their watchdogs, children of those).
    const childrenOf = (pid: number) =>
      readdirSync('/proc')
        .filter((name) => /^\d+$/.test(name))
        .filter((name) => {
          try {
            const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
            return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
          } catch {
            return false;
          }
        })
        .map(Number);
    const exiftools = childrenOf(child.pid!).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('exiftool'));
    expect(exiftools.length).toBeGreaterThan(0);
    const all = [...exiftools, ...exiftools.flatMap(childrenOf)];
    child.kill('SIGKILL');
    const alive = () =>
      all.filter((pid) => {
        try {
          return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
        } catch {
          return false;
        }
      });
    const left = await until(
      async () => alive(),
      (pids) => pids.length === 0,
      10_000,
    );
    expect(left).toEqual([]);
  });
});
