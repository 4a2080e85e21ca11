// Rotate and crop in a real browser against a real server: the photo page's editor turns the photo (the page then
// shows it turned), crops it by dragging a corner and at a fixed ratio, undoes the last edit and goes back to the
// original — each checked through the API; on a phone the editor fits the screen and its corners take a touch.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { json, startTestServer, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

let server: TestServer;
let browser: Browser;
let id: string;

const photo = async () =>
  (await json(`${server.url}/api/photos/${id}`)).body as {
    edit: { rotate: number; crop: { x: number; y: number; width: number; height: number } | null } | null;
    state: string;
    width: number;
    height: number;
  };
/** The size of the picture the photo page shows now. */
const shown = (page: Page) =>
  page
    .locator('.preview img:not(.preview-lowres)')
    .first()
    .evaluate((node: HTMLImageElement) => ({ width: node.naturalWidth, height: node.naturalHeight }));

beforeAll(async () => {
  server = await startTestServer(withoutFacesOrText());
  browser = await launchBrowser();
  // 1200×800: red on the left, blue on the right
  const left = await sharp({ create: { width: 600, height: 800, channels: 3, background: { r: 220, g: 30, b: 30 } } })
    .png()
    .toBuffer();
  const data = await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 30, g: 30, b: 220 } } })
    .composite([{ input: left, left: 0, top: 0 }])
    .jpeg()
    .toBuffer();
  id = (await upload(server.url, [{ data, name: 'halves.jpg' }])).body.items[0].id;
  await waitForTerminal(server.url, [id]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('the photo editor', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await signedInContext(browser, server, { viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  });
  afterAll(async () => context?.close());

  it('turns, crops, undoes and goes back to the original; the page shows each', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/photos/${id}`);
    await poll(() => shown(page).catch(() => null)).toEqual({ width: 1200, height: 800 });
    // Escape closes the More menu and leaves the photo page where it is (Escape alone goes back from it)
    await page.getByRole('button', { name: 'More' }).click();
    await page.keyboard.press('Escape');
    await poll(() => page.getByTestId('more-menu').isVisible()).toBe(false);
    await page.waitForTimeout(200);
    expect(page.url()).toContain(`/photos/${id}`);
    // a quarter turn to the right
    await page.getByTestId('edit-photo').click();
    const editor = page.getByTestId('photo-editor');
    await poll(() => editor.getByTestId('crop-box').isVisible()).toBe(true);
    await editor.getByTestId('rotate-right').click();
    const stage = (await editor.locator('.editor-stage').boundingBox())!;
    expect(stage.height).toBeGreaterThan(stage.width); // the stage turned with the photo
    await screenshot(page, 'photo-editor-turned.png');
    await editor.getByTestId('edit-save').click();
    await poll(async () => (await photo()).edit).toEqual({ rotate: 90, crop: null });
    await waitForTerminal(server.url, [id]);
    await poll(() => page.getByTestId('photo-status').textContent()).toContain('Edited');
    await poll(() => shown(page).catch(() => null)).toEqual({ width: 800, height: 1200 });
    await poll(() =>
      page
        .locator('.preview')
        .first()
        .evaluate((node) => getComputedStyle(node).getPropertyValue('--ratio').trim()),
    ).toBe(String(800 / 1200));

    // a crop: the bottom-right corner dragged half-way in
    await page.getByTestId('edit-photo').click();
    await poll(() => editor.getByTestId('crop-box').isVisible()).toBe(true);
    const box = (await editor.locator('.editor-stage').boundingBox())!;
    const corner = (await editor.getByTestId('crop-se').boundingBox())!;
    await page.mouse.move(corner.x + corner.width / 2, corner.y + corner.height / 2);
    await page.mouse.down();
    await page.mouse.move(corner.x - box.width / 2, corner.y - box.height / 4, { steps: 6 });
    await page.mouse.up();
    await editor.getByTestId('edit-save').click();
    await poll(async () => (await photo()).edit?.crop?.width ?? 0, { timeout: 10_000 }).toBeGreaterThan(0.45);
    const cropped = (await photo()).edit!;
    expect(cropped.rotate).toBe(90);
    expect(cropped.crop!.width).toBeCloseTo(0.5, 1);
    expect(cropped.crop!.height).toBeCloseTo(0.75, 1);
    expect(cropped.crop).toMatchObject({ x: 0, y: 0 });
    await waitForTerminal(server.url, [id]);
    // the preview is the kept part: its size is the photo's new size (the crop of the turned 800 × 1200)
    const size = await photo();
    expect(size.width).toBe(Math.round(cropped.crop!.width * 800));
    await poll(() => shown(page).catch(() => null)).toEqual({ width: size.width, height: size.height });

    // Undo: the turn alone again
    await page.getByTestId('undo-edit').click();
    await poll(async () => (await photo()).edit).toEqual({ rotate: 90, crop: null });
    await waitForTerminal(server.url, [id]);
    await poll(() => shown(page).catch(() => null)).toEqual({ width: 800, height: 1200 });

    // a square crop, by the ratio (in pixels: 800 × 800 of the turned 800 × 1200)
    await page.getByTestId('edit-photo').click();
    await editor.getByTestId('crop-ratio').selectOption({ label: 'Square' });
    await editor.getByTestId('edit-save').click();
    await poll(async () => (await photo()).width).toBe(800);
    expect((await photo()).height).toBe(800);
    await waitForTerminal(server.url, [id]);

    // back to the original
    await page.getByTestId('edit-photo').click();
    await editor.getByTestId('edit-reset').click();
    await editor.getByTestId('edit-save').click();
    await poll(async () => (await photo()).edit).toBeNull();
    await waitForTerminal(server.url, [id]);
    await poll(() => shown(page).catch(() => null)).toEqual({ width: 1200, height: 800 });
    expect(await photo()).toMatchObject({ width: 1200, height: 800 });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});

describe('the photo editor on a phone', () => {
  it('fits the screen, and a corner dragged by touch crops', async () => {
    const context = await signedInContext(browser, server, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      expect((await json(`${server.url}/api/photos/${id}/edit`, { method: 'DELETE' })).status).toBe(200);
      await waitForTerminal(server.url, [id]);
      const { page, errors } = await openPage(context);
      await page.goto(`${server.url}/photos/${id}`);
      await page.getByTestId('edit-photo').tap();
      const editor = page.getByTestId('photo-editor');
      await poll(() => editor.getByTestId('crop-box').isVisible()).toBe(true);
      const dialog = (await editor.boundingBox())!;
      expect(dialog.x).toBeGreaterThanOrEqual(0);
      expect(dialog.x + dialog.width).toBeLessThanOrEqual(390);
      const save = (await editor.getByTestId('edit-save').boundingBox())!;
      expect(save.y + save.height).toBeLessThanOrEqual(844);
      const handle = (await editor.getByTestId('crop-nw').boundingBox())!;
      expect(handle.width).toBeGreaterThanOrEqual(30); // a thumb's target
      const stage = (await editor.locator('.editor-stage').boundingBox())!;
      const cdp = await context.newCDPSession(page);
      const from = { x: handle.x + handle.width / 2, y: handle.y + handle.height / 2 };
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [from] });
      for (let i = 1; i <= 5; i++) {
        await cdp.send('Input.dispatchTouchEvent', {
          type: 'touchMove',
          touchPoints: [{ x: from.x + (stage.width / 4) * (i / 5), y: from.y + (stage.height / 4) * (i / 5) }],
        });
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await screenshot(page, 'phone-photo-editor.png');
      await editor.getByTestId('edit-save').tap();
      await poll(async () => (await photo()).edit?.crop?.x ?? 0).toBeGreaterThan(0.2);
      expect((await photo()).edit!.crop!.width).toBeCloseTo(0.75, 1);
      await waitForTerminal(server.url, [id]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('the photo editor in every window', () => {
  it('keeps Save and the whole photo on screen at desk and phone sizes, lying and standing', async () => {
    expect((await json(`${server.url}/api/photos/${id}/edit`, { method: 'DELETE' })).status).toBe(200);
    await waitForTerminal(server.url, [id]);
    const windows = [
      { width: 1280, height: 800 },
      { width: 1280, height: 700 },
      { width: 1366, height: 640 },
      { width: 390, height: 844, phone: true },
      { width: 360, height: 640, phone: true },
      { width: 844, height: 390, phone: true },
    ];
    const misses: string[] = [];
    for (const { phone, ...viewport } of windows) {
      const context = await signedInContext(browser, server, { viewport, ...(phone ? { isMobile: true, hasTouch: true } : {}) });
      try {
        const { page, errors } = await openPage(context);
        await page.goto(`${server.url}/photos/${id}`);
        await page.getByTestId('edit-photo').click();
        const editor = page.getByTestId('photo-editor');
        await poll(() => editor.getByTestId('crop-box').isVisible()).toBe(true);
        for (const pose of ['lying', 'standing']) {
          if (pose === 'standing') await editor.getByTestId('rotate-right').click();
          await page.waitForTimeout(100);
          const save = (await editor.getByTestId('edit-save').boundingBox())!;
          const stage = (await editor.locator('.editor-stage').boundingBox())!;
          const where = `${viewport.width}×${viewport.height} ${pose}`;
          if (save.y < 0 || save.y + save.height > viewport.height)
            misses.push(`${where}: Save at ${Math.round(save.y)}–${Math.round(save.y + save.height)} px`);
          if (stage.y < 0 || stage.y + stage.height > viewport.height || stage.x < 0 || stage.x + stage.width > viewport.width)
            misses.push(`${where}: the photo at ${Math.round(stage.y)}–${Math.round(stage.y + stage.height)} px`);
          // as large as the window allows: the full width (a lying photo on a phone), or a good part of the height
          if (stage.width < viewport.width * 0.8 && stage.height < viewport.height * 0.3)
            misses.push(`${where}: the photo only ${Math.round(stage.height)} px tall`);
        }
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }
    expect(misses).toEqual([]);
  }, 90_000);
});

describe('an edit seen from another device', () => {
  it('shows the edited thumbnail there at its next load, not the one it kept', async () => {
    if ((await photo()).edit) {
      expect((await json(`${server.url}/api/photos/${id}/edit`, { method: 'DELETE' })).status).toBe(200);
      await waitForTerminal(server.url, [id]);
    }
    const desk = await signedInContext(browser, server, { viewport: { width: 1280, height: 900 } });
    try {
      const { page, errors } = await openPage(desk);
      const tile = () =>
        page
          .locator(`[data-photo-id="${id}"] img`)
          .first()
          .evaluate((node: HTMLImageElement) => (node.complete && node.naturalWidth > 0 ? { width: node.naturalWidth, height: node.naturalHeight } : null));
      await page.goto(server.url);
      await poll(tile).toEqual({ width: 250, height: 167 });
      // turned on another device (through the API), while this browser holds the landscape thumbnail
      expect((await json(`${server.url}/api/photos/${id}/edit`, { method: 'PUT', json: { rotate: 90 } })).status).toBe(200);
      await waitForTerminal(server.url, [id]);
      await page.reload();
      await poll(tile).toEqual({ width: 167, height: 250 });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await desk.close();
      await json(`${server.url}/api/photos/${id}/edit`, { method: 'DELETE' });
      await waitForTerminal(server.url, [id]);
    }
  }, 60_000);
});
