// Sharing in a real browser: the owner shares an album with another user and makes a link in the share dialog;
// the other user sees it as shared, read-only; a visitor opens the link in a fresh context (password, nothing
// else of the server, the download switch, expiry); and a page from another origin cannot change anything.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, launchBrowser, openPage, poll, screenshot, TEST_ADMIN } from '../helpers/browser.js';
import { assets, json, startTestServer, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

const PHOTOS = ['albums/nature/prairie_falcon.jpg', 'albums/nature/el_torcal_rocks.jpg', 'albums/nature/silver_fir.jpg'].map((p) => path.join(assets, p));
const BOB = { name: 'Bob', email: 'bob@shoebox.test', password: 'bob password long' };

describe('sharing in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let annSession: string;
  let albumId: string;
  let inAlbum: string[];
  let outside: string;
  let foreign: http.Server;
  let foreignUrl: string;

  const as = (session: string) => ({ headers: { cookie: `shoebox_session=${session}`, origin: server.url } });
  const contextFor = async (session: string | null): Promise<BrowserContext> => {
    const context = await browser.newContext({ acceptDownloads: true });
    if (session) await context.addCookies([{ name: 'shoebox_session', value: session, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    return context;
  };

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
    browser = await launchBrowser();
    annSession = await adminSession(server.url);
    const ids = (
      await upload(
        server.url,
        PHOTOS.map((p) => ({ path: p })),
      )
    ).body.items.map((i: { id: string }) => i.id);
    await waitForTerminal(server.url, ids);
    inAlbum = ids.slice(0, 2);
    outside = ids[2];
    albumId = (await json(`${server.url}/api/albums`, { method: 'POST', json: { name: 'Andalusia', photoIds: inAlbum }, ...as(annSession) })).body.id;
    expect((await json(`${server.url}/api/admin/users`, { method: 'POST', json: BOB, ...as(annSession) })).status).toBe(201);
    // a page on another origin of the same site (another port): the browser sends the Lax cookie along
    foreign = http.createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(`<!doctype html><title>evil</title><form id="f" method="POST" action="${server.url}/api/trash/empty"></form>
        <script>
          window.results = {};
          fetch('${server.url}/api/albums/${albumId}', { method: 'DELETE', credentials: 'include', mode: 'no-cors' })
            .then(() => { window.results.fetch = 'sent'; }, () => { window.results.fetch = 'blocked'; });
          fetch('${server.url}/api/photos/delete', { method: 'POST', credentials: 'include', mode: 'no-cors',
            headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ ids: ${JSON.stringify(inAlbum)}, force: true }) })
            .then(() => { window.results.post = 'sent'; }, () => { window.results.post = 'blocked'; });
        </script>`);
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    foreign?.close();
    await server?.dispose();
  });

  it('shares an album with Bob and makes a link from the share dialog', async () => {
    const context = await contextFor(annSession);
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/albums/${albumId}`);
    await page.getByTestId('share-album').click();
    await page.getByTestId('share-user').selectOption({ label: `${BOB.name} (${BOB.email})` });
    await page.getByTestId('share-submit').click();
    await poll(() => page.getByTestId('album-shares').textContent()).toContain('Bob');
    // Bob was the only one: the dialog says so below him, not "no other users" above him
    await poll(() => page.getByTestId('share-nobody-left').textContent()).toBe('Shared with everyone who has an account here.');
    const below = await page.evaluate(() => {
      const list = document.querySelector('[data-testid="album-shares"]')!;
      const note = document.querySelector('[data-testid="share-nobody-left"]')!;
      return Boolean(list.compareDocumentPosition(note) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(below).toBe(true);
    // its pickers are styled like the app's fields (the browser's default select has no rounded border)
    const role = page.getByLabel(`${BOB.name}'s role`);
    expect(await role.evaluate((element) => getComputedStyle(element).borderTopLeftRadius)).toBe('8px');
    expect(await role.evaluate((element) => element.getBoundingClientRect().height)).toBeGreaterThanOrEqual(38);
    await page.getByLabel(/^Password/).fill('visitor pass 1');
    // downloads are off unless ticked; their location is kept only when asked
    const downloads = page.getByLabel('Visitors may download the originals');
    await expect(downloads.isChecked()).resolves.toBe(false);
    await expect(page.getByLabel(/Keep where they were taken/).count()).resolves.toBe(0);
    await downloads.check();
    await expect(page.getByLabel(/Keep where they were taken/).isChecked()).resolves.toBe(false);
    await downloads.uncheck();
    await page.getByTestId('create-link').click();
    await poll(() => page.getByTestId('share-links').locator('li').count()).toBe(1);
    await poll(() => page.getByTestId('share-links').textContent()).toContain('downloads off');
    await screenshot(page, 'sharing-dialog.png');
    await page.getByRole('button', { name: 'Done' }).click();
    await poll(() => page.getByTestId('album-photo-count').textContent()).toContain('shared with 1 person');
    // the dialog, shown only while open, gives the focus back to the button that opened it (it fell to the page)
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('share-album');
    expect(errors).toEqual([]);
    await context.close();
    const links = (await json(`${server.url}/api/shared-links?albumId=${albumId}`, as(annSession))).body.items;
    expect(links).toMatchObject([{ hasPassword: true, allowDownload: false, keepMetadata: false, albumName: 'Andalusia' }]);
  });

  it("shows Bob the album as Ann's, read-only", async () => {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email: BOB.email, password: BOB.password }),
    });
    const bobSession = /shoebox_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
    const context = await contextFor(bobSession);
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/sharing`);
    await poll(() => page.getByTestId('albums-shared-with-me').textContent()).toContain('Andalusia');
    await page.getByTestId('albums-shared-with-me').getByRole('link', { name: 'Andalusia' }).click();
    await poll(() => page.getByTestId('album-owner').textContent()).toContain(`Shared by ${TEST_ADMIN.name}`);
    await expect(page.getByTestId('share-album').count()).resolves.toBe(0);
    await expect(page.getByTestId('delete-album').count()).resolves.toBe(0);
    await poll(() => page.getByTestId('photo-tile').count()).toBe(2);
    await page.goto(`${server.url}/photos/${inAlbum[0]}`);
    await poll(() => page.getByTestId('photo-owner').textContent()).toContain(TEST_ADMIN.name);
    await expect(page.getByTestId('delete').count()).resolves.toBe(0);
    await screenshot(page, 'sharing-recipient-photo.png');

    // Ann shares her whole library with Bob; his "Show in my photos" shows a click at once, holds still while the
    // server answers (slowed here as on a slow host) and never flicks back while the page reloads
    const bobId = ((await (await fetch(`${server.url}/api/auth/me`, { headers: { cookie: `shoebox_session=${bobSession}` } })).json()) as { id: string }).id;
    expect(
      (
        await fetch(`${server.url}/api/partners`, {
          method: 'POST',
          headers: { ...as(annSession).headers, 'content-type': 'application/json' },
          body: JSON.stringify({ userId: bobId }),
        })
      ).status,
    ).toBe(204);
    await page.route('**/api/partners/*', async (route) => {
      if (route.request().method() === 'PATCH') await new Promise((resolve) => setTimeout(resolve, 1000));
      await route.continue();
    });
    await page.goto(`${server.url}/sharing`);
    const inTimeline = page.getByTestId('partners-incoming').getByRole('checkbox', { name: 'Show in my photos' });
    await expect(inTimeline.isChecked()).resolves.toBe(false);
    await inTimeline.check();
    await expect(inTimeline.isDisabled()).resolves.toBe(true);
    await poll(() => inTimeline.isEnabled()).toBe(true);
    await expect(inTimeline.isChecked()).resolves.toBe(true);
    const partners = (await json(`${server.url}/api/partners`, as(bobSession))).body as { sharedWithMe: { inTimeline: boolean }[] };
    expect(partners.sharedWithMe.map((partner) => partner.inTimeline)).toEqual([true]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens the link in a fresh context: password first, the album and nothing else, no downloads, then expiry', async () => {
    const [link] = (await json(`${server.url}/api/shared-links?albumId=${albumId}`, as(annSession))).body.items;
    const context = await contextFor(null);
    const { page, errors } = await openPage(context, { allowConsole: [/401|403|404|410/] });
    await page.goto(`${server.url}${link.path}`);
    await page.getByLabel('Password').fill('a wrong guess');
    await page.getByRole('button', { name: 'Open' }).click();
    await poll(() => page.getByRole('alert').textContent()).toContain('wrong password');
    await page.getByLabel('Password').fill('visitor pass 1');
    await page.getByRole('button', { name: 'Open' }).click();
    await poll(() => page.getByTestId('link-title').textContent()).toBe('Andalusia');
    await poll(() => page.locator('.visit-grid img').count()).toBe(2);
    await page.locator('.visit-grid button').first().click();
    await poll(() => page.getByTestId('visitor-viewer').isVisible()).toBe(true);
    await expect(page.getByTestId('visitor-download').count()).resolves.toBe(0);
    await screenshot(page, 'sharing-visitor.png');
    // the visitor's cookie opens this link's photos, and nothing else of the server
    const reach = await page.evaluate(
      async ({ token, inside, outside }) => {
        const status = async (url: string) => (await fetch(url)).status;
        return {
          inside: await status(`/api/s/${token}/photos/${inside}/preview`),
          original: await status(`/api/s/${token}/photos/${inside}/original`),
          outside: await status(`/api/s/${token}/photos/${outside}/preview`),
          library: await status('/api/photos'),
          photo: await status(`/api/photos/${inside}/thumbnail`),
        };
      },
      { token: link.token, inside: inAlbum[0], outside },
    );
    expect(reach).toEqual({ inside: 200, original: 403, outside: 404, library: 401, photo: 401 });

    // downloads on: the button appears and saves the original
    await json(`${server.url}/api/shared-links/${link.id}`, { method: 'PATCH', json: { allowDownload: true }, ...as(annSession) });
    await page.reload();
    await page.locator('.visit-grid button').first().click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('visitor-download').click()]);
    expect(download.suggestedFilename()).toMatch(/\.jpg$/);

    // expired: the page says so
    await json(`${server.url}/api/shared-links/${link.id}`, {
      method: 'PATCH',
      json: { expiresAt: new Date(Date.now() - 1000).toISOString() },
      ...as(annSession),
    });
    await page.reload();
    await poll(() => page.getByTestId('link-problem').textContent()).toContain('expired');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets no page from another origin change anything, with the signed-in cookie in the browser', async () => {
    const context = await contextFor(annSession);
    const { page } = await openPage(context, { allowConsole: [/./] });
    await page.goto(foreignUrl);
    await poll(() => page.evaluate(() => Object.keys((window as unknown as { results: object }).results).length)).toBe(2);
    // and a plain form post (a top-level navigation from the same site: the cookie goes along) is refused
    const answer = page.waitForResponse((response) => response.url().endsWith('/api/trash/empty'));
    await page.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit());
    expect((await answer).status()).toBe(403);
    await context.close();
    const album = await json(`${server.url}/api/albums/${albumId}`, as(annSession));
    expect(album.status).toBe(200);
    expect(album.body.photoCount).toBe(2);
    for (const id of inAlbum) expect((await json(`${server.url}/api/photos/${id}`, as(annSession))).body.deletedAt).toBeNull();
  });
});
