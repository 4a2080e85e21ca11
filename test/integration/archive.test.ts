// The archive (issue 35: Google Photos' archived, iCloud's hidden): photos out of the timeline — its list, its counts
// (kept between requests: the photo_order mark must move) — and kept in an album, the favourites, a person's photos
// and search; `archived=only` lists them. Through the real server, then in Chromium: archived from the gallery's
// selection, listed on the Archive page, brought back from the photo page; the account's export takes it out too.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, poll, signedInContext } from '../helpers/browser.js';
import { colourPhotos } from '../helpers/images.js';
import { json, startTestServer, tempDir, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';
import { listTotal } from '../../src/library/photos/timeline.js';
import { ownScope } from '../../src/scope/photo-scope.js';

let server: TestServer;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const dir = tempDir('shoebox-archive-');
  const colours = await colourPhotos(dir, 7);
  server = await startTestServer(withoutFacesOrText());
  const uploaded = await upload(
    server.url,
    Object.values(colours).map((file) => ({ path: file })),
  );
  for (const item of uploaded.body.items as { id: string; filename: string }[]) ids[path.basename(item.filename, '.jpg')] = item.id;
  await waitForTerminal(server.url, Object.values(ids), 120_000);
}, 180_000);

afterAll(async () => {
  await server?.dispose();
});

const listed = async (query: string) => {
  const body = (await json(`${server.url}/api/photos?limit=50${query}`)).body as { items: { id: string; archived: boolean }[]; total: number };
  return {
    ids: body.items.map((item) => item.id).sort(),
    total: body.total,
    archived: body.items
      .filter((item) => item.archived)
      .map((item) => item.id)
      .sort(),
  };
};
const timelineTotal = async (query = '') => ((await json(`${server.url}/api/timeline?groupBy=day${query}`)).body as { total: number }).total;
const sorted = (...names: string[]) => names.map((name) => ids[name]!).sort();

describe('the archive', () => {
  it('counts a list’s total once while nothing it counts changes, and again after each change', async () => {
    const filter = { type: 'photo' as const, archived: 'only' as const };
    let counted = 0;
    const total = () =>
      listTotal(server.lib, ownScope(server.lib.ownerId), filter, async () => {
        counted += 1;
        return (await listed('&type=photo&archived=only')).ids.length;
      });
    expect([await total(), await total(), counted]).toEqual([0, 0, 1]);
    expect((await listed('&archived=only')).total).toBe(0); // the route's own total, kept from here
    expect((await json(`${server.url}/api/photos`, { method: 'PATCH', json: { ids: [ids.green], archived: true } })).status).toBe(200);
    expect([await total(), await total(), counted]).toEqual([1, 1, 2]);
    expect((await listed('&archived=only')).total).toBe(1);
    expect((await json(`${server.url}/api/photos`, { method: 'PATCH', json: { ids: [ids.green], archived: false } })).status).toBe(200);
    expect([await total(), counted]).toEqual([0, 3]);
    expect((await listed('&archived=only')).total).toBe(0);
  });

  it('takes photos out of the timeline and its counts, and lists them on their own', async () => {
    expect(await timelineTotal()).toBe(4); // counted and kept
    const patched = await json(`${server.url}/api/photos`, { method: 'PATCH', json: { ids: [ids.red, ids.blue], archived: true } });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ updated: 2 });
    expect(await timelineTotal()).toBe(2);
    expect((await listed('')).ids).toEqual(sorted('green', 'yellow'));
    expect(await listed('&archived=only')).toEqual({ ids: sorted('red', 'blue'), total: 2, archived: sorted('red', 'blue') });
    expect(await timelineTotal('&archived=only')).toBe(2);
    expect((await listed('&archived=include')).total).toBe(4);
    const detail = (await json(`${server.url}/api/photos/${ids.red}`)).body as { archived: boolean };
    expect(detail.archived).toBe(true);
  });

  it('keeps archived photos in an album, the favourites and search', async () => {
    const album = await json(`${server.url}/api/albums`, { method: 'POST', json: { name: 'Colours', photoIds: [ids.red, ids.green] } });
    expect(album.status).toBe(201);
    expect((await listed(`&album=${album.body.id}`)).ids).toEqual(sorted('red', 'green'));
    expect((await json(`${server.url}/api/photos/${ids.blue}`, { method: 'PATCH', json: { favorite: true } })).status).toBe(200);
    expect((await listed('&favorite=true')).ids).toEqual(sorted('blue'));
    // an album's list asked to leave the archive out does
    expect((await listed(`&album=${album.body.id}&archived=exclude`)).ids).toEqual(sorted('green'));
    const found = (await json(`${server.url}/api/search?q=red&mode=keyword`)).body.items as { photo: { id: string } }[];
    expect(found.map((hit) => hit.photo.id)).toContain(ids.red);
  });

  it('refuses what is not a yes or no, and a value it does not know', async () => {
    const bad = await json(`${server.url}/api/photos/${ids.red}`, { method: 'PATCH', json: { archived: 'yes' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('archived');
    const badQuery = await json(`${server.url}/api/photos?archived=hidden`);
    expect(badQuery.status).toBe(400);
    expect(JSON.stringify(badQuery.body)).toMatch(/archived/);
  });

  it('archives from the gallery’s selection, lists the archive, and brings a photo back from its page', async () => {
    const browser = await launchBrowser();
    try {
      const { page, errors } = await openPage(await signedInContext(browser, server));
      const tile = (p: Page, id: string) => p.locator(`[data-photo-id="${id}"]`);
      const check = (p: Page, id: string) => p.locator(`.tile-cell:has([data-photo-id="${id}"]) [data-testid="tile-check"]`);
      await page.goto(`${server.url}/`);
      await poll(() => page.getByTestId('timeline').getAttribute('data-total')).toBe('2');
      await tile(page, ids.green!).hover();
      await check(page, ids.green!).click();
      await poll(() => page.getByTestId('bulk-archive').textContent()).toContain('Archive');
      await page.getByTestId('bulk-archive').click();
      await poll(() => page.getByTestId('timeline').getAttribute('data-total')).toBe('1');
      expect(await tile(page, ids.green!).count()).toBe(0);

      await page.goto(`${server.url}/archive`);
      await poll(() => page.getByTestId('archive-summary').textContent()).toMatch(/^3 photos, out of the timeline/);
      // the archive's own selection offers to bring photos back
      await tile(page, ids.red!).hover();
      await check(page, ids.red!).click();
      await poll(() => page.getByTestId('bulk-archive').textContent()).toContain('Unarchive');
      await page.keyboard.press('Escape');

      await page.goto(`${server.url}/photos/${ids.blue}`);
      await poll(() => page.getByTestId('archived').isVisible()).toBe(true);
      expect(await page.getByTestId('archive').count()).toBe(0);
      await page.getByTestId('unarchive').click();
      await poll(() => page.getByTestId('archive').isVisible()).toBe(true);
      // the page shows the change at once (optimistic) and saves it on the way: the server's answer is waited for
      await poll(async () => ((await json(`${server.url}/api/photos/${ids.blue}`)).body as { archived: boolean }).archived).toBe(false);
      expect(await timelineTotal()).toBe(2);

      // the account's export takes everything out, the archive included
      await page.goto(`${server.url}/account`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-all').click()]);
      const zip = fs.readFileSync((await download.path())!);
      expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
      const names = zip.toString('latin1').match(/[a-z]+\.jpg(?=\.xmp)/gu) ?? [];
      expect([...new Set(names)].sort()).toEqual(['blue.jpg', 'green.jpg', 'red.jpg', 'yellow.jpg']);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
