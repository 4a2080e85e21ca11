// The route table: every route of the OpenAPI document, walked without credentials, as another user, and with a
// read-only key. A route that forgets its access rule cannot even be registered (the server refuses to start).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generationJobs } from '../../src/db/schema.js';
import { assets, json, onPostgres, startTestServer, waitForTerminal, type TestServer } from '../helpers/server.js';

const PORTRAIT = path.join(assets, 'metadata/faces/portrait.jpg');
const HTTP_METHODS = ['get', 'post', 'patch', 'put', 'delete'] as const;
const MUTATING = new Set(['write', 'upload', 'admin', 'account']);

interface Operation {
  method: string;
  path: string;
  access: string;
  /** What the route does only for an admin (config.admin): x-admin-only in the OpenAPI document. */
  adminOnly?: string;
}

/** Signs in through the API like the web app does; answers the session cookie. */
async function signIn(baseUrl: string, route: '/api/auth/setup' | '/api/auth/login', body: object): Promise<string> {
  const response = await fetch(`${baseUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return /shoebox_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0];
}

describe('access rules on every route', () => {
  let server: TestServer;
  let base: string;
  let cookieA: string;
  let cookieB: string;
  let readKeyB: string;
  /** A's key (A is an admin) with every scope but `admin`. */
  let everydayKeyA: string;
  let userB: string;
  const ids: Record<string, string> = {};
  const operations: Operation[] = [];
  let photosRoot: string;

  /** As user A (cookie, same origin). */
  const asA = (route: string, init: { method?: string; json?: unknown } = {}) =>
    json(`${base}${route}`, { ...init, headers: { cookie: cookieA, origin: base } });

  beforeAll(async () => {
    // A's library in place: a folder under the allowed root
    photosRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-access-library-'));
    fs.copyFileSync(path.join(assets, 'formats/jpg/el_torcal_rocks.jpg'), path.join(photosRoot, 'rocks.jpg'));
    // the size an embedded library is told to move past, lowered under A's two photos (the notice's case below)
    server = await startTestServer({ libraryRoots: [photosRoot], libraryWatch: 'off', creationTools: true, embeddedComfortablePhotos: 1 });
    base = server.url;
    cookieA = await signIn(base, '/api/auth/setup', { name: 'Ann', email: 'ann@example.org', password: 'ann password 1' });
    expect((await asA('/api/admin/users', { method: 'POST', json: { name: 'Bob', email: 'bob@example.org', password: 'bob password 1' } })).status).toBe(201);
    cookieB = await signIn(base, '/api/auth/login', { email: 'bob@example.org', password: 'bob password 1' });
    const key = await json(`${base}/api/api-keys`, {
      method: 'POST',
      json: { name: 'read only', scopes: ['read'] },
      headers: { cookie: cookieB, origin: base },
    });
    expect(key.status).toBe(201);
    readKeyB = key.body.key;

    // A's library: a portrait (a face, a named person), a smaller copy of it (a duplicate group), an album
    const copy = await sharp(PORTRAIT).resize(600).jpeg({ quality: 80 }).toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(fs.readFileSync(PORTRAIT))]), 'portrait.jpg');
    form.append('file', new Blob([new Uint8Array(copy)]), 'portrait-small.jpg');
    const uploaded = await fetch(`${base}/api/photos`, { method: 'POST', body: form, headers: { cookie: cookieA, origin: base } });
    const items = ((await uploaded.json()) as { items: { id: string }[] }).items;
    ids.photo = items[0]!.id;
    await waitForTerminal(
      base,
      items.map((i) => i.id),
    );
    const faces = await asA(`/api/photos/${ids.photo}/faces`);
    ids.face = faces.body.items[0].id;
    ids.person = (await asA(`/api/faces/${ids.face}/assign`, { method: 'POST', json: { name: 'Zed' } })).body.personId;
    ids.album = (await asA('/api/albums', { method: 'POST', json: { name: 'Ann only', photoIds: [ids.photo] } })).body.id;
    const groups = await asA('/api/duplicates');
    ids.duplicate = groups.body.items[0]?.id;
    ids.category = (await asA('/api/categories')).body.items[0].id;
    ids.session = (await asA('/api/auth/sessions')).body.items[0].id;
    ids.apiKey = (await asA('/api/api-keys')).body.items[0].id;
    ids.user = (await asA('/api/auth/me')).body.id;
    // a product of A's (a photo in the catalogue), one of A's product types, and a generation job of A's
    ids.productType = (await asA('/api/product-types')).body.items[0].id;
    expect((await asA('/api/products', { method: 'POST', json: { photoIds: [ids.photo], productType: 'ring' } })).status).toBe(200);
    const [job] = await server.lib.db
      .insert(generationJobs)
      .values({
        ownerId: ids.user!,
        kind: 'generate',
        state: 'completed',
        provider: 'default',
        imagesRequested: 1,
        request: { prompt: 'a ring', size: '512x512' },
      })
      .returning({ id: generationJobs.id });
    ids.generationJob = job!.id;
    ids.library = (await asA('/api/libraries', { method: 'POST', json: { name: 'Ann on disk', paths: [photosRoot] } })).body.id;
    ids.import = (await asA('/api/imports', { method: 'POST', json: { source: 'google-takeout' } })).body.id;
    everydayKeyA = (await asA('/api/api-keys', { method: 'POST', json: { name: 'everyday', scopes: ['read', 'upload', 'write'] } })).body.key;
    userB = (await asA('/api/admin/users')).body.items.find((u: { email: string }) => u.email === 'bob@example.org').id;
    for (const [name, id] of Object.entries(ids)) expect(id, `A's ${name}`).toMatch(/^[0-9a-f-]{36}$/);

    const document = (await json(`${base}/api/openapi.json`, { anonymous: true })).body;
    for (const [route, item] of Object.entries<Record<string, { 'x-access'?: string; 'x-admin-only'?: string }>>(document.paths)) {
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (operation)
          operations.push({ method: method.toUpperCase(), path: route, access: operation['x-access'] ?? 'missing', adminOnly: operation['x-admin-only'] });
      }
    }
  }, 180_000);

  afterAll(async () => {
    await server?.dispose();
    if (photosRoot) fs.rmSync(photosRoot, { recursive: true, force: true });
  });

  /** The route with A's ids in its parameters. */
  function concrete(route: string): string {
    return route.replace(/\{(\w+)\}/g, () => {
      if (route.startsWith('/api/albums')) return ids.album!;
      if (route.startsWith('/api/people')) return ids.person!;
      if (route.startsWith('/api/faces')) return ids.face!;
      if (route.startsWith('/api/duplicates')) return ids.duplicate!;
      if (route.startsWith('/api/categories')) return ids.category!;
      if (route.startsWith('/api/auth/sessions')) return ids.session!;
      if (route.startsWith('/api/api-keys')) return ids.apiKey!;
      if (route.startsWith('/api/admin/users')) return ids.user!;
      if (route.startsWith('/api/product-types')) return ids.productType!;
      if (route.startsWith('/api/generate/jobs')) return ids.generationJob!;
      if (route.startsWith('/api/libraries')) return ids.library!;
      if (route.startsWith('/api/imports')) return ids.import!;
      return ids.photo!;
    });
  }

  /** A valid body for each route that needs one, aimed at A's things. */
  function bodyFor(method: string, route: string): unknown {
    const photoIds = { ids: [ids.photo] };
    const table: Record<string, unknown> = {
      'PATCH /api/albums/{id}': { name: 'taken' },
      'POST /api/albums/{id}/photos': photoIds,
      'DELETE /api/albums/{id}/photos': photoIds,
      'POST /api/albums/{id}/photos/remove': photoIds,
      'PATCH /api/people/{id}': { name: 'taken' },
      'POST /api/people/{id}/merge': { ids: [ids.person] },
      'POST /api/faces/{id}/assign': { name: 'taken' },
      'POST /api/duplicates/{id}/resolve': { keep: [ids.photo] },
      'PUT /api/stacks/{id}/cover': { photoId: ids.photo },
      'PATCH /api/categories/{id}': { label: 'taken' },
      'PATCH /api/photos/{id}': { favorite: true },
      'PATCH /api/products/{id}': { name: 'taken' },
      'PATCH /api/product-types/{id}': { label: 'taken' },
      'PATCH /api/libraries/{id}': { name: 'taken' },
      'PATCH /api/admin/users/{id}': { disabled: true },
      'PATCH /api/partners/{userId}': { inTimeline: true },
      'PUT /api/albums/{id}/shares/{userId}': { role: 'editor' },
      'PATCH /api/shared-links/{id}': { allowUpload: true },
      'POST /api/s/{token}/unlock': { password: 'a guess at it' },
      'POST /api/trash/restore': photoIds,
      'POST /api/trash/empty': photoIds,
      'POST /api/photos/delete': { ...photoIds, force: true },
    };
    return table[`${method} ${route}`] ?? (method === 'GET' || method === 'DELETE' ? undefined : {});
  }

  it('lists every route with its access rule', () => {
    expect(operations.length).toBeGreaterThan(60);
    const missing = operations.filter((o) => !['public', 'link', 'read', 'upload', 'write', 'account', 'admin'].includes(o.access));
    expect(missing).toEqual([]);
    const publicOnes = operations.filter((o) => o.access === 'public').map((o) => `${o.method} ${o.path}`);
    expect(publicOnes.sort()).toEqual(
      [
        'GET /api/auth/status',
        'GET /api/health',
        'POST /api/auth/login',
        'POST /api/auth/logout',
        'POST /api/auth/setup',
        'GET /api/auth/oidc/start',
        'GET /api/auth/oidc/callback',
      ].sort(),
    );
    // a share link's visitor pages: anyone with the token, and nothing else under that prefix
    const linkOnes = operations.filter((o) => o.access === 'link');
    expect(linkOnes.length).toBeGreaterThanOrEqual(6);
    expect(linkOnes.filter((o) => !o.path.startsWith('/api/s/{token}'))).toEqual([]);
  });

  it('answers 404 to a visitor with a made-up link token on every visitor route', async () => {
    const wrong: string[] = [];
    for (const op of operations.filter((o) => o.access === 'link')) {
      const route = op.path.replace('{token}', 'sbl-made-up-token').replace('{id}', ids.photo!);
      const answer = await json(`${base}${route}`, {
        method: op.method,
        json: op.method === 'POST' ? { password: 'x' } : undefined,
        anonymous: true,
        headers: { origin: base },
      });
      if (answer.status !== 404) wrong.push(`${op.method} ${op.path}: ${answer.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers 401 without credentials on every route that is not public', async () => {
    const wrong: string[] = [];
    for (const op of operations.filter((o) => o.access !== 'public' && o.access !== 'link')) {
      const answer = await json(`${base}${concrete(op.path)}`, { method: op.method, json: bodyFor(op.method, op.path), anonymous: true });
      if (answer.status !== 401) wrong.push(`${op.method} ${op.path}: ${answer.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it("keeps A's resumable uploads (tus, not in the OpenAPI document) from B and from anyone signed out", async () => {
    const meta = (importId: string) => `importId ${Buffer.from(importId).toString('base64')},filename ${Buffer.from('a.zip').toString('base64')}`;
    const tusHeaders = { 'tus-resumable': '1.0.0', origin: base };
    const created = await fetch(`${base}/api/imports/uploads`, {
      method: 'POST',
      headers: { ...tusHeaders, cookie: cookieA, 'upload-length': '10', 'upload-metadata': meta(ids.import!) },
    });
    expect(created.status).toBe(201);
    const upload = new URL(created.headers.get('location')!, base).href;
    const patch = (cookie?: string) =>
      fetch(upload, {
        method: 'PATCH',
        headers: { ...tusHeaders, ...(cookie ? { cookie } : {}), 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
        body: Buffer.from('0123456789'),
      });
    expect((await fetch(upload, { method: 'HEAD', headers: { ...tusHeaders, cookie: cookieB } })).status).toBe(404);
    expect((await patch(cookieB)).status).toBe(404);
    expect((await patch()).status).toBe(401);
    const intoA = await fetch(`${base}/api/imports/uploads`, {
      method: 'POST',
      headers: { ...tusHeaders, cookie: cookieB, 'upload-length': '10', 'upload-metadata': meta(ids.import!) },
    });
    expect(intoA.status).toBe(404);
    // a header tus would read otherwise than the route (a second, tab-led importId naming A's) slips nothing into A's
    const importB = (await json(`${base}/api/imports`, { method: 'POST', json: { source: 'google-takeout' }, headers: { cookie: cookieB, origin: base } })).body
      .id as string;
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const sly = await fetch(`${base}/api/imports/uploads`, {
      method: 'POST',
      headers: {
        ...tusHeaders,
        cookie: cookieB,
        'upload-length': '10',
        'upload-metadata': `importId ${b64(ids.import!)},\timportId ${b64(importB)},filename ${b64('x.zip')}`,
      },
    });
    expect(sly.status).toBe(404);
    // nor does a query that names A's upload after B's own
    const mine = await fetch(`${base}/api/imports/uploads`, {
      method: 'POST',
      headers: { ...tusHeaders, cookie: cookieB, 'upload-length': '10', 'upload-metadata': meta(importB) },
    });
    expect(mine.status).toBe(201);
    const myUpload = new URL(mine.headers.get('location')!, base).href;
    const aUploadId = upload.split('/').pop()!;
    const viaQuery = await fetch(`${myUpload}?x=/${aUploadId}`, { method: 'HEAD', headers: { ...tusHeaders, cookie: cookieB } });
    expect(viaQuery.status).toBe(400);
    // and A's own goes in
    expect((await patch(cookieA)).status).toBe(204);
    expect((await asA(`/api/imports/${ids.import}`)).body.files).toEqual([{ uploadId: expect.any(String), name: 'a.zip', size: 10, received: 10 }]);
  });

  it("answers 404 to user B on user A's things (403 on admin routes), and changes nothing", async () => {
    const wrong: string[] = [];
    const bodyIdRoutes = ['POST /api/trash/restore', 'POST /api/trash/empty', 'POST /api/photos/delete'];
    for (const op of operations) {
      const key = `${op.method} ${op.path}`;
      if (!op.path.includes('{') && !bodyIdRoutes.includes(key)) continue;
      const answer = await json(`${base}${concrete(op.path)}`, {
        method: op.method,
        json: bodyFor(op.method, op.path),
        headers: { cookie: cookieB, origin: base },
      });
      // another user's id, or a link token that is another user's photo id: not found either way
      const expected = op.access === 'admin' ? 403 : 404;
      if (answer.status !== expected) wrong.push(`${key}: ${answer.status} (expected ${expected}) ${JSON.stringify(answer.body)?.slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
    // A's things are all there, as they were
    const photo = await asA(`/api/photos/${ids.photo}`);
    expect(photo.status).toBe(200);
    expect(photo.body.deletedAt).toBeNull();
    expect(photo.body.favorite).toBe(false);
    expect((await asA(`/api/albums/${ids.album}`)).body.name).toBe('Ann only');
    expect((await asA(`/api/people/${ids.person}`)).body.name).toBe('Zed');
    expect((await asA(`/api/products/${ids.photo}`)).body.editedFields).toEqual([]);
    expect((await asA('/api/product-types')).body.items.map((t: { id: string }) => t.id)).toContain(ids.productType);
    expect((await asA(`/api/generate/jobs/${ids.generationJob}`)).body.state).toBe('completed');
    expect((await asA(`/api/libraries/${ids.library}`)).body.name).toBe('Ann on disk');
    expect((await asA(`/api/duplicates/${ids.duplicate}`)).status).toBe(200);
    expect((await asA('/api/auth/sessions')).body.items.map((s: { id: string }) => s.id)).toContain(ids.session);
    expect((await asA('/api/api-keys')).body.items.map((k: { id: string }) => k.id)).toContain(ids.apiKey);
    const b = await json(`${base}/api/photos`, { headers: { cookie: cookieB } });
    expect(b.body.total).toBe(0);
    const search = await json(`${base}/api/search?q=portrait&mode=keyword`, { headers: { cookie: cookieB } });
    expect(search.body.items).toEqual([]);
  });

  it('answers 403 to a read-only key on every route that changes something', async () => {
    const wrong: string[] = [];
    for (const op of operations.filter((o) => MUTATING.has(o.access))) {
      const answer = await json(`${base}${concrete(op.path)}`, { method: op.method, json: bodyFor(op.method, op.path), headers: { 'x-api-key': readKeyB } });
      if (answer.status !== 403) wrong.push(`${op.method} ${op.path}: ${answer.status}`);
    }
    expect(wrong).toEqual([]);
    // and the key does read
    expect((await json(`${base}/api/photos`, { headers: { 'x-api-key': readKeyB } })).status).toBe(200);
  });

  it("answers 403 to an admin's key without the `admin` scope on every admin route and admin capability", async () => {
    const wrong: string[] = [];
    for (const op of operations.filter((o) => o.access === 'admin')) {
      const answer = await json(`${base}${concrete(op.path)}`, {
        method: op.method,
        json: bodyFor(op.method, op.path),
        headers: { 'x-api-key': everydayKeyA },
      });
      if (answer.status !== 403) wrong.push(`${op.method} ${op.path}: ${answer.status}`);
    }
    // routes that do more for an admin (act for another user), asked to do it
    const asAdmin: Record<string, unknown> = {
      'POST /api/libraries': { name: "Bob's, by Ann's key", paths: [photosRoot], ownerId: userB },
    };
    const capabilities = operations.filter((o) => o.adminOnly).map((o) => `${o.method} ${o.path}`);
    expect(capabilities.sort()).toEqual(Object.keys(asAdmin).sort());
    for (const op of operations.filter((o) => o.adminOnly)) {
      const key = `${op.method} ${op.path}`;
      const answer = await json(`${base}${concrete(op.path)}`, { method: op.method, json: asAdmin[key], headers: { 'x-api-key': everydayKeyA } });
      if (answer.status !== 403) wrong.push(`${key} (${op.adminOnly}): ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 120)}`);
      // and a user who is no admin, with a session, for A
      const forA = JSON.parse(JSON.stringify(asAdmin[key]).replaceAll(userB, ids.user!));
      const asB = await json(`${base}${concrete(op.path)}`, { method: op.method, json: forA, headers: { cookie: cookieB, origin: base } });
      if (asB.status !== 403) wrong.push(`${key} (${op.adminOnly}) as B: ${asB.status}`);
    }
    expect(wrong).toEqual([]);
    // the key does everything else of A's
    expect((await json(`${base}/api/photos`, { headers: { 'x-api-key': everydayKeyA } })).status).toBe(200);
  });

  it('tells an admin, and no one else, that the embedded library has outgrown its database, with the command that moves it', async () => {
    // the figures wait 0.7 s at most, and the machine may be busy with the pipeline: looked at until they came
    const notice = async () => (await asA('/api/health')).body.embeddedSize as { photos: number; message: string } | null;
    if (onPostgres()) expect(await notice()).toBeNull();
    else {
      await expect.poll(notice, { timeout: 15_000, interval: 300 }).not.toBeNull();
      const admin = (await notice())!;
      expect(admin).toMatchObject({ comfortable: 1, command: 'shoebox migrate --to postgres://… [--storage s3://…]' });
      expect(admin.photos).toBeGreaterThanOrEqual(2);
      expect(admin.message).toContain(`This library holds ${admin.photos} photos, more than the 1 the embedded database`);
      expect(admin.message).toContain('`shoebox migrate --to postgres://… [--storage s3://…]`');
      // an upload of A's moves A's own count: the next look counts the library again
      const form = new FormData();
      const green = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#10a020' } })
        .jpeg()
        .toBuffer();
      form.append('file', new Blob([new Uint8Array(green)]), 'green.jpg');
      expect((await fetch(`${base}/api/photos`, { method: 'POST', body: form, headers: { cookie: cookieA, origin: base } })).status).toBe(201);
      await expect.poll(async () => (await notice())?.photos, { timeout: 15_000, interval: 300 }).toBe(admin.photos + 1);
    }
    const others: Record<string, string>[] = [{ cookie: cookieB, origin: base }, { 'x-api-key': everydayKeyA }, { 'x-api-key': readKeyB }];
    for (const headers of others) {
      const health = await json(`${base}/api/health`, { headers });
      expect(health.status).toBe(200);
      expect(health.body, JSON.stringify(headers)).not.toHaveProperty('embeddedSize');
    }
    expect((await json(`${base}/api/health`, { anonymous: true })).body).not.toHaveProperty('embeddedSize');
  });

  it('refuses state changes from another origin or site, and foreign Host names', async () => {
    const evil = { cookie: cookieA, origin: 'http://evil.example' };
    expect((await json(`${base}/api/trash/empty`, { method: 'POST', headers: evil })).status).toBe(403);
    const sameSite = await json(`${base}/api/albums`, { method: 'POST', json: { name: 'x' }, headers: { cookie: cookieA, 'sec-fetch-site': 'same-site' } });
    expect(sameSite.status).toBe(403);
    // a cookie without Origin (no browser) or from the own origin is fine; a key needs no origin at all
    expect((await json(`${base}/api/albums`, { method: 'POST', json: { name: 'mine' }, headers: { cookie: cookieA, origin: base } })).status).toBe(201);
    // DNS rebinding: fetch will not forge Host, node:http will
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        http
          .get(`${base}/api/health`, { headers: { host } }, (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          })
          .on('error', reject);
      });
    expect(await status('evil.example:80')).toBe(403);
    expect(await status(`localhost:${new URL(base).port}`)).toBe(200);
  });
});
