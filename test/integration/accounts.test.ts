// Accounts over real HTTP: set-up claims a pre-accounts library, sign-in and its backoff, sessions, API keys and
// their scopes, admins and users, quotas, and the CLI on the library folder.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { assets, json, startTestServer, tempDir, upload, type TestServer, withoutFacesOrText } from '../helpers/server.js';

const PHOTO = path.join(assets, 'albums/nature/prairie_falcon.jpg');
const OTHER = path.join(assets, 'albums/nature/cyclamen_persicum.jpg');

async function post(baseUrl: string, route: string, body: object, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl, ...headers },
    body: JSON.stringify(body),
  });
}

/** A GET as the bytes came on the wire (fetch would ask for and undo compression itself). */
const rawGet = (url: string, headers: Record<string, string>) =>
  new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });

const cookieOf = (response: Response) => /shoebox_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0] ?? '';

describe('accounts', () => {
  let server: TestServer;
  let base: string;
  let adminCookie: string;
  let photoId: string;

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
    base = server.url;
    // a photo arrives before anyone set up (the CLI's own key: the pre-accounts `local` owner)
    const uploaded = await upload(base, [{ path: PHOTO }]);
    photoId = uploaded.body.items[0].id;
  }, 120_000);

  afterAll(async () => {
    await server?.dispose();
  });

  it('sets up the first admin, who owns what was there, then refuses a second set-up', async () => {
    expect((await json(`${base}/api/auth/status`, { anonymous: true })).body).toEqual({
      setupRequired: true,
      signedIn: false,
      singleSignOn: { enabled: false, buttonLabel: 'Sign in with single sign-on' },
      // no CLIP model in this library: the set-up form offers the recommended one
      offeredModels: [expect.objectContaining({ name: 'clip-vit-b32-laion2b', enables: expect.arrayContaining(['semantic-search']) })],
      photosBeforeSetUp: 1, // the set-up says they become the admin's (it said so on an empty library too)
    });
    const weak = await post(base, '/api/auth/setup', { name: 'Ann', email: 'ann@example.org', password: 'short' });
    expect(weak.status).toBe(400);
    const setup = await post(base, '/api/auth/setup', { name: 'Ann', email: 'Ann@Example.org', password: 'ann password 1' });
    expect(setup.status).toBe(201);
    expect(setup.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(setup.headers.get('set-cookie')).toMatch(/SameSite=Lax/i);
    adminCookie = cookieOf(setup);
    const me = await json(`${base}/api/auth/me`, { headers: { cookie: adminCookie } });
    expect(me.body).toMatchObject({ email: 'ann@example.org', role: 'admin', via: 'session' });
    const photo = await json(`${base}/api/photos/${photoId}`, { headers: { cookie: adminCookie } });
    expect(photo.status).toBe(200);
    expect((await post(base, '/api/auth/setup', { name: 'Eve', email: 'eve@example.org', password: 'eve password 1' })).status).toBe(409);
    expect((await json(`${base}/api/auth/status`, { anonymous: true })).body).toMatchObject({ setupRequired: false, offeredModels: [], photosBeforeSetUp: 0 });
  });

  it('signs in with the same answer for a wrong email or password, and slows down repeated failures', async () => {
    const wrongPassword = await post(base, '/api/auth/login', { email: 'ann@example.org', password: 'not it at all' });
    const wrongEmail = await post(base, '/api/auth/login', { email: 'nobody@example.org', password: 'not it at all' });
    expect(wrongPassword.status).toBe(401);
    expect(wrongEmail.status).toBe(401);
    expect((await wrongPassword.json()).message).toBe((await wrongEmail.json()).message);
    let last = 0;
    for (let i = 0; i < 7; i++) last = (await post(base, '/api/auth/login', { email: 'target@example.org', password: `guess ${i} guess` })).status;
    expect(last).toBe(429);
    const limited = await post(base, '/api/auth/login', { email: 'target@example.org', password: 'one more guess' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('lists and revokes sessions; a password change ends the others', async () => {
    const second = cookieOf(await post(base, '/api/auth/login', { email: 'ann@example.org', password: 'ann password 1' }));
    const sessions = await json(`${base}/api/auth/sessions`, { headers: { cookie: adminCookie } });
    expect(sessions.body.items.length).toBeGreaterThanOrEqual(2);
    expect(sessions.body.items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const changed = await post(base, '/api/auth/password', { current: 'ann password 1', new: 'ann password 2' }, { cookie: adminCookie });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ endedSessions: 1 });
    expect((await json(`${base}/api/photos`, { headers: { cookie: second } })).status).toBe(401);
    expect((await json(`${base}/api/photos`, { headers: { cookie: adminCookie } })).status).toBe(200);
    const out = await fetch(`${base}/api/auth/logout`, { method: 'POST', headers: { cookie: second, origin: base } });
    expect(out.status).toBe(204);
  });

  it('makes scoped API keys that work as x-api-key and Bearer, show once, and stop when revoked', async () => {
    const made = await post(base, '/api/api-keys', { name: 'uploader', scopes: ['upload', 'read'] }, { cookie: adminCookie });
    expect(made.status).toBe(201);
    const { id, key } = (await made.json()) as { id: string; key: string };
    const listed = await json(`${base}/api/api-keys`, { headers: { cookie: adminCookie } });
    const entry = listed.body.items.find((k: { id: string }) => k.id === id);
    expect(entry).toMatchObject({ name: 'uploader', scopes: ['upload', 'read'] });
    expect(JSON.stringify(listed.body)).not.toContain(key);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(fs.readFileSync(OTHER))]), 'cyclamen.jpg');
    const uploaded = await fetch(`${base}/api/photos`, { method: 'POST', body: form, headers: { authorization: `Bearer ${key}` } });
    expect(uploaded.status).toBe(201);
    const newId = ((await uploaded.json()) as { items: { id: string }[] }).items[0]!.id;
    // upload and read, but not write, and never the account
    expect((await fetch(`${base}/api/photos/${newId}`, { method: 'DELETE', headers: { 'x-api-key': key } })).status).toBe(403);
    expect((await post(base, '/api/api-keys', { name: 'more', scopes: ['write'] }, { 'x-api-key': key })).status).toBe(403);
    expect((await json(`${base}/api/auth/me`, { headers: { 'x-api-key': key } })).body).toMatchObject({ via: 'api-key', scopes: ['read', 'upload'] });
    const after = await json(`${base}/api/api-keys`, { headers: { cookie: adminCookie } });
    expect(after.body.items.find((k: { id: string }) => k.id === id).lastUsedAt).not.toBeNull();
    expect((await fetch(`${base}/api/api-keys/${id}`, { method: 'DELETE', headers: { cookie: adminCookie, origin: base } })).status).toBe(204);
    expect((await json(`${base}/api/photos`, { headers: { 'x-api-key': key } })).status).toBe(401);
  });

  it('lets an admin create, disable, limit and delete users; users cannot administer', async () => {
    const created = await post(
      base,
      '/api/admin/users',
      { name: 'Bob', email: 'bob@example.org', password: 'bob password 1', quotaBytes: 50_000 },
      { cookie: adminCookie },
    );
    expect(created.status).toBe(201);
    const bob = (await created.json()) as { id: string };
    expect((await post(base, '/api/admin/users', { name: 'Bob', email: 'BOB@example.org', password: 'bob password 1' }, { cookie: adminCookie })).status).toBe(
      409,
    );
    const bobCookie = cookieOf(await post(base, '/api/auth/login', { email: 'bob@example.org', password: 'bob password 1' }));
    expect((await json(`${base}/api/admin/users`, { headers: { cookie: bobCookie } })).status).toBe(403);
    // the same bytes as Ann's photo: Bob's own photo, not Ann's (and over his 50 kB quota, so refused)
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(fs.readFileSync(PHOTO))]), 'falcon.jpg');
    const refused = await fetch(`${base}/api/photos`, { method: 'POST', body: form, headers: { cookie: bobCookie, origin: base } });
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { message: string }).message).toMatch(/quota/);
    expect(
      (
        await fetch(`${base}/api/admin/users/${bob.id}`, {
          method: 'PATCH',
          headers: { cookie: adminCookie, origin: base, 'content-type': 'application/json' },
          body: JSON.stringify({ quotaBytes: null }),
        })
      ).status,
    ).toBe(200);
    const form2 = new FormData();
    form2.append('file', new Blob([new Uint8Array(fs.readFileSync(PHOTO))]), 'falcon.jpg');
    const stored = await fetch(`${base}/api/photos`, { method: 'POST', body: form2, headers: { cookie: bobCookie, origin: base } });
    const item = ((await stored.json()) as { items: { id: string; duplicate: boolean }[] }).items[0]!;
    expect(item.duplicate).toBe(false);
    expect(item.id).not.toBe(photoId);
    // disabled: signed out at once, and cannot sign in
    await fetch(`${base}/api/admin/users/${bob.id}`, {
      method: 'PATCH',
      headers: { cookie: adminCookie, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ disabled: true }),
    });
    expect((await json(`${base}/api/photos`, { headers: { cookie: bobCookie } })).status).toBe(401);
    expect((await post(base, '/api/auth/login', { email: 'bob@example.org', password: 'bob password 1' })).status).toBe(401);
    // deleted: his photo goes, Ann's with the same bytes stays with its file
    const removed = await fetch(`${base}/api/admin/users/${bob.id}`, { method: 'DELETE', headers: { cookie: adminCookie, origin: base } });
    expect(await removed.json()).toEqual({ deletedPhotos: 1 });
    expect((await fetch(`${base}/api/photos/${photoId}/original`, { headers: { cookie: adminCookie } })).status).toBe(200);
    // the last admin cannot demote herself
    const me = (await json(`${base}/api/auth/me`, { headers: { cookie: adminCookie } })).body;
    const demote = await fetch(`${base}/api/admin/users/${me.id}`, {
      method: 'PATCH',
      headers: { cookie: adminCookie, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'user' }),
    });
    expect(demote.status).toBe(409);
  });

  it('sends security headers, and originals that cannot run as a page', async () => {
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const original = await fetch(`${base}/api/photos/${photoId}/original`, { headers: { cookie: adminCookie } });
    expect(original.headers.get('content-security-policy')).toMatch(/sandbox/);
    expect(original.headers.get('x-content-type-options')).toBe('nosniff');
    await original.body?.cancel(); // read no further: the connection is done with
  });

  it('compresses JSON when asked, never an original, and still answers a range of one', async () => {
    const plain = await rawGet(`${base}/api/openapi.json`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    const asked = await rawGet(`${base}/api/openapi.json`, { 'accept-encoding': 'br, gzip' });
    expect(asked.headers['content-encoding']).toBe('br');
    expect(asked.headers.vary).toMatch(/accept-encoding/i);
    expect(zlib.brotliDecompressSync(asked.body).equals(plain.body)).toBe(true);
    expect(asked.body.length).toBeLessThan(plain.body.length / 4);
    const gzip = await rawGet(`${base}/api/openapi.json`, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const file = fs.readFileSync(PHOTO);
    const original = await rawGet(`${base}/api/photos/${photoId}/original`, { cookie: adminCookie, 'accept-encoding': 'br, gzip' });
    expect(original.headers['content-encoding']).toBeUndefined();
    expect(original.body.equals(file)).toBe(true);
    const range = await rawGet(`${base}/api/photos/${photoId}/original`, { cookie: adminCookie, 'accept-encoding': 'br, gzip', range: 'bytes=100-199' });
    expect(range.status).toBe(206);
    expect(range.headers['content-encoding']).toBeUndefined();
    expect(range.headers['content-range']).toBe(`bytes 100-199/${file.length}`);
    expect(range.body.equals(file.subarray(100, 200))).toBe(true);
  });
});

describe('the CLI and accounts', () => {
  it('manages users on the library folder with no server, and signs in to a server with a stored key', async () => {
    const dataDir = tempDir();
    const config = tempDir('shoebox-config-');
    try {
      const env = { SHOEBOX_PASSWORD: 'cli password 1', XDG_CONFIG_HOME: config };
      const added = await runCli(['users', 'add', 'cat@example.org', '--name', 'Cat', '--role', 'admin', '--data', dataDir], env);
      expect(added.code, added.stderr).toBe(0);
      const listed = await runCli(['users', 'list', '--json', '--data', dataDir]);
      expect(JSON.parse(listed.stdout).items.map((u: { email: string | null }) => u.email)).toContain('cat@example.org');
      expect((await runCli(['users', 'reset-password', 'cat@example.org', '--data', dataDir], { SHOEBOX_PASSWORD: 'cli password 2' })).code).toBe(0);
      expect((await runCli(['users', 'add', 'dan@example.org', '--name', 'Dan', '--data', dataDir], env)).code).toBe(0);
      const disabled = await runCli(['users', 'disable', 'dan@example.org', '--data', dataDir]);
      expect(disabled.code, disabled.stderr).toBe(0);

      const server = await startTestServer(withoutFacesOrText({ dataDir }));
      try {
        const login = await runCli(['login', server.url, '--email', 'cat@example.org'], { ...env, SHOEBOX_PASSWORD: 'cli password 2' });
        expect(login.code, login.stderr).toBe(0);
        // Dan, disabled on the folder, cannot sign in; enabled again through the running server, he can
        const danLogin = () => post(server.url, '/api/auth/login', { email: 'dan@example.org', password: 'cli password 1' });
        expect((await danLogin()).status).toBe(401);
        const enabled = await runCli(['users', 'disable', 'dan@example.org', '--enable', '--data', dataDir]);
        expect(enabled.code, enabled.stderr).toBe(0);
        expect((await danLogin()).status).toBe(200);
        const file = path.join(config, 'shoebox', 'credentials.json');
        expect(fs.statSync(file).mode & 0o777).toBe(0o600);
        // the stored key reaches the server from anywhere (no --data): a search answers
        const search = await runCli(['search', 'falcon', '--server', server.url, '--json'], { XDG_CONFIG_HOME: config });
        expect(search.code, search.stderr).toBe(0);
        const wrong = await runCli(['search', 'falcon', '--server', server.url, '--json'], { XDG_CONFIG_HOME: tempDir('shoebox-empty-') });
        expect(wrong.code).not.toBe(0);
        expect(wrong.stderr).toMatch(/sign in|API key/);
      } finally {
        await server.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(config, { recursive: true, force: true });
    }
  }, 120_000);
});
