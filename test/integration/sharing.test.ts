// Sharing over real HTTP with three users: per-user categories, albums shared as viewer and editor, partner
// sharing in and out of the timeline, and share links seen by a visitor without an account.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClips } from '../helpers/clips.js';
import { assets, json, startTestServer, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

const FALCON = path.join(assets, 'albums/nature/prairie_falcon.jpg');
const CYCLAMEN = path.join(assets, 'albums/nature/cyclamen_persicum.jpg');
const ROCKS = path.join(assets, 'albums/nature/el_torcal_rocks.jpg');
const FIR = path.join(assets, 'albums/nature/silver_fir.jpg');

type Client = (route: string, init?: { method?: string; json?: unknown }) => Promise<{ status: number; body: any }>;

describe('sharing', () => {
  let server: TestServer;
  let base: string;
  const cookies: Record<string, string> = {};
  const userIds: Record<string, string> = {};
  let ann: Client;
  let bob: Client;
  let cat: Client;
  let falcon: string;
  let cyclamen: string;
  let rocks: string;
  let albumId: string;

  const clientFor =
    (who: string): Client =>
    (route, init = {}) =>
      json(`${base}${route}`, { ...init, headers: { cookie: cookies[who]!, origin: base } });

  async function signIn(who: string, route: string, body: object) {
    const response = await fetch(`${base}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    cookies[who] = /shoebox_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0];
    userIds[who] = (await clientFor(who)('/api/auth/me')).body.id;
  }

  async function uploadAs(who: string, file: string, route = '/api/photos', extra: Record<string, string> = {}) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(fs.readFileSync(file))]), path.basename(file));
    const response = await fetch(`${base}${route}`, {
      method: 'POST',
      body: form,
      headers: { ...(cookies[who] ? { cookie: cookies[who] } : {}), origin: base, ...extra },
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
    base = server.url;
    await signIn('ann', '/api/auth/setup', { name: 'Ann', email: 'ann@example.org', password: 'ann password 1' });
    ann = clientFor('ann');
    for (const name of ['Bob', 'Cat']) {
      const email = `${name.toLowerCase()}@example.org`;
      expect((await ann('/api/admin/users', { method: 'POST', json: { name, email, password: `${name} password 1` } })).status).toBe(201);
      await signIn(name.toLowerCase(), '/api/auth/login', { email, password: `${name} password 1` });
    }
    bob = clientFor('bob');
    cat = clientFor('cat');
    falcon = (await uploadAs('ann', FALCON)).body.items[0].id;
    rocks = (await uploadAs('ann', ROCKS)).body.items[0].id;
    cyclamen = (await uploadAs('bob', CYCLAMEN)).body.items[0].id;
    await waitForTerminal(base, [falcon, rocks]);
    const bobStates = await bob('/api/photos/states', { method: 'POST', json: { ids: [cyclamen] } });
    expect(bobStates.status).toBe(200);
    albumId = (await ann('/api/albums', { method: 'POST', json: { name: 'Sierra weekend', photoIds: [falcon] } })).body.id;
  }, 180_000);

  afterAll(async () => {
    await server?.dispose();
  });

  it('gives each user their own categories, seeded, and edits stay theirs', async () => {
    const annCategories = (await ann('/api/categories')).body.items;
    const bobCategories = (await bob('/api/categories')).body.items;
    expect(bobCategories.length).toBeGreaterThan(0);
    expect(bobCategories.map((c: { name: string }) => c.name)).toEqual(annCategories.map((c: { name: string }) => c.name));
    expect(bobCategories[0].id).not.toBe(annCategories[0].id);
    // the same name in two libraries, and a change in one leaves the other alone
    expect((await bob('/api/categories', { method: 'POST', json: { name: 'birds', tags: ['falcon'] } })).status).toBe(201);
    expect((await ann('/api/categories', { method: 'POST', json: { name: 'birds', tags: ['sparrow'] } })).status).toBe(201);
    const bobBirds = (await bob('/api/categories')).body.items.find((c: { name: string }) => c.name === 'birds');
    expect(bobBirds.tags).toEqual(['falcon']);
    expect((await ann(`/api/categories/${bobBirds.id}`, { method: 'PATCH', json: { label: 'mine now' } })).status).toBe(404);
    expect((await ann(`/api/categories/${bobBirds.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('lists the other users to share with, not oneself', async () => {
    const users = (await bob('/api/users')).body.items.map((u: { name: string }) => u.name);
    expect(users.sort()).toEqual(['Ann', 'Cat']);
  });

  it('shares an album with a viewer: seen, searched, read-only; others still get 404', async () => {
    expect((await bob(`/api/albums/${albumId}`)).status).toBe(404);
    const share = await ann(`/api/albums/${albumId}/shares/${userIds.bob}`, { method: 'PUT', json: { role: 'viewer' } });
    expect(share.status).toBe(200);
    expect(share.body).toMatchObject({ name: 'Bob', role: 'viewer' });

    const listed = (await bob('/api/albums')).body.items.find((a: { id: string }) => a.id === albumId);
    expect(listed).toMatchObject({ name: 'Sierra weekend', access: 'viewer', owner: { name: 'Ann', you: false }, photoCount: 1 });
    expect((await bob('/api/albums?sharing=mine')).body.items.map((a: { id: string }) => a.id)).not.toContain(albumId);
    expect((await ann('/api/albums')).body.items.find((a: { id: string }) => a.id === albumId)).toMatchObject({ access: 'owner', sharedWith: 1 });
    const album = await bob(`/api/albums/${albumId}`);
    expect(album.body.photos.items.map((p: { id: string }) => p.id)).toEqual([falcon]);
    // the album page's timeline and list (what the web app reads) show the owner's photos to the viewer
    expect((await bob(`/api/photos?album=${albumId}`)).body.items.map((p: { id: string }) => p.id)).toEqual([falcon]);
    expect((await bob(`/api/timeline?album=${albumId}`)).body.total).toBe(1);
    expect((await cat(`/api/photos?album=${albumId}`)).body.total).toBe(0);

    const detail = await bob(`/api/photos/${falcon}`);
    expect(detail.status).toBe(200);
    expect(detail.body.owner).toEqual({ id: userIds.ann, name: 'Ann', you: false });
    expect(detail.body.sourcePath).toBeNull();
    expect(detail.body.duplicateGroup).toBeNull();
    expect(detail.body.albums.map((a: { id: string }) => a.id)).toEqual([albumId]);
    expect((await fetch(`${base}/api/photos/${falcon}/thumbnail`, { headers: { cookie: cookies.bob! } })).status).toBe(200);
    expect((await fetch(`${base}/api/photos/${falcon}/original`, { headers: { cookie: cookies.bob! } })).status).toBe(200);
    // the album's name finds its photos for Bob too; not the rest of Ann's library
    const search = await bob('/api/search?q=sierra&mode=keyword');
    expect(search.body.items.map((i: { photo: { id: string } }) => i.photo.id)).toEqual([falcon]);
    expect((await bob(`/api/photos/${rocks}`)).status).toBe(404);
    // and is suggested as he types it, as an album; never to Cat
    const suggested = await bob('/api/search/suggest?q=sier&kinds=album');
    expect(suggested.body.items).toContainEqual(expect.objectContaining({ kind: 'album', label: 'Sierra weekend', key: albumId }));
    expect((await cat('/api/search/suggest?q=sier&kinds=album')).body.items).toEqual([]);
    // read-only: no changes to the photo or the album
    expect((await bob(`/api/photos/${falcon}`, { method: 'PATCH', json: { favorite: true } })).status).toBe(404);
    expect((await bob(`/api/photos/${falcon}`, { method: 'DELETE' })).status).toBe(404);
    expect((await bob(`/api/albums/${albumId}/photos`, { method: 'POST', json: { ids: [cyclamen] } })).status).toBe(403);
    expect((await bob(`/api/albums/${albumId}`, { method: 'PATCH', json: { name: 'Mine' } })).status).toBe(403);
    expect((await bob(`/api/albums/${albumId}`, { method: 'DELETE' })).status).toBe(403);
    expect((await bob(`/api/albums/${albumId}/shares`)).status).toBe(403);
    // Cat was not invited
    expect((await cat(`/api/albums/${albumId}`)).status).toBe(404);
    expect((await cat(`/api/photos/${falcon}`)).status).toBe(404);
    expect((await fetch(`${base}/api/photos/${falcon}/thumbnail`, { headers: { cookie: cookies.cat! } })).status).toBe(404);
    expect((await cat('/api/search?q=sierra&mode=keyword')).body.items).toEqual([]);
    expect((await ann(`/api/photos/${falcon}`)).body.favorite).toBe(false);
  });

  it("lets an editor add their own photos and take any out, never delete the owner's", async () => {
    expect((await ann(`/api/albums/${albumId}/shares/${userIds.bob}`, { method: 'PUT', json: { role: 'editor' } })).body.role).toBe('editor');
    // an editor adds only their own photos
    expect((await bob(`/api/albums/${albumId}/photos`, { method: 'POST', json: { ids: [rocks] } })).status).toBe(400);
    const added = await bob(`/api/albums/${albumId}/photos`, { method: 'POST', json: { ids: [cyclamen] } });
    expect(added.status).toBe(200);
    expect(added.body.added).toBe(1);
    // the owner sees the editor's photo in the album, and who it belongs to
    const seen = await ann(`/api/photos/${cyclamen}`);
    expect(seen.status).toBe(200);
    expect(seen.body.owner.name).toBe('Bob');
    expect((await ann(`/api/photos/${cyclamen}`, { method: 'DELETE' })).status).toBe(404);
    expect((await ann(`/api/albums/${albumId}`)).body.photos.items.map((p: { ownerId: string }) => p.ownerId).sort()).toEqual(
      [userIds.ann, userIds.bob].sort(),
    );
    expect((await ann(`/api/photos?album=${albumId}`)).body.total).toBe(2);
    // the editor takes the owner's photo out of the album: it stays in her library
    const removed = await bob(`/api/albums/${albumId}/photos/remove`, { method: 'POST', json: { ids: [falcon] } });
    expect(removed.body.removed).toBe(1);
    expect((await ann(`/api/photos/${falcon}`)).body.deletedAt).toBeNull();
    expect((await bob(`/api/photos/${falcon}`)).status).toBe(404);
    // leaving the album ends Bob's access to it
    expect((await bob(`/api/albums/${albumId}/shares/${userIds.bob}`, { method: 'DELETE' })).status).toBe(204);
    expect((await bob(`/api/albums/${albumId}`)).status).toBe(404);
  });

  it('shares a whole library with a partner, in their timeline only when they ask', async () => {
    expect((await cat(`/api/photos?owner=${userIds.ann}`)).status).toBe(404);
    expect((await ann('/api/partners', { method: 'POST', json: { userId: userIds.cat } })).status).toBe(204);
    const partners = (await cat('/api/partners')).body;
    expect(partners.sharedWithMe).toMatchObject([{ id: userIds.ann, name: 'Ann', inTimeline: false }]);
    expect((await ann('/api/partners')).body.sharingWith.map((p: { name: string }) => p.name)).toEqual(['Cat']);

    const annsPhotos = await cat(`/api/photos?owner=${userIds.ann}`);
    expect(annsPhotos.body.items.map((p: { id: string }) => p.id).sort()).toEqual([falcon, rocks].sort());
    expect((await cat('/api/photos')).body.total).toBe(0);
    expect((await cat(`/api/photos/${rocks}`)).body.owner.name).toBe('Ann');
    expect((await cat(`/api/photos/${rocks}`, { method: 'PATCH', json: { favorite: true } })).status).toBe(404);

    expect((await cat(`/api/partners/${userIds.ann}`, { method: 'PATCH', json: { inTimeline: true } })).status).toBe(204);
    const timeline = await cat('/api/photos');
    expect(timeline.body.total).toBe(2);
    expect((await cat('/api/timeline')).body.total).toBe(2);
    // a photo Ann puts in her trash leaves Cat's view
    expect((await ann(`/api/photos/${rocks}`, { method: 'DELETE' })).status).toBeLessThan(300);
    expect((await cat('/api/photos')).body.total).toBe(1);
    expect((await cat(`/api/photos/${rocks}`)).status).toBe(404);
    expect((await ann('/api/trash/restore', { method: 'POST', json: { ids: [rocks] } })).status).toBe(200);
    // Ann ends it
    expect((await ann(`/api/partners/${userIds.cat}`, { method: 'DELETE' })).status).toBe(204);
    expect((await cat('/api/photos')).body.total).toBe(0);
    expect((await cat(`/api/photos/${falcon}`)).status).toBe(404);
  });

  it('shows a share link to a visitor: password, downloads, uploads, views, expiry, revocation', async () => {
    expect((await ann(`/api/albums/${albumId}/photos`, { method: 'POST', json: { ids: [falcon] } })).status).toBe(200);
    const created = await ann('/api/shared-links', { method: 'POST', json: { albumId, password: 'visitor pass', allowDownload: false, allowUpload: true } });
    expect(created.status).toBe(201);
    const link = created.body;
    expect(link).toMatchObject({ hasPassword: true, allowDownload: false, allowUpload: true, viewCount: 0, path: `/s/${link.token}` });
    expect(link.token.length).toBeGreaterThanOrEqual(40);
    const visit = `${base}/api/s/${link.token}`;

    // locked until the password
    const info = await json(visit, { anonymous: true });
    expect(info.body).toMatchObject({ title: 'Sierra weekend', owner: 'Ann', locked: true, photoCount: null });
    expect((await json(`${visit}/photos`, { anonymous: true })).status).toBe(401);
    const wrong = await fetch(`${visit}/unlock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ password: 'not the one' }),
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${visit}/unlock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ password: 'visitor pass' }),
    });
    expect(right.status).toBe(204);
    const setCookie = right.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toContain(`Path=/api/s/${link.token}`);
    const visitor = { cookie: setCookie.split(';')[0]! };

    const opened = await json(visit, { headers: visitor });
    expect(opened.body).toMatchObject({ locked: false, photoCount: 2, allowDownload: false });
    const photos = await json(`${visit}/photos`, { headers: visitor });
    expect(photos.body.items.map((p: { id: string }) => p.id).sort()).toEqual([falcon, cyclamen].sort());
    expect(Object.keys(photos.body.items[0]).sort()).toEqual([
      'colour',
      'durationMs',
      'filename',
      'hasThumbnail',
      'height',
      'id',
      'location',
      'mime',
      'motion',
      'takenAt',
      'type',
      'width',
    ]);
    // where it was taken stays the owner's: the link does not keep locations
    expect(photos.body.items.map((p: { location: unknown }) => p.location)).toEqual([null, null]);
    expect((await fetch(`${visit}/photos/${falcon}/preview`, { headers: visitor })).status).toBe(200);
    expect((await fetch(`${visit}/photos/${falcon}/original`, { headers: visitor })).status).toBe(403);
    // nothing outside the link: another photo of Ann's, and the rest of the API
    expect((await fetch(`${visit}/photos/${rocks}/thumbnail`, { headers: visitor })).status).toBe(404);
    expect((await json(`${base}/api/photos/${falcon}`, { headers: visitor })).status).toBe(401);
    expect((await json(`${base}/api/albums`, { headers: visitor })).status).toBe(401);

    // uploads land in Ann's album as Ann's photos
    const uploaded = await uploadAs('visitor', FIR, `/api/s/${link.token}/photos`, visitor);
    expect(uploaded.status).toBe(201);
    const firId = uploaded.body.items[0].id;
    expect(uploaded.body.items[0].existing).toBeUndefined();
    expect((await ann(`/api/photos/${firId}`)).body.owner.name).toBe('Ann');
    expect((await ann(`/api/albums/${albumId}`)).body.photoCount).toBe(3);
    // a video too, as its owner can add one (the page's "Add photos" offers videos since issue 63)
    const clip = await uploadAs('visitor', (await testClips()).mp4, `/api/s/${link.token}/photos`, visitor);
    expect(clip.status, JSON.stringify(clip.body)).toBe(201);
    expect((await ann(`/api/photos/${clip.body.items[0].id}`)).body.type).toBe('video');
    expect((await ann(`/api/albums/${albumId}`)).body.photoCount).toBe(4);

    // downloads switched on; views counted
    const patched = await ann(`/api/shared-links/${link.id}`, { method: 'PATCH', json: { allowDownload: true } });
    expect(patched.body.viewCount).toBe(1);
    const original = await fetch(`${visit}/photos/${falcon}/original`, { headers: visitor });
    expect(original.status).toBe(200);
    expect(original.headers.get('content-disposition')).toMatch(/^attachment/);
    // a new password locks the old cookie out
    await ann(`/api/shared-links/${link.id}`, { method: 'PATCH', json: { password: 'another pass' } });
    expect((await json(`${visit}/photos`, { headers: visitor })).status).toBe(401);
    // expiry, then revocation
    await ann(`/api/shared-links/${link.id}`, { method: 'PATCH', json: { password: null, expiresAt: new Date(Date.now() - 60_000).toISOString() } });
    const expired = await json(visit, { anonymous: true });
    expect(expired.status).toBe(410);
    expect(expired.body.message).toMatch(/expired/);
    expect((await json(`${visit}/photos`, { anonymous: true })).status).toBe(410);
    expect((await ann(`/api/shared-links/${link.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await json(visit, { anonymous: true })).status).toBe(404);
    // another user cannot see or revoke Ann's links
    expect((await bob('/api/shared-links')).body.items).toEqual([]);
  });

  it("shares a chosen set of photos by link, and only the owner's photos", async () => {
    expect((await bob('/api/shared-links', { method: 'POST', json: { photoIds: [falcon] } })).status).toBe(400);
    expect((await bob('/api/shared-links', { method: 'POST', json: { albumId } })).status).toBe(404);
    const link = (await ann('/api/shared-links', { method: 'POST', json: { photoIds: [rocks], description: 'Rocks' } })).body;
    // a new link lets no one download originals unless asked
    expect(link).toMatchObject({ allowDownload: false, allowUpload: false, keepMetadata: false });
    const visit = `${base}/api/s/${link.token}`;
    expect((await json(visit, { anonymous: true })).body).toMatchObject({ title: 'Rocks', locked: false, photoCount: 1, allowUpload: false });
    expect((await json(`${visit}/photos`, { anonymous: true })).body.items.map((p: { id: string }) => p.id)).toEqual([rocks]);
    expect((await fetch(`${visit}/photos/${falcon}/thumbnail`)).status).toBe(404);
    expect((await uploadAs('visitor', FIR, `/api/s/${link.token}/photos`)).status).toBe(403);
    // from another site, a visitor's state change is refused
    const evil = await fetch(`${visit}/unlock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: '{"password":"x"}',
    });
    expect(evil.status).toBe(403);
    expect((await json(`${base}/api/s/not-a-real-token`, { anonymous: true })).status).toBe(404);
  });
});
