// Keys and redirects after the security probe (issue 29): API keys end with a password change or reset (not the
// server's own key for the CLI), single sign-on lands only on this server's own pages, and an admin's key without
// the `admin` scope cannot act for another user.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcProvider, type TestProvider } from '../helpers/oidc-provider.js';
import { json, startTestServer, type TestServer, withoutFacesOrText } from '../helpers/server.js';

const cookieOf = (response: Response) => /shoebox_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0] ?? '';

describe('API keys, single sign-on redirects and admin scopes', () => {
  let server: TestServer;
  let base: string;
  let provider: TestProvider;
  let root: string;
  let annCookie: string;
  let bobId: string;

  const post = (route: string, body: object, headers: Record<string, string> = {}) =>
    fetch(`${base}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base, ...headers }, body: JSON.stringify(body) });
  const asAnn = (route: string, init: { method?: string; json?: unknown } = {}) =>
    json(`${base}${route}`, { ...init, headers: { cookie: annCookie, origin: base } });
  const makeKey = async (cookie: string, name: string, scopes: string[]) => {
    const made = await json(`${base}/api/api-keys`, { method: 'POST', json: { name, scopes }, headers: { cookie, origin: base } });
    expect(made.status).toBe(201);
    return made.body as { id: string; key: string };
  };
  const withKey = (key: string, route = '/api/photos') => json(`${base}${route}`, { headers: { 'x-api-key': key } });

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-auth-hardening-'));
    for (const name of ['ann-1', 'ann-2', 'bob-1', 'bob-2']) fs.mkdirSync(path.join(root, name));
    server = await startTestServer(withoutFacesOrText({ libraryRoots: [root], libraryWatch: 'off' }));
    base = server.url;
    const setup = await post('/api/auth/setup', { name: 'Ann', email: 'ann@example.org', password: 'ann password 1' });
    expect(setup.status).toBe(201);
    annCookie = cookieOf(setup);
    bobId = (await asAnn('/api/admin/users', { method: 'POST', json: { name: 'Bob', email: 'bob@example.org', password: 'bob password 1' } })).body.id;
    provider = await startOidcProvider({ redirectUri: `${base}/api/auth/oidc/callback`, clientId: 'shoebox', clientSecret: 'shoebox client secret' });
  }, 120_000);

  afterAll(async () => {
    await provider?.close();
    await server?.dispose();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it("revokes the user's API keys when they change their password (the server's own key for the CLI stays)", async () => {
    const reader = await makeKey(annCookie, 'reader', ['read']);
    const writer = await makeKey(annCookie, 'writer', ['read', 'write']);
    expect((await withKey(reader.key)).status).toBe(200);
    // the list says when each key was made and last used
    const listed = (await asAnn('/api/api-keys')).body.items as { id: string; kind: string; createdAt: string; lastUsedAt: string | null }[];
    expect(listed.find((k) => k.id === reader.id)).toMatchObject({ lastUsedAt: expect.any(String), createdAt: expect.any(String) });
    expect(listed.find((k) => k.id === writer.id)!.lastUsedAt).toBeNull();
    expect(listed.filter((k) => k.kind === 'local')).toHaveLength(1);

    const changed = await post('/api/auth/password', { current: 'ann password 1', new: 'ann password 2' }, { cookie: annCookie });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ revokedApiKeys: 2, endedSessions: 0 });
    expect((await withKey(reader.key)).status).toBe(401);
    expect((await withKey(writer.key)).status).toBe(401);
    const left = (await asAnn('/api/api-keys')).body.items as { kind: string }[];
    expect(left.map((k) => k.kind)).toEqual(['local']);
    // the data folder's key (the CLI on this machine) and this session still work
    expect((await withKey(server.apiKey)).status).toBe(200);
    expect((await asAnn('/api/photos')).status).toBe(200);
  });

  it("revokes a user's API keys when an admin resets their password, and says how many", async () => {
    const bobCookie = cookieOf(await post('/api/auth/login', { email: 'bob@example.org', password: 'bob password 1' }));
    const bobKey = await makeKey(bobCookie, 'script', ['read', 'upload']);
    expect((await withKey(bobKey.key)).status).toBe(200);
    // a change that is not a password leaves the keys alone
    const renamed = await asAnn(`/api/admin/users/${bobId}`, { method: 'PATCH', json: { name: 'Bobby' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.revokedApiKeys).toBeUndefined();
    expect((await withKey(bobKey.key)).status).toBe(200);
    const reset = await asAnn(`/api/admin/users/${bobId}`, { method: 'PATCH', json: { password: 'bob password 2' } });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ name: 'Bobby', revokedApiKeys: 1, endedSessions: 1 });
    expect((await withKey(bobKey.key)).status).toBe(401);
    expect((await json(`${base}/api/photos`, { headers: { cookie: bobCookie } })).status).toBe(401);
  });

  it('lands only on paths of this server after single sign-on', async () => {
    const saved = await asAnn('/api/admin/oidc', {
      method: 'PUT',
      json: { enabled: true, issuer: provider.issuer, clientId: 'shoebox', clientSecret: 'shoebox client secret', scope: 'email profile' },
    });
    expect(saved.status).toBe(200);
    /** Where the sign-in started with this returnTo (as the browser sends it) would land: kept in the pending cookie. */
    const landing = async (rawReturnTo: string) => {
      const started = await fetch(`${base}/api/auth/oidc/start?returnTo=${rawReturnTo}`, { redirect: 'manual' });
      expect(started.status).toBe(302);
      const cookie = /shoebox_oidc=([^;]+)/.exec(started.headers.get('set-cookie') ?? '')![1]!;
      return (JSON.parse(Buffer.from(cookie, 'base64url').toString()) as { returnTo: string }).returnTo;
    };
    for (const hostile of [
      '/%09/evil.example',
      '/%0a/evil.example',
      '/%0d%0a/evil.example',
      '/%20/evil.example',
      '/%5Cevil.example',
      '/%5C%5Cevil.example',
      '/photos%5C..%5C..%5C%5Cevil.example',
      '%2F%2Fevil.example',
      '//evil.example',
      'https%3A%2F%2Fevil.example%2F',
      'javascript%3Aalert(1)',
      'evil.example',
      '/%E2%80%A8/evil.example',
      '/.//evil.example',
      '/photos/..//evil.example',
    ]) {
      expect(await landing(hostile), hostile).toBe('/');
    }
    expect(await landing(encodeURIComponent('/albums/1?sort=new#top'))).toBe('/albums/1?sort=new#top');
    expect(await landing('%2Fsearch%3Fq%3Dcat%2520dog')).toBe('/search?q=cat%20dog');
  });

  it("refuses an admin's key without the `admin` scope when it acts for another user", async () => {
    const ordinary = await makeKey(annCookie, 'everyday', ['read', 'upload', 'write']);
    const admin = await makeKey(annCookie, 'admin', ['read', 'write', 'admin']);
    const forBob = (key: string, folder: string) =>
      json(`${base}/api/libraries`, {
        method: 'POST',
        json: { name: `for Bob ${folder}`, paths: [path.join(root, folder)], ownerId: bobId },
        headers: { 'x-api-key': key },
      });
    const refused = await forBob(ordinary.key, 'bob-1');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/admin/);
    expect((await json(`${base}/api/admin/users`, { headers: { 'x-api-key': ordinary.key } })).status).toBe(403);
    // the key still does its own work, and the admin scope does the rest
    const own = await json(`${base}/api/libraries`, {
      method: 'POST',
      json: { name: 'mine', paths: [path.join(root, 'ann-1')] },
      headers: { 'x-api-key': ordinary.key },
    });
    expect(own.status).toBe(201);
    expect((await forBob(admin.key, 'bob-2')).status).toBe(201);
    // a user who is not an admin cannot either, with a session
    const bobCookie = cookieOf(await post('/api/auth/login', { email: 'bob@example.org', password: 'bob password 2' }));
    const mallory = await json(`${base}/api/libraries`, {
      method: 'POST',
      json: { name: 'for Ann', paths: [path.join(root, 'ann-2')], ownerId: (await asAnn('/api/auth/me')).body.id },
      headers: { cookie: bobCookie, origin: base },
    });
    expect(mallory.status).toBe(403);
  });
});
