// Models from the web app, against a loopback server that speaks the Hugging Face hub's file protocol (tree API,
// resolve URLs redirected to a CDN with linked ETags, byte ranges) serving the fixture CLIP model: without a
// model the photos' CLIP steps are skipped and the gallery offers the download; on Settings → Models a download
// shows its progress and can be cancelled, resumes with a Range request, refuses a file whose checksum is wrong,
// and once the model is in place the skipped steps run by themselves.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesFor, getHubModelSpec, modelDir } from '../../src/ml/model-catalogue.js';
import { installFromFolder } from '../../src/ml/registry.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';
import { launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { FakeHub } from '../helpers/fake-hub.js';
import { assets, authFetch, json, startTestServer, tempDir, upload, waitForTerminal, type TestServer } from '../helpers/server.js';
import { folderEntries, makeZip } from '../helpers/zip.js';

const spec = getHubModelSpec('clip-vit-b32');
const recommended = getHubModelSpec('clip-vit-b32-laion2b');
const VISION = 'onnx/vision_model_quantized.onnx';
const TEXT = 'onnx/text_model_quantized.onnx';

let hub: FakeHub;
let endpoint: string;
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let ids: string[];

const embeddings = async () =>
  Promise.all(ids.map(async (id) => ((await json(`${server.url}/api/photos/${id}`)).body.steps.embeddings as { status: string }).status));
const card = () => context.pages()[0]!.locator('[data-model="clip-vit-b32"]');

beforeAll(async () => {
  const { clipDir, openClipDir } = await ensureFixtureModels();
  const files = new Map<string, Buffer>();
  for (const file of filesFor(spec, 'q8')) files.set(file, await readFile(path.join(clipDir, file)));
  const openClipFiles = new Map<string, Buffer>();
  for (const file of filesFor(recommended)) openClipFiles.set(file, await readFile(path.join(openClipDir, file)));
  hub = new FakeHub(spec.repo, files).serve(recommended.repo, openClipFiles);
  endpoint = await hub.start();
  server = await startTestServer({ ml: { hubEndpoint: endpoint } });
  browser = await launchBrowser();
  context = await signedInContext(browser, server, { viewport: { width: 1280, height: 900 } });
  const uploaded = await upload(
    server.url,
    ['albums/nature/prairie_falcon.jpg', 'albums/nature/silver_fir.jpg'].map((p) => ({ path: path.join(assets, p) })),
  );
  ids = uploaded.body.items.map((item: { id: string }) => item.id);
  await waitForTerminal(server.url, ids);
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.dispose();
  await hub?.stop();
});

describe('models from the web app', () => {
  it('holds the offer back when the page was pressed before it came (it would move what is under the finger), and shows it on the next visit', async () => {
    const { page, errors } = await openPage(context);
    // a loaded host: the model list answers late
    await page.route('**/api/models', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue().catch(() => undefined);
    });
    const answered = page.waitForResponse('**/api/models');
    await page.goto(server.url);
    await poll(() => page.getByTestId('photo-tile').count()).toBe(2);
    await page.dispatchEvent('body', 'pointerdown', { pointerType: 'touch' });
    await answered;
    await new Promise((resolve) => setTimeout(resolve, 300)); // the answer's rendering
    expect(await page.getByTestId('model-offer').count()).toBe(0);
    await page.unroute('**/api/models');
    await page.goto(server.url);
    await poll(() => page.getByTestId('model-offer').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('offers the model, downloads it with progress, cancels, resumes, refuses a bad file, then fills in the skipped steps', async () => {
    expect(await embeddings()).toEqual(['skipped', 'skipped']);
    const { page, errors } = await openPage(context, { allowConsole: [/status of 409/] });
    await page.goto(server.url);
    await poll(() => page.getByTestId('model-offer').isVisible()).toBe(true);
    // the recommended model is offered (the configured clip-vit-b32 is not pinned by SHOEBOX_CLIP_MODEL here)
    expect(await page.getByTestId('model-offer').textContent()).toContain('clip-vit-b32-laion2b');
    expect(hub.seen).toEqual([]); // offered, not fetched

    // Settings → Models, through More
    await page.getByRole('button', { name: 'More' }).click();
    await page.getByTestId('more-menu').getByRole('link', { name: 'Models' }).click();
    await page.waitForURL('**/settings/models');
    await poll(() => card().getByTestId('model-install').isVisible()).toBe(true);
    expect(await page.getByTestId('model-recommended').count()).toBe(1);
    expect(await page.locator(`[data-model="${recommended.name}"]`).getByTestId('model-recommended').isVisible()).toBe(true);

    // another model than the recommended one, chosen here: a download that stalls part-way: its progress shows, and Cancel stops it with what arrived kept
    hub.faults = { stallAfter: { file: VISION, bytes: 4096 } };
    await card().getByTestId('model-install').click();
    await poll(() => card().getByTestId('model-downloading').isVisible()).toBe(true);
    await poll(() => card().getByTestId('model-downloading').textContent(), { timeout: 5_000 }).toContain(VISION);
    await screenshot(page, 'models-downloading.png');
    await card().getByTestId('model-cancel').click();
    await poll(() => card().getByTestId('model-install').textContent()).toContain('Resume download');
    const partial = path.join(modelDir(server.dataDir, spec.name), `${VISION}.partial`);
    expect(existsSync(partial)).toBe(true);

    // resumed: the stalled file continues from where it stopped (a byte range); then a file whose bytes do not
    // match the hub's sha256 is refused, and nothing is installed
    const text = await readFile(path.join((await ensureFixtureModels()).clipDir, TEXT));
    hub.seen.length = 0;
    hub.faults = { corrupt: { file: TEXT, data: Buffer.from(text.map((byte, i) => (i === 100 ? byte ^ 0xff : byte))) } };
    await card().getByTestId('model-install').click();
    await poll(() => card().getByTestId('model-install-error').textContent(), { timeout: 30_000 }).toMatch(/sha256|checksum/i);
    expect(hub.seen.some((seen) => seen.url.endsWith(encodeURIComponent(VISION)) && /^bytes=[1-9]\d*-$/.test(seen.range ?? '') && seen.status === 206)).toBe(
      true,
    );
    expect(existsSync(partial)).toBe(false);
    expect((await json(`${server.url}/api/models`)).body.items.find((m: { name: string }) => m.name === spec.name).installed).toBe(false);

    // once more with a good file: installed
    hub.reset();
    await card().getByTestId('model-install').click();
    await poll(() => card().getByTestId('model-installed-note').isVisible(), { timeout: 30_000 }).toBe(true);
    await screenshot(page, 'models-installed.png');

    // the steps skipped for want of it run by themselves
    await poll(embeddings, { timeout: 60_000 }).toEqual(['done', 'done']);
    await page.goto(server.url);
    await page.waitForTimeout(800);
    expect(await page.getByTestId('model-offer').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 150_000);

  it('says which model it does not know, and keeps the one in use', async () => {
    const unknown = await json(`${server.url}/api/models/no-such-model/install`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/unknown model "no-such-model"/);
    const bundled = await json(`${server.url}/api/models/faces/install`, { method: 'POST' });
    expect(bundled.status).toBe(409);
    expect(bundled.body.message).toMatch(/ships with Shoebox/);
    expect((await json(`${server.url}/api/models/clip-vit-b32`, { method: 'DELETE' })).status).toBe(409); // in use
  });
});

describe('unattended installs', () => {
  it('downloads the models SHOEBOX_MODELS_INSTALL names at start, and analyses the photos with them', async () => {
    hub.reset();
    const unattended = await startTestServer({ ml: { hubEndpoint: endpoint, installModels: ['clip-vit-b32'] } });
    try {
      const id = (await upload(unattended.url, [{ path: path.join(assets, 'albums/nature/prairie_falcon.jpg') }])).body.items[0].id as string;
      await poll(async () => (await json(`${unattended.url}/api/models`)).body.items.find((m: { name: string }) => m.name === 'clip-vit-b32').installed, {
        timeout: 30_000,
      }).toBe(true);
      await poll(async () => (await json(`${unattended.url}/api/photos/${id}`)).body.steps.embeddings.status, { timeout: 60_000 }).toBe('done');
      expect(hub.seen.some((seen) => seen.url.includes('/resolve/main/'))).toBe(true);
    } finally {
      await unattended.dispose();
    }
  }, 120_000);
});

describe('a download the server stopped during', () => {
  it('is offered in the gallery as interrupted, with Resume, after a restart (not "Downloading…" for ever), and resumes', async () => {
    hub.reset();
    const dataDir = tempDir();
    let running = await startTestServer({ dataDir, ml: { hubEndpoint: endpoint } });
    const port = Number(new URL(running.url).port);
    const signedIn = await signedInContext(browser, running, { viewport: { width: 1280, height: 900 } });
    try {
      // the download stalls in its first weights file, some of it kept
      hub.faults = { stallAfter: { file: 'visual/model.onnx', bytes: 4096 } };
      expect((await json(`${running.url}/api/models/${recommended.name}/install`, { method: 'POST' })).status).toBe(202);
      const partial = path.join(modelDir(dataDir, recommended.name), 'visual/model.onnx.partial');
      await poll(() => existsSync(partial), { timeout: 10_000 }).toBe(true);
      const { page, errors } = await openPage(signedIn, { allowConsole: [/Failed to load resource/, /ERR_CONNECTION_REFUSED/] });
      await page.goto(running.url);
      await poll(() => page.getByTestId('model-offer-downloading').isVisible()).toBe(true);
      // Settings → Models, open beside it, follows the same download
      const settings = await openPage(signedIn, { allowConsole: [/Failed to load resource/, /ERR_CONNECTION_REFUSED/] });
      await settings.page.goto(`${running.url}/settings/models`);
      await poll(() => settings.page.getByTestId('model-downloading').isVisible()).toBe(true);

      // the server stops and starts again (the same address): the open gallery follows it to what is left
      await running.close();
      // down longer than the gallery's 2-second follow: at least one of its asks finds no server, and it asks again
      await new Promise((resolve) => setTimeout(resolve, 2500));
      running = await startTestServer({ dataDir, port, ml: { hubEndpoint: endpoint } });
      const install = (await json(`${running.url}/api/models`)).body.items.find((m: { name: string }) => m.name === recommended.name).install;
      expect(install).toMatchObject({ state: 'interrupted', file: 'visual/model.onnx', fileIndex: 6, fileCount: 7 });
      expect(install.receivedBytes).toBeGreaterThan(0);
      await poll(() => page.getByTestId('model-offer-interrupted').isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await page.getByTestId('model-offer-install').textContent()).toBe('Resume download');
      await poll(() => settings.page.getByTestId('model-interrupted').isVisible(), { timeout: 10_000 }).toBe(true);
      expect(settings.errors).toEqual([]);
      await settings.page.close();
      // a page opened now says the same
      await page.reload();
      await poll(() => page.getByTestId('model-offer-interrupted').isVisible()).toBe(true);

      // resumed: the stalled file goes on from its bytes, and the model is in place
      hub.reset();
      hub.seen.length = 0;
      await page.getByTestId('model-offer-install').click();
      await poll(() => page.getByTestId('model-offer-arrived').isVisible(), { timeout: 60_000 }).toBe(true);
      expect(
        hub.seen.some(
          (seen) => seen.url.endsWith(encodeURIComponent('visual/model.onnx')) && /^bytes=[1-9]\d*-$/.test(seen.range ?? '') && seen.status === 206,
        ),
      ).toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await signedIn.close();
      await running.dispose();
    }
  }, 120_000);
});

describe('the first-run set-up', () => {
  it('offers the missing CLIP model unticked, fetches nothing until the admin ticks it, then downloads it', async () => {
    hub.reset();
    const fresh = await startTestServer({ ml: { hubEndpoint: endpoint } });
    const anonymous = await browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const status = await json(`${fresh.url}/api/auth/status`, { anonymous: true });
      expect(status.body).toMatchObject({ setupRequired: true, offeredModels: [{ name: recommended.name, sizeBytes: recommended.approxBytes.fp32 }] });
      // a name the set-up may not download is refused before the admin is created
      const origin = { origin: fresh.url };
      const refused = await json(`${fresh.url}/api/auth/setup`, {
        method: 'POST',
        anonymous: true,
        headers: origin,
        json: { name: 'Ada', email: 'ada@example.com', password: 'correct horse battery', installModels: ['faces'] },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/ships with Shoebox/);
      expect((await json(`${fresh.url}/api/auth/status`, { anonymous: true })).body.setupRequired).toBe(true);

      // the gallery's first data, asked for by index.html before the app knows nobody is signed in, answers 401
      const { page, errors } = await openPage(anonymous, { allowConsole: [/status of 401/] });
      await page.goto(fresh.url);
      const offer = page.getByTestId('setup-models');
      await poll(() => offer.isVisible()).toBe(true);
      expect(await offer.textContent()).toMatch(/clip-vit-b32-laion2b.*MB.*search by meaning/);
      // one size, as the catalogue, `shoebox models list` and the docs write it (it said 581 MB here, 609 MB there)
      expect(await offer.textContent()).toContain('about 609 MB');
      expect(await offer.getByRole('checkbox').isChecked()).toBe(false);
      // an empty library: nothing is said to "become yours"
      expect(status.body.photosBeforeSetUp).toBe(0);
      expect(await page.getByTestId('setup-intro').textContent()).toBe('Create the admin account.');
      await screenshot(page, 'setup-models.png');
      expect(hub.seen).toEqual([]); // offered, not fetched

      await page.getByLabel('Name').fill('Ada');
      await page.getByLabel('Email').fill('ada@example.com');
      await page.getByLabel('Password').fill('correct horse battery');
      await offer.getByRole('checkbox').check();
      // what the library is for: a family's by default; a shop's brings the creation tools
      const purpose = page.getByTestId('setup-purpose');
      expect(await purpose.getByLabel('Family photos').isChecked()).toBe(true);
      await purpose.getByLabel('Products and catalogue').check();
      // the hub refuses its first file: the download fails before a byte arrives
      hub.faults = { missing: 'config.json' };
      await page.getByRole('button', { name: 'Create the admin and sign in' }).click();
      await poll(() => page.locator('.app-header').isVisible(), { timeout: 30_000 }).toBe(true);
      await poll(() => page.locator('.app-nav > a').filter({ hasText: 'Catalogue' }).count()).toBe(1);
      // the failure is told where the download was started (the gallery's offer had said "Downloading…" for ever),
      // with the ways on: again, a zip of the folder, the CLI; nothing arrived, so nothing to "resume"
      const failure = page.getByTestId('model-offer').getByTestId('model-install-failure');
      await poll(() => failure.isVisible(), { timeout: 30_000 }).toBe(true);
      expect(await failure.getByTestId('model-install-error').textContent()).toMatch(/clip-vit-b32-laion2b failed: .*config\.json/);
      expect(await failure.getByTestId('model-offline-route').textContent()).toContain(`shoebox models pull ${recommended.name} --from ./${recommended.name}`);
      expect(await failure.getByTestId('model-archive').isVisible()).toBe(true);
      expect(await page.getByTestId('model-offer-install').textContent()).toBe('Try again');
      await screenshot(page, 'setup-model-failed.png');
      hub.reset();
      await page.getByTestId('model-offer-install').click();
      // signed in (the library shows), and the model downloads
      await poll(async () => (await json(`${fresh.url}/api/models`)).body.items.find((m: { name: string }) => m.name === recommended.name).installed, {
        timeout: 60_000,
      }).toBe(true);
      expect(hub.seen.some((seen) => seen.url.startsWith(`/${recommended.repo}/resolve/main/`))).toBe(true);
      await poll(() => page.getByTestId('model-offer-arrived').isVisible(), { timeout: 30_000 }).toBe(true);
      // and it is the model search uses: nothing more for the admin to do
      await poll(async () => (await json(`${fresh.url}/api/models`)).body.clip).toEqual({ model: recommended.name, pinned: false });
      expect((await json(`${fresh.url}/api/auth/status`, { anonymous: true })).body).toMatchObject({ setupRequired: false, offeredModels: [] });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await anonymous.close();
      await fresh.dispose();
    }
  }, 120_000);
});

describe('a model from a zip, for a machine that cannot reach the hub', () => {
  it('sends the archive from Settings → Models, refuses a wrong one with the reason, installs a right one', async () => {
    hub.reset();
    const offline = await startTestServer({ ml: { hubEndpoint: endpoint } });
    const signedIn = await signedInContext(browser, offline, { viewport: { width: 1280, height: 900 } });
    try {
      const id = (await upload(offline.url, [{ path: path.join(assets, 'albums/nature/prairie_falcon.jpg') }])).body.items[0].id as string;
      await waitForTerminal(offline.url, [id]);
      const { page, errors } = await openPage(signedIn, { allowConsole: [/status of 400/] });
      await page.goto(`${offline.url}/settings/models`);
      const clip = page.locator('[data-model="clip-vit-b32"]');
      await poll(() => clip.getByTestId('model-archive').isVisible()).toBe(true);

      // a zip of something else: refused with the reason, nothing installed
      await clip.getByTestId('model-archive-file').setInputFiles({
        name: 'photos.zip',
        mimeType: 'application/zip',
        buffer: await makeZip([{ name: 'IMG_0001.jpg', data: Buffer.from('not a model') }]),
      });
      await poll(() => page.getByRole('alert').first().textContent()).toMatch(
        /holds no config\.json: it is not a zip of the Xenova\/clip-vit-base-patch32 folder/,
      );
      expect(await clip.getAttribute('data-installed')).toBe('false');

      // the model's folder, zipped inside a folder of its own
      const archive = await makeZip(await folderEntries((await ensureFixtureModels()).clipDir, 'clip-vit-base-patch32/'));
      await clip.getByTestId('model-archive-file').setInputFiles({ name: 'clip-vit-base-patch32.zip', mimeType: 'application/zip', buffer: archive });
      await poll(() => clip.getByTestId('model-installed-note').isVisible(), { timeout: 30_000 }).toBe(true);
      expect(await clip.getAttribute('data-installed')).toBe('true');
      await screenshot(page, 'models-from-archive.png');
      // the photo's skipped steps run with it, and nothing was asked of the hub
      await poll(async () => (await json(`${offline.url}/api/photos/${id}`)).body.steps.embeddings.status, { timeout: 60_000 }).toBe('done');
      expect(hub.seen).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await signedIn.close();
      await offline.dispose();
    }
  }, 120_000);

  it('refuses an archive from anyone but an admin, and a body that is not a form', async () => {
    const notForm = await json(`${server.url}/api/models/clip-vit-b16/archive`, { method: 'POST', json: {} });
    expect(notForm.status).toBe(415);
    const bundled = await authFetch(`${server.url}/api/models/faces/archive`, { method: 'POST', body: new FormData() });
    expect(bundled.status).toBe(409);
    const anonymous = await json(`${server.url}/api/models/clip-vit-b16/archive`, { method: 'POST', anonymous: true, json: {} });
    expect([401, 403]).toContain(anonymous.status);
  });
});

describe('faces and OCR turned off by a setting', () => {
  it('marks their models "turned off" with the setting, not "in use"; CLIP is not marked', async () => {
    const off = await startTestServer({ ml: { hubEndpoint: endpoint, faces: 'off', ocrEngine: 'off' } });
    const signedIn = await signedInContext(browser, off, { viewport: { width: 1280, height: 900 } });
    try {
      const { page, errors } = await openPage(signedIn);
      await page.goto(`${off.url}/settings/models`);
      const faces = page.locator('[data-model="faces"]');
      await poll(() => faces.getByTestId('model-turned-off').isVisible()).toBe(true);
      expect(await faces.textContent()).toContain('Face recognition is turned off (SHOEBOX_FACES=off).');
      expect(await faces.textContent()).not.toContain('in use');
      const ocr = page.locator('[data-model="ocr-ppocr-v4"]');
      expect(await ocr.getByTestId('model-turned-off').isVisible()).toBe(true);
      expect(await ocr.textContent()).toContain('SHOEBOX_OCR_ENGINE=off');
      expect(await page.locator('[data-model="clip-vit-b32"]').getByTestId('model-turned-off').count()).toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await signedIn.close();
      await off.dispose();
    }
  }, 60_000);
});

describe('switching the CLIP model', () => {
  it('uses another installed CLIP model from Settings → Models, and analyses the photos again with it', async () => {
    await installFromFolder(server.dataDir, 'clip-multilingual', (await ensureFixtureModels()).multilingualDir);
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/settings/models`);
    const multilingual = page.locator('[data-model="clip-multilingual"]');
    await poll(() => multilingual.getByTestId('model-use').isVisible()).toBe(true);
    expect(await page.locator('[data-model="clip-vit-b32"]').getByTestId('model-in-use-note').textContent()).toMatch(/use another CLIP model first/);
    page.once('dialog', (dialog) => void dialog.accept());
    await multilingual.getByTestId('model-use').click();
    await poll(() => multilingual.getByTestId('model-in-use-note').isVisible()).toBe(true);
    expect(await page.locator('[data-model="clip-vit-b32"]').getByTestId('model-use').isVisible()).toBe(true);
    await screenshot(page, 'models-switched.png');
    await poll(async () => (await json(`${server.url}/api/photos/${ids[0]}`)).body.steps.embeddings.version ?? '', { timeout: 60_000 }).toMatch(
      /clip-multilingual@/,
    );
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
