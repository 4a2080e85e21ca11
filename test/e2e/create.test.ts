// The Create and Catalogue pages in a real browser against a real server and a loopback image generator (the
// OpenAI Images API): the panel naming the setting without a provider, images from a prompt appearing as they are
// made, product shots of a corpus photo with their album, the catalogue edited in place and exported as CSV.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openaiProvider, startImageServer, type ImageServer } from '../helpers/image-server.js';
import { launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { assets, json, startTestServer, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('web app: Create without a provider', () => {
  let server: TestServer;
  let context: BrowserContext;

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
    context = await signedInContext(browser, server, { viewport: { width: 1100, height: 800 } });
  });

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
  });

  it('shows the creation tools nowhere in a library that does not use them, until an admin switches them on', async () => {
    const uploaded = await upload(server.url, [{ path: path.join(assets, 'albums/nature/prairie_falcon.jpg') }]);
    const id = uploaded.body.items[0].id as string;
    await waitForTerminal(server.url, [id]);
    const { page, errors } = await openPage(context);
    const mainRow = (name: string) => page.locator('.app-nav > a').filter({ hasText: name });
    const inMore = (name: string) => page.getByTestId('more-menu').getByRole('link', { name });
    await page.goto(`${server.url}/photos/${id}`);
    await poll(() => page.getByTestId('download').isVisible()).toBe(true);
    await page.waitForTimeout(500); // the server's answer about the tools has come
    expect(await page.getByTestId('edit-photo').count()).toBe(1);
    expect(await page.getByTestId('inspired-action').count()).toBe(0);
    expect(await page.getByTestId('product-shots-action').count()).toBe(0);
    expect(await page.getByText('catalogue', { exact: true }).count()).toBe(0); // the steps table
    expect(await mainRow('Create').count()).toBe(0);
    await page.getByRole('button', { name: 'More' }).click();
    await poll(() => inMore('Trash').count()).toBe(1);
    expect(await inMore('Create').count()).toBe(0);
    expect(await inMore('Catalogue').count()).toBe(0);
    // the admin switches them on in Account → Settings: in the main row at once, or under More by this browser's choice
    await page.goto(`${server.url}/account`);
    expect(await page.getByTestId('creation-tools-choice').count()).toBe(0);
    // a slow server's answer (as on a busy host): the box shows the click at once and holds still until it comes
    await page.route('**/api/admin/creation-tools', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await route.continue();
    });
    await page.getByTestId('creation-tools-switch').check();
    expect(await page.getByTestId('creation-tools-switch').isDisabled()).toBe(true);
    await poll(() => page.getByTestId('creation-tools-switch').isDisabled()).toBe(false);
    expect(await page.getByTestId('creation-tools-switch').isChecked()).toBe(true);
    await poll(() => mainRow('Create').count()).toBe(1);
    await page.reload();
    await poll(() => mainRow('Catalogue').count()).toBe(1);
    await page.getByTestId('creation-tools-choice').selectOption('more');
    await poll(() => mainRow('Create').count()).toBe(0);
    await page.getByRole('button', { name: 'More' }).click();
    await poll(() => inMore('Catalogue').count()).toBe(1);
    await page.getByTestId('creation-tools-choice').selectOption('main');
    await page.goto(`${server.url}/photos/${id}`);
    await poll(() => page.getByTestId('product-shots-action').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a panel naming the setting to add, and no form', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/create`);
    await poll(() => page.getByTestId('create-setup').isVisible()).toBe(true);
    expect(await page.getByTestId('create-setup').textContent()).toContain('SHOEBOX_IMAGE_URL');
    expect(await page.getByTestId('create-form').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('web app: Create and Catalogue', () => {
  let images: ImageServer;
  let server: TestServer;
  let context: BrowserContext;
  let productId: string;

  beforeAll(async () => {
    images = await startImageServer();
    server = await startTestServer({
      ...withoutFacesOrText({
        images: {
          providers: {
            default: openaiProvider(images, { model: 'dall-e-2' }),
          },
          concurrency: 2,
          imagesPerDay: 50,
        },
      }),
      creationTools: true,
    });
    const uploaded = await upload(server.url, [{ path: path.join(assets, 'albums/nature/notocactus_minimus.jpg') }]);
    productId = uploaded.body.items[0].id;
    await waitForTerminal(server.url, [productId]);
    context = await signedInContext(browser, server, { viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  });

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
    await images?.close();
  });

  it('makes images from a prompt; they appear as they finish, each opening as a photo with how it was made', async () => {
    const { page, errors } = await openPage(context);
    // a generator is configured: Create and Catalogue stand in the main row
    await page.goto(server.url);
    await poll(() => page.locator('.app-nav > a').filter({ hasText: 'Create' }).count()).toBe(1);
    expect(await page.locator('.app-nav > a').filter({ hasText: 'Catalogue' }).count()).toBe(1);
    await page.locator('.app-nav > a').filter({ hasText: 'Create' }).click();
    await page.waitForURL('**/create');
    await poll(() => page.getByTestId('create-form').isVisible()).toBe(true);
    expect(await page.getByTestId('create-quota').textContent()).toContain('50 of 50 images left');
    await page.getByTestId('create-prompt').fill('a copper kettle on a blue stove [slow:400]');
    await page.getByTestId('create-size').selectOption('512x512');
    await page.getByTestId('create-count').selectOption('2');
    await page.getByTestId('create-submit').click();
    const job = page.getByTestId('generation-job').first();
    await poll(() => job.getAttribute('data-state'), { timeout: 30_000 }).toBe('completed');
    await poll(() => job.getByTestId('generated-image').count()).toBe(2);
    await screenshot(page, 'shoebox-create.png');
    expect(images.requests.filter((r) => r.prompt.includes('copper kettle')).every((r) => r.size === '512x512')).toBe(true);

    await job.getByTestId('generated-image').first().click();
    await page.waitForURL(/\/photos\//);
    await poll(() => page.getByTestId('provenance-prompt').textContent()).toBe('a copper kettle on a blue stove [slow:400]');

    // a refused prompt says why
    await page.goto(`${server.url}/create`);
    await page.getByTestId('create-prompt').fill('something not allowed [refuse]');
    await page.getByTestId('create-submit').click();
    await poll(() => page.getByTestId('generation-error').first().textContent(), { timeout: 30_000 }).toMatch(/content policy/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('makes product shots from the photo page, then edits the catalogue in place and exports it', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/photos/${productId}`);
    await page.getByTestId('product-shots-action').click();
    await poll(() => page.getByTestId('product-shots-form').isVisible()).toBe(true);
    await page.getByTestId('product-type').selectOption('ring');
    await page.getByTestId('shot-hand').uncheck();
    await page.getByTestId('shot-model').uncheck();
    await page.getByTestId('shot-dimensions').check();
    await page.getByTestId('product-height').fill('21');
    await page.getByTestId('product-width').fill('19');
    await page.getByTestId('product-shots-submit').click();
    const job = page.getByTestId('generation-job').first();
    await poll(() => job.getAttribute('data-state'), { timeout: 30_000 }).toBe('completed');
    await poll(() => job.getByTestId('generated-image').count()).toBe(3);
    const shots = images.requests.filter((r) => r.api === 'edits').map((r) => r.prompt);
    expect(shots.some((p) => p.includes('a ring') && p.includes('white'))).toBe(true);

    await page.goto(`${server.url}/catalogue`);
    await poll(() => page.getByTestId('catalogue-row').count()).toBe(1);
    // each shot's thumbnail once the pipeline has made it (a placeholder until then, never a broken image)
    await poll(() => page.locator('img.catalogue-shot').evaluateAll((imgs) => imgs.filter((img) => (img as HTMLImageElement).naturalWidth > 0).length), {
      timeout: 30_000,
    }).toBe(3);
    const name = page.getByTestId('product-name');
    await poll(() => name.inputValue(), { timeout: 30_000 }).not.toBe('');
    await name.fill('Cactus ring « vert »');
    await name.press('Enter');
    await poll(async () => (await json(`${server.url}/api/products/${productId}`)).body.name).toBe('Cactus ring « vert »');
    await page.getByTestId('product-grade').selectOption('A');
    await poll(async () => (await json(`${server.url}/api/products/${productId}`)).body.qualityGrade).toBe('A');
    await screenshot(page, 'shoebox-catalogue.png');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const file = await download.path();
    const rows = parse(fs.readFileSync(file!), { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ photoId: productId, name: 'Cactus ring « vert »', qualityGrade: 'A', productType: 'ring', heightMm: '21' });
    expect(rows[0]!.shotUrls!.split(' ')).toHaveLength(3);

    // the set's album downloads as a ZIP
    const album = (await json(`${server.url}/api/generate/jobs`)).body.items.find((j: { kind: string }) => j.kind === 'product-shots').albums[productId];
    await page.goto(`${server.url}/albums/${album}`);
    const [zip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('album-zip').click()]);
    expect(zip.suggestedFilename()).toMatch(/product shots\.zip$/);
    expect(fs.statSync((await zip.path())!).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    await page.close();
  });
});
