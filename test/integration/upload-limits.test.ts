// Uploads cannot hold the server's resources: a body that stops sending is cut after the idle timeout (its temp
// files go, the photos it sent whole stay), one user or one share link has a bounded number of uploads open at once
// (429 past it, with the reason), and concurrent uploads cannot together take a user past their storage quota.
// Nor can a crowd of stalled requests on any route (issue 59): headers and bodies have time-outs, connections are
// bounded per address and in all, and a user is served while thousands stall.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/connection.js';
import { fileHandleLimit } from '../../src/api/http-guards.js';
import { assets, authFetch, json, onPostgres, startTestServer, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

const BOUNDARY = '----shoebox-upload-limits';
const NATURE = path.join(assets, 'albums/nature');
const nature = fs.readdirSync(NATURE).filter((name) => name.endsWith('.jpg'));
/** A corpus photo with a tail of its own: new bytes every time (no duplicate of an earlier test's photo). */
const photo = (i: number, tag: string) => Buffer.concat([fs.readFileSync(path.join(NATURE, nature[i % nature.length]!)), Buffer.from(`\n${tag}-${i}`)]);

function part(filename: string, content: Buffer): Buffer {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), content, Buffer.from('\r\n')]);
}

interface RawUpload {
  /** Sends more of the body. */
  write(bytes: Buffer | string): void;
  /** Resolves with what the server answered (maybe nothing) once it closed the connection. */
  closed: Promise<string>;
  destroy(): void;
}

/** A POST whose headers promise more body than is sent: what a stalled or trickling client does. */
function rawUpload(url: string, route: string, head: Buffer, headers: Record<string, string> = {}): Promise<RawUpload> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      const extra = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.write(
        `POST ${route} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n${extra}Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
          `Content-Length: ${head.length + 10_000_000}\r\n\r\n`,
      );
      socket.write(head);
      resolve({ write: (bytes) => socket.write(bytes), closed, destroy: () => socket.destroy() });
    });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    const closed = new Promise<string>((done) => socket.on('close', () => done(answer)));
    socket.once('error', reject);
  });
}

/** Rejects when `promise` has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}

const tempFiles = (server: TestServer) => fs.readdirSync(path.join(server.dataDir, 'tmp'));

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A crowd's socket: what the server answered it, and whether the server closed it. */
interface Staller {
  answer: string;
  closed: boolean;
  socket: net.Socket;
}

/** A connection from `localAddress` (any of 127.0.0.0/8 is this machine's) that sends `bytes` and then nothing. */
function stall(url: string, localAddress: string, bytes: string): Promise<Staller> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ port: Number(port), host: hostname, localAddress });
    const staller: Staller = { answer: '', closed: false, socket };
    socket.on('data', (chunk) => (staller.answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      staller.closed = true;
      resolve(staller);
    });
    socket.on('connect', () => socket.write(bytes, () => resolve(staller)));
  });
}

/** The crowd test's limits: lowered so that it takes seconds (defaults: 30 s, 60 s, 128, from the file handles). */
const CROWD_LIMITS = { headerSeconds: 3, bodySeconds: 3, uploadIdleSeconds: 3, connectionsPerAddress: 40, maxConnections: 1000 };

/** The first describe's connections per address: few, so that a household's browsers reach it. */
const PER_ADDRESS = 8;

describe('stalled and concurrent uploads', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText({ uploadIdleSeconds: 1.5, uploadsPerUser: 2, uploadsPerLink: 2, connectionsPerAddress: PER_ADDRESS }));
  });

  afterAll(async () => {
    await server?.dispose();
  });

  const signedIn = () => ({ 'x-api-key': server.apiKey });

  it('cuts a body that stops sending after the idle timeout, keeps the photo it sent whole and no temp file', async () => {
    const half = photo(1, 'stall');
    const stalled = await rawUpload(
      server.url,
      '/api/photos',
      Buffer.concat([part('kept.jpg', photo(0, 'stall')), part('half.jpg', half).subarray(0, 2000)]),
      signedIn(),
    );
    const answer = await within(stalled.closed, 8_000, 'a stalled upload cut');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toMatch(/no bytes for 1\.5 s.*1 photo received before that was kept/);
    const list = (await json(`${server.url}/api/photos?limit=100`)).body.items as { id: string; filename: string }[];
    expect(list.map((p) => p.filename)).toEqual(['kept.jpg']);
    expect(Object.values(await waitForTerminal(server.url, [list[0]!.id]))).toEqual(['completed']);
    expect(tempFiles(server)).toEqual([]);
    // the server goes on serving
    expect((await json(`${server.url}/api/health`)).status).toBe(200);
  });

  it("refuses one user's upload past the uploads open at once with 429 and the reason, and takes it once one ends", async () => {
    // two clients trickling bytes: slow but alive, each holds its place
    const slow = await Promise.all(
      [0, 1].map((i) => rawUpload(server.url, '/api/photos', part(`slow-${i}.jpg`, photo(i, 'slow')).subarray(0, 1000), signedIn())),
    );
    const trickle = setInterval(() => slow.forEach((upload) => upload.write('x')), 300);
    try {
      await until(() => tempFiles(server).length === 2); // both have their place: their bytes are being kept
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(photo(2, 'third'))]), 'third.jpg');
      const third = await authFetch(`${server.url}/api/photos`, { method: 'POST', body: form });
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await third.json()) as { message: string }).message).toMatch(/too many uploads at once \(2 per user\)/);
      // past 2 s of trickling, none was cut: bytes keep coming
      await new Promise((resolve) => setTimeout(resolve, 2000));
    } finally {
      clearInterval(trickle);
    }
    slow[0]!.destroy();
    await until(async () => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(photo(3, 'after'))]), 'after.jpg');
      return (await authFetch(`${server.url}/api/photos`, { method: 'POST', body: form })).status === 201;
    });
    slow[1]!.destroy();
    await until(() => tempFiles(server).length === 0);
  });

  it('does the same anonymously through an upload link: 429 past the link’s uploads at once, stalled bodies cut', async () => {
    const [first] = (await json(`${server.url}/api/photos?limit=1`)).body.items as { id: string }[];
    const created = await json(`${server.url}/api/shared-links`, { method: 'POST', json: { photoIds: [first!.id], allowUpload: true } });
    expect(created.status).toBe(201);
    token = created.body.token;
    const route = `/api/s/${token}/photos`;
    const stalled = await Promise.all([0, 1].map((i) => rawUpload(server.url, route, part(`visitor-${i}.jpg`, photo(i, 'visitor')).subarray(0, 1500))));
    await until(() => tempFiles(server).length === 2); // both have their place (on a busy machine, not within 200 ms)
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(photo(4, 'visitor'))]), 'visitor-extra.jpg');
    const extra = await fetch(`${server.url}${route}`, { method: 'POST', body: form });
    expect(extra.status).toBe(429);
    expect(((await extra.json()) as { message: string }).message).toMatch(/too many uploads at once through this link \(2\)/);
    const answers = await within(Promise.all(stalled.map((upload) => upload.closed)), 8_000, 'stalled link uploads cut');
    for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(tempFiles(server)).toEqual([]);
    const again = new FormData();
    again.append('file', new Blob([new Uint8Array(photo(5, 'visitor'))]), 'visitor-ok.jpg');
    expect((await fetch(`${server.url}${route}`, { method: 'POST', body: again })).status).toBe(201);
  });

  // connections are the process's, the same on PostgreSQL: once, embedded
  it.skipIf(onPostgres())(
    'lets an address at its connection bound in by closing its own idle ones, and refuses it with the reason only when all are busy',
    async () => {
      const host = new URL(server.url).host;
      const health = `GET /api/health HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
      const answered = (held: Staller[]) => until(() => held.every((s) => /^HTTP\/1\.1 200/.test(s.answer)), 5_000);
      // a household behind one address: its browsers' keep-alive connections, answered, wait for their next request
      const idle = await Promise.all(Array.from({ length: PER_ADDRESS }, () => stall(server.url, '127.0.2.1', health)));
      await answered(idle);
      const next = await stall(server.url, '127.0.2.1', health);
      try {
        await answered([next]); // before: 429 "too many connections from your address (8 open)"
        await until(() => idle[0]!.closed, 2_000); // the oldest idle one gave its place
        expect(idle.filter((s) => s.closed)).toHaveLength(1);
      } finally {
        for (const s of [...idle, next]) s.socket.destroy();
      }
      // another address whose connections are all busy (live job streams): the next is refused, with the reason
      const events = `GET /api/jobs/events HTTP/1.1\r\nHost: ${host}\r\nX-Api-Key: ${server.apiKey}\r\n\r\n`;
      const streams = await Promise.all(Array.from({ length: PER_ADDRESS }, () => stall(server.url, '127.0.2.2', events)));
      try {
        await answered(streams);
        const refused = await stall(server.url, '127.0.2.2', health);
        await until(() => refused.closed, 5_000);
        expect(refused.answer).toMatch(/^HTTP\/1\.1 429 Too Many Requests[^]*retry-after: 5[^]*too many connections from your address \(8 open and busy\)/i);
        expect(streams.every((s) => !s.closed)).toBe(true);
      } finally {
        for (const s of streams) s.socket.destroy();
      }
    },
  );
});

// both ends of ~3,400 connections live in this process: skipped where it may open fewer than 8,192 files
describe.skipIf(onPostgres() || (fileHandleLimit() ?? 0) < 8192)('a crowd of stalled requests', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText(CROWD_LIMITS));
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('holds thousands of stalled requests from other addresses while a user signs in and views photos; cuts each after its time-out', async () => {
    const host = new URL(server.url).host;
    const created = await json(`${server.url}/api/admin/users`, {
      method: 'POST',
      json: { name: 'Cat', email: 'cat@example.org', password: 'cat password 1' },
    });
    expect(created.status).toBe(201);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(photo(6, 'crowd'))]), 'crowd.jpg');
    const stored = await authFetch(`${server.url}/api/photos`, { method: 'POST', body: form });
    const photoId = ((await stored.json()) as { items: { id: string }[] }).items[0]!.id;
    await waitForTerminal(server.url, [photoId]);
    // an import's archive upload (tus), whose PATCH stops after 1,000 of 100,000 bytes
    const importId = (await json(`${server.url}/api/imports`, { method: 'POST', json: { source: 'google-takeout' } })).body.id as string;
    const tus = { 'tus-resumable': '1.0.0', 'x-api-key': server.apiKey };
    const metadata = `importId ${Buffer.from(importId).toString('base64')},filename ${Buffer.from('takeout.zip').toString('base64')}`;
    const upload = await authFetch(`${server.url}/api/imports/uploads`, {
      method: 'POST',
      headers: { ...tus, 'upload-length': '100000', 'upload-metadata': metadata },
    });
    expect(upload.status).toBe(201);
    const uploadPath = new URL(upload.headers.get('location')!, server.url).pathname;

    const halfHeader = `GET /api/health HTTP/1.1\r\nHost: ${host}\r\nX-Waiting: `;
    const halfSignIn = `POST /api/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"email":"cat@example.org",`;
    const halfPatch =
      `PATCH ${uploadPath} HTTP/1.1\r\nHost: ${host}\r\nTus-Resumable: 1.0.0\r\nX-Api-Key: ${server.apiKey}\r\nUpload-Offset: 0\r\n` +
      `Content-Type: application/offset+octet-stream\r\nContent-Length: 100000\r\n\r\n${'z'.repeat(1000)}`;
    const started = Date.now();
    // sign-ins whose bodies trickle a byte every half second: never idle (nor taken as stalled), cut for their total time
    const tricklers = await Promise.all(Array.from({ length: 10 }, () => stall(server.url, '127.0.0.3', halfSignIn)));
    const trickle = setInterval(() => tricklers.forEach((t) => t.closed || t.socket.write(' ')), 500);
    // the crowd: 60 addresses with 40 connections each (the most one may hold), half a header or half a sign-in's body
    const crowd: Staller[] = [];
    for (let a = 0; a < 60; a++) {
      const address = `127.0.1.${a + 1}`;
      crowd.push(...(await Promise.all(Array.from({ length: 40 }, (_, i) => stall(server.url, address, (a + i) % 2 ? halfHeader : halfSignIn)))));
      // the first address past its 40: its own oldest stalled connections give their places, it holds no more
      if (a === 0) {
        const extra = await Promise.all(Array.from({ length: 5 }, () => stall(server.url, address, halfHeader)));
        await until(() => crowd.filter((s) => s.closed).length >= extra.length, 3_000);
        expect(crowd.filter((s) => s.closed)).toHaveLength(extra.length);
        expect(extra.filter((s) => s.closed)).toEqual([]); // (they go with the crowd, by its time-outs)
      }
    }
    const crowdSeconds = (Date.now() - started) / 1000;
    // an upload that stops after its crowd came (the oldest stalled connections are the first to go)
    const patch = await stall(server.url, '127.0.0.2', halfPatch);
    const held = () => crowd.filter((s) => !s.closed).length;
    try {
      // 2,400 asked, at most 1,000 held (once the closes have reached this side): the oldest stalled ones gave their places to the new
      await until(() => held() <= CROWD_LIMITS.maxConnections, 2_000);
      expect(held(), `the crowd took ${crowdSeconds} s to gather`).toBeGreaterThan(CROWD_LIMITS.maxConnections / 2);

      // the user, from 127.0.0.1, while the crowd holds the server's places: stalled ones give theirs up
      const userStarted = Date.now();
      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'cat@example.org', password: 'cat password 1' }),
      });
      expect(login.status).toBe(200);
      const cookie = /shoebox_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
      expect((await fetch(`${server.url}/api/timeline`, { headers: { cookie } })).status).toBe(200);
      // the photo is the library owner's: its key views it
      const page = await json(`${server.url}/api/photos?limit=10`);
      expect(page.body.items.map((item: { id: string }) => item.id)).toEqual([photoId]);
      const thumbnail = await authFetch(`${server.url}/api/photos/${photoId}/thumbnail`);
      expect(thumbnail.status).toBe(200);
      expect((await thumbnail.arrayBuffer()).byteLength).toBeGreaterThan(100);
      const original = await authFetch(`${server.url}/api/photos/${photoId}/original`);
      expect(original.status).toBe(200);
      expect(Buffer.from(await original.arrayBuffer()).equals(photo(6, 'crowd'))).toBe(true);
      const userSeconds = (Date.now() - userStarted) / 1000;
      expect(userSeconds).toBeLessThan(CROWD_LIMITS.headerSeconds); // answered while the crowd was there
      expect(held(), `still held after the user's ${userSeconds} s (the crowd took ${crowdSeconds} s)`).toBeGreaterThan(CROWD_LIMITS.maxConnections / 4);

      // every stalled connection is closed after its time-out; the bodies cut say why
      await until(() => crowd.every((s) => s.closed) && patch.closed && tricklers.every((t) => t.closed), 12_000);
    } finally {
      clearInterval(trickle);
    }
    const headers = crowd.filter((s) => s.answer.startsWith('HTTP/1.1 408 Request Timeout') && s.answer.includes('Client Timeout'));
    const bodies = crowd.filter((s) => /^HTTP\/1\.1 408[^]*"message":"no bytes for 3 s"/.test(s.answer));
    const dropped = crowd.filter((s) => s.answer === '');
    expect(headers.length + bodies.length + dropped.length).toBe(crowd.length);
    expect(headers.length).toBeGreaterThan(0);
    expect(bodies.length).toBeGreaterThan(0);
    for (const trickler of tricklers) expect(trickler.answer).toMatch(/^HTTP\/1\.1 408[^]*the request's body did not arrive whole within 3 s/);
    // the archive's bytes that came are kept: its upload goes on from there
    expect(patch.answer).toMatch(/^HTTP\/1\.1 204[^]*connection: close[^]*upload-offset: 1000/i);
    const head = await authFetch(`${server.url}${uploadPath}`, { method: 'HEAD', headers: tus });
    expect(head.headers.get('upload-offset')).toBe('1000');
    expect((await json(`${server.url}/api/health`)).status).toBe(200);
  }, 60_000);
});

describe('a client that stops reading', () => {
  it('does not hold the server’s shutdown: what is under way gets a few seconds, then its connection is closed', async () => {
    const server = await startTestServer(withoutFacesOrText());
    let socket: net.Socket | null = null;
    try {
      // an original far larger than the socket buffers, asked for by a client that never reads the answer
      const large = Buffer.concat([photo(0, 'large-original'), Buffer.alloc(16 * 1024 * 1024, 7)]);
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(large)]), 'large-original.jpg');
      const stored = await authFetch(`${server.url}/api/photos`, { method: 'POST', body: form });
      expect(stored.status).toBe(201);
      const id = ((await stored.json()) as { items: { id: string }[] }).items[0]!.id;
      await waitForTerminal(server.url, [id]); // no step of its own left running: what is timed is the connection
      const { hostname, port } = new URL(server.url);
      const stalled = net.connect(Number(port), hostname);
      socket = stalled;
      await new Promise((resolve) => stalled.once('connect', resolve));
      stalled.write(`GET /api/photos/${id}/original HTTP/1.1\r\nHost: ${hostname}:${port}\r\nx-api-key: ${server.apiKey}\r\n\r\n`);
      stalled.pause(); // reads nothing: the server's writes stop once the buffers are full
      const closed = new Promise((resolve) => stalled.once('close', resolve));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const started = Date.now();
      await server.dispose();
      expect(Date.now() - started).toBeLessThan(8_000); // the process's own limit (cli/signals.ts) is 8 s
      stalled.resume(); // what reached its buffers is read, then the end the server sent
      await within(closed, 2_000, 'the stalled download’s connection closed');
    } finally {
      socket?.destroy();
      await server.dispose();
    }
  }, 60_000);
});

describe('the storage quota under concurrent uploads', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText({ uploadsPerUser: 50 }));
  });

  afterAll(async () => {
    // within seconds: a refused upload's connection is not left open for the client to give up on (it took 73 s)
    const started = Date.now();
    await server?.dispose();
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('never lets 20 uploads at once take the user past the quota; the refused ones say why', async () => {
    const quota = 600_000;
    const patched = await json(`${server.url}/api/admin/users/${server.lib.ownerId}`, { method: 'PATCH', json: { quotaBytes: quota } });
    expect(patched.status).toBe(200);
    const files = Array.from({ length: 20 }, (_, i) => photo(i, 'quota'));
    expect(files.reduce((sum, file) => sum + file.length, 0)).toBeGreaterThan(2 * quota);
    const responses = await Promise.all(
      files.map(async (data, i) => {
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(data)]), `q${i}.jpg`);
        const response = await authFetch(`${server.url}/api/photos`, { method: 'POST', body: form });
        return { status: response.status, body: (await response.json()) as { message?: string } };
      }),
    );
    const stored = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status !== 201);
    expect(stored.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.status).toBe(413);
      expect(r.body.message).toMatch(/over your storage quota/);
    }
    const [used] = await rows<{ bytes: number; photos: number }>(
      server.lib.db,
      sql`select coalesce(sum(size_bytes), 0)::float8 as bytes, count(*)::int as photos from photos where owner_id = ${server.lib.ownerId}::uuid`,
    );
    expect(used!.photos).toBe(stored.length);
    expect(used!.bytes).toBeLessThanOrEqual(quota);
    // nothing stays reserved once the uploads are over
    const [reserved] = await rows<{ n: number }>(server.lib.db, sql`select count(*)::int as n from upload_reservations`);
    expect(reserved!.n).toBe(0);
  });

  it('refuses a large file while it streams in, once what arrived is past what the quota leaves', async () => {
    const large = Buffer.concat([photo(0, 'large'), Buffer.alloc(24 * 1024 * 1024, 7)]);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(large)]), 'large.jpg');
    const response = await authFetch(`${server.url}/api/photos`, { method: 'POST', body: form });
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close'); // the rest of the body is not read: no socket left hanging
    expect(((await response.json()) as { message: string }).message).toMatch(/large\.jpg: over your storage quota .* this file is \d+ MB so far\)/);
    const [reserved] = await rows<{ n: number }>(server.lib.db, sql`select count(*)::int as n from upload_reservations`);
    expect(reserved!.n).toBe(0);
  });
});
