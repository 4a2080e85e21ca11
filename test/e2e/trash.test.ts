// The trash page in a real browser against a real server: what was deleted and when it goes for good,
// restore a selection, delete one for good, empty the trash — each checked through the API.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { assets, json, startTestServer, upload, waitForTerminal, type TestServer, authFetch, withoutFacesOrText } from '../helpers/server.js';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('web app: trash', () => {
  let server: TestServer;
  let context: BrowserContext;
  let ids: string[] = [];
  const nameOf = new Map<string, string>();

  const trash = async () => {
    const response = await json(`${server.url}/api/trash?limit=500`);
    expect(response.status).toBe(200);
    return response.body as { items: { id: string; deletedAt: string; expiresAt: string | null }[]; total: number; retentionDays: number };
  };
  const trashIds = async () => (await trash()).items.map((item) => item.id).sort();
  const photoStatus = async (id: string) => (await authFetch(`${server.url}/api/photos/${id}`)).status;
  const tiles = (page: Page) => page.locator('[data-testid="trash-grid"] [data-testid="photo-tile"]');
  const tileIds = (page: Page) => tiles(page).evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-photo-id')!));

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
    const natureDir = path.join(assets, 'albums', 'nature');
    const files = readdirSync(natureDir)
      .filter((name) => name.endsWith('.jpg'))
      .sort()
      .slice(0, 6)
      .map((name) => ({ path: path.join(natureDir, name) }));
    const result = await upload(server.url, files);
    expect(result.status).toBe(201);
    ids = result.body.items.map((item: { id: string }) => item.id);
    result.body.items.forEach((item: { id: string; filename: string }) => nameOf.set(item.id, item.filename));
    await waitForTerminal(server.url, ids);
    context = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
  });

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
  });

  it('says what to do when the trash is empty', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/trash`);
    await page.getByTestId('trash-empty').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Trash');
    expect(await page.getByTestId('trash-empty').textContent()).toContain('30 days');
    expect(await page.getByTestId('empty-trash').count()).toBe(0);
    await screenshot(page, 'shoebox-trash-empty.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists trashed photos with when they go for good; restores a selection, deletes one for good, empties the rest', async () => {
    // Four photos to the trash through the API, the way the gallery and the photo page do it.
    const trashed = ids.slice(0, 4);
    for (const id of trashed) expect((await authFetch(`${server.url}/api/photos/${id}`, { method: 'DELETE' })).status).toBe(204);
    const listed = await trash();
    expect(listed.total).toBe(4);
    expect(listed.retentionDays).toBe(30);

    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/trash`);
    await poll(() => tiles(page).count()).toBe(4);
    // the server's order: most recently trashed first
    expect(await tileIds(page)).toEqual(listed.items.map((item) => item.id));
    expect(await page.getByTestId('trash-count').getAttribute('data-value')).toBe('4');
    expect(await page.getByTestId('trash-count').textContent()).toContain('30 days');
    const day = page.getByTestId('trash-day');
    expect(await day.count()).toBe(1);
    expect(await day.locator('h2').textContent()).toBe('Trashed today');
    // deleted for good in 30 days (the earliest of the day's photos)
    const expiry = day.getByTestId('trash-expiry').locator('time');
    expect(await expiry.getAttribute('datetime')).toBe(listed.items.map((item) => item.expiresAt!).sort()[0]);
    expect(await expiry.textContent()).toMatch(/30 days|4 weeks|next month/);
    await screenshot(page, 'shoebox-trash.png');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'shoebox-trash-dark.png');
    await page.emulateMedia({ colorScheme: 'light' });

    // Select the first, shift-click the third: a range of three; restore them.
    const order = await tileIds(page);
    await tiles(page).nth(0).click();
    await tiles(page)
      .nth(2)
      .click({ modifiers: ['Shift'] });
    await poll(() => page.locator('[data-testid="trash-grid"] [data-selected="true"]').count()).toBe(3);
    expect(await page.locator('.trash-select-all').textContent()).toContain('3 selected');
    // a click on a selected photo deselects it: two left
    await tiles(page).nth(1).click();
    await poll(() => page.locator('[data-testid="trash-grid"] [data-selected="true"]').count()).toBe(2);
    expect(page.url()).toBe(`${server.url}/trash`); // selecting, not opening
    await page.getByTestId('restore').click();
    await poll(() => page.getByTestId('trash-notice').textContent()).toContain('Restored 2 photos');
    await poll(() => tileIds(page)).toEqual([order[1], order[3]]);
    expect(await trashIds()).toEqual([order[1]!, order[3]!].sort());
    const library = await json(`${server.url}/api/photos?limit=100`);
    const inLibrary = library.body.items.map((item: { id: string }) => item.id);
    expect(inLibrary).toContain(order[0]);
    expect(inLibrary).toContain(order[2]);
    expect(inLibrary).not.toContain(order[1]);

    // Delete one for good: asks first; Cancel leaves it.
    await tiles(page).nth(0).click();
    await page.getByTestId('delete-selected').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('cannot be undone');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await trashIds()).toEqual([order[1]!, order[3]!].sort());
    await page.getByTestId('delete-selected').click();
    await dialog.getByTestId('confirm').click();
    await poll(() => page.getByTestId('trash-notice').textContent()).toContain('Deleted 1 photo for good');
    await poll(() => tileIds(page)).toEqual([order[3]]);
    expect(await trashIds()).toEqual([order[3]]);
    expect(await photoStatus(order[1]!)).toBe(404);

    // Empty the trash (nothing selected): asks first, then everything goes.
    expect(await page.locator('[data-testid="trash-grid"] [data-selected="true"]').count()).toBe(0);
    await page.getByTestId('empty-trash').click();
    await dialog.waitFor();
    expect(await dialog.locator('h2').textContent()).toBe('Empty the trash?');
    await dialog.getByTestId('confirm').click();
    await page.getByTestId('trash-empty').waitFor();
    expect(await page.getByTestId('trash-notice').textContent()).toContain('deleted 1 photo for good');
    expect((await trash()).total).toBe(0);
    expect(await photoStatus(order[3]!)).toBe(404);
    // the restored ones are still there
    expect(await photoStatus(order[0]!)).toBe(200);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('works at phone width', async () => {
    const id = ids[4]!;
    expect((await authFetch(`${server.url}/api/photos/${id}`, { method: 'DELETE' })).status).toBe(204);
    const phone = await signedInContext(browser, server, { viewport: { width: 375, height: 740 }, colorScheme: 'dark', hasTouch: true, isMobile: true });
    try {
      const { page, errors } = await openPage(phone);
      await page.goto(`${server.url}/trash`);
      await poll(() => tiles(page).count()).toBe(1);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.getByTestId('select-all').check();
      await page.getByTestId('restore').click();
      await page.getByTestId('trash-empty').waitFor();
      expect((await trash()).total).toBe(0);
      expect(await photoStatus(id)).toBe(200);
      await screenshot(page, 'shoebox-trash-phone-dark.png');
      expect(errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
