// Settings → Libraries in a real browser: add a folder in place, watch its scan finish, see its photos in the
// gallery, a deleted file's photo greyed as offline, allowed folders for the admin, and remove the library.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { assets, json, startTestServer, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('web app: libraries in place', () => {
  let server: TestServer;
  let context: BrowserContext;
  let root: string;
  let folder: string;

  beforeAll(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-e2e-library-')));
    folder = path.join(root, 'Holidays');
    fs.mkdirSync(folder);
    fs.copyFileSync(path.join(assets, 'formats/jpg/el_torcal_rocks.jpg'), path.join(folder, 'rocks.jpg'));
    fs.copyFileSync(path.join(assets, 'formats/webp/denali.webp'), path.join(folder, 'denali.webp'));
    fs.writeFileSync(path.join(folder, 'broken.jpg'), 'not a photo');
    server = await startTestServer(withoutFacesOrText({ libraryRoots: [root], librarySettleMs: 0, libraryWatch: 'off' }));
    context = await signedInContext(browser, server, { viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
  });

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('adds a folder, shows its scan and refused file, greys an offline photo, and removes the library', async () => {
    // the refused folder answers 403, which the browser logs
    const { page, errors } = await openPage(context, { allowConsole: [/status of 403/] });
    await page.goto(`${server.url}/account`);
    await page.getByRole('link', { name: 'Libraries in place' }).click();
    await expect.poll(() => page.url()).toContain('/settings/libraries');
    await expect.poll(() => page.getByText(`Folders inside ${root} can be added.`).count()).toBe(1);
    // a folder outside the allowed ones is refused with why
    await page.getByLabel('Folders (one per line)').fill('/etc');
    await page.getByRole('button', { name: 'Add and scan' }).click();
    await poll(() => page.getByRole('alert').first().textContent()).toMatch(/outside the folders allowed/);
    await page.getByLabel('Folders (one per line)').fill(folder);
    await page.getByRole('button', { name: 'Add and scan' }).click();
    const card = page.getByTestId('library');
    await poll(() => card.getByTestId('library-scan').textContent()).toMatch(/Last scan .*: 3 files, 2 new/);
    await poll(() => card.textContent()).toMatch(/2 photos · 1 file refused/);
    await card.getByRole('button', { name: 'Show files with problems' }).click();
    await poll(() => card.getByRole('list', { name: 'Files with problems' }).textContent()).toMatch(/broken\.jpg — not a supported photo or video/);
    await screenshot(page, 'shoebox-libraries.png');

    // the photos in the gallery; one whose file went is greyed
    const photos = (await json(`${server.url}/api/photos?limit=10`)).body.items as { id: string; filename: string }[];
    await waitForTerminal(
      server.url,
      photos.map((photo) => photo.id),
    );
    fs.rmSync(path.join(folder, 'denali.webp'));
    await card.getByRole('button', { name: 'Scan now' }).click();
    await poll(() => card.textContent()).toMatch(/1 offline/);
    const denali = photos.find((photo) => photo.filename === 'denali.webp')!;
    await page.goto(`${server.url}/`);
    await poll(() => page.locator(`[data-photo-id="${denali.id}"]`).getAttribute('data-offline')).toBe('true');
    await page.goto(`${server.url}/photos/${denali.id}`);
    await poll(() => page.getByTestId('photo-offline').count()).toBe(1);

    // removed from Shoebox: the files stay
    await page.goto(`${server.url}/settings/libraries`);
    await page.getByRole('button', { name: 'Remove' }).first().click();
    await page.getByRole('button', { name: 'Remove from Shoebox' }).click();
    await poll(() => page.getByText('No library in place yet.').count()).toBe(1);
    expect(fs.readdirSync(folder).sort()).toEqual(['broken.jpg', 'rocks.jpg']);
    expect((await json(`${server.url}/api/photos?limit=10`)).body.items).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
