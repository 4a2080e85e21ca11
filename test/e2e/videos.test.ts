// Videos in a real browser (Debian's Chromium) against a real server, at desk and phone sizes: a clip's tile
// shows its length and plays under a resting mouse; on its page the browser's player plays it (its time advances) and seeks with byte ranges;
// a clip browsers cannot play as it is (HEVC) plays from its transcoded copy; a motion photo's video — a Samsung's,
// and an Apple Live Photo's MOV — plays over its still with the Motion button.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireVideoTools } from '../../src/media/video/tools.js';
import { livePhoto, testClips } from '../helpers/clips.js';
import { launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { assets, json, startTestServer, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

let server: TestServer;
let browser: Browser;
const ids: Record<string, string> = {};
/** A clip whose visitors' copy is refused (kept out of `ids`: every test but the sharing one goes through those). */
let refusedClip: string;

/**
 * H.264 with Opus sound in an MP4, which browsers play as it is: npm's ffmpeg (4.1) writes Opus into an MP4 only when
 * told to (-strict experimental), so the visitor's copy, a plain remux, is refused, as the integration test's PCM is.
 */
async function opusClip(dir: string): Promise<string> {
  const { ffmpeg, env } = await requireVideoTools();
  const file = path.join(dir, 'opus.mp4');
  const source = ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=1', '-f', 'lavfi', '-i', 'sine=duration=1'];
  const codecs = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'libopus', '-strict', 'experimental'];
  await promisify(execFile)(ffmpeg, ['-v', 'error', '-y', ...source, ...codecs, '-metadata', 'location=+38.7223-009.1393/', file], { env });
  return file;
}

beforeAll(async () => {
  const clips = await testClips();
  server = await startTestServer(withoutFacesOrText({ video: { maxHeight: 240 } }));
  const live = await livePhoto('IMG_0606', '1A2B3C4D-0000-4000-8000-000000000606');
  // stills of the Live Photo's 4:3, standing, and a panorama: every kind of item shares one stage
  const stills = await Promise.all(
    [
      ['still.jpg', 4032, 3024],
      ['portrait.jpg', 3024, 4032],
      ['panorama.jpg', 8000, 2000],
    ].map(async ([name, width, height]) => {
      const file = path.join(path.dirname(clips.mp4), name as string);
      await sharp({ create: { width: width as number, height: height as number, channels: 3, background: '#4a7' } })
        .jpeg()
        .toFile(file);
      return file;
    }),
  );
  const files = [clips.mp4, clips.hevcMov, path.join(assets, 'formats/motionphoto/samsung-one-ui-6.heic'), live.still, ...stills, await opusClip(clips.dir)];
  const uploaded = await upload(
    server.url,
    files.map((file) => ({ path: file })),
  );
  for (const item of uploaded.body.items as { id: string; filename: string }[]) ids[item.filename] = item.id;
  await waitForTerminal(server.url, Object.values(ids));
  refusedClip = ids['opus.mp4']!;
  delete ids['opus.mp4'];
  // the Live Photo's MOV after its still: folded into it, its motion made playable
  expect((await upload(server.url, [{ path: live.mov }])).status).toBe(201);
  for (const deadline = Date.now() + 60_000; ; await new Promise((resolve) => setTimeout(resolve, 200))) {
    if ((await json(`${server.url}/api/photos/${ids['IMG_0606.HEIC']}`)).body.steps.transcode.status === 'done') break;
    if (Date.now() > deadline) throw new Error('the Live Photo did not become one item with its motion playable');
  }
  await waitForTerminal(server.url, [ids['IMG_0606.HEIC']!]);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

/** Plays the page's video muted (as a browser lets a page do without a click) and answers how far it got. */
/** A finger put on the element's middle and kept there past a long press; the function returned lifts it. */
async function pressAndHold(page: Page, target: Locator): Promise<() => Promise<void>> {
  // where the tile is once the page has settled (a banner arriving late on a loaded host moves the grid)
  await page.waitForLoadState('networkidle');
  const box = (await target.boundingBox())!;
  const cdp = await page.context().newCDPSession(page);
  const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
  await new Promise((resolve) => setTimeout(resolve, 700));
  return async () => {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
  };
}

async function playFor(page: Page, ms: number): Promise<number> {
  return page.evaluate(async (wait) => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="video-player"]')!;
    video.muted = true;
    await video.play();
    await new Promise((resolve) => setTimeout(resolve, wait));
    video.pause();
    return video.currentTime;
  }, ms);
}

for (const [size, viewport] of [
  ['desk', { width: 1280, height: 900 }],
  ['phone', { width: 390, height: 844 }],
] as const) {
  describe(`videos on a ${size}`, () => {
    let context: BrowserContext;
    beforeAll(async () => {
      context = await signedInContext(browser, server, { viewport, ...(size === 'phone' ? { isMobile: true, hasTouch: true } : {}) });
    });
    afterAll(async () => context?.close());

    it('draws every kind of item — still, Live, motion, video, standing, panorama — as large as the stage allows', async () => {
      const { page, errors } = await openPage(context);
      const drawn: Record<string, { width: number; expected: number }> = {};
      for (const [name, id] of Object.entries(ids)) {
        await page.goto(`${server.url}/photos/${id}`);
        await poll(() => page.locator('.photo-stage figure.preview').count()).toBe(1);
        // the stage's rule: as wide as the stage, as tall as the window lets it be, never larger than the original
        drawn[name] = await page.locator('.photo-stage figure.preview').evaluate((figure: HTMLElement) => {
          const stage = figure.closest<HTMLElement>('.photo-stage')!;
          const padding = getComputedStyle(stage);
          const stageWidth = stage.clientWidth - parseFloat(padding.paddingLeft) - parseFloat(padding.paddingRight);
          const probe = document.createElement('div');
          probe.style.height = 'var(--max-h)';
          figure.append(probe);
          const maxHeight = probe.getBoundingClientRect().height;
          probe.remove();
          const ratio = Number(figure.style.getPropertyValue('--ratio'));
          const natural = parseFloat(figure.style.getPropertyValue('--natural-w')) || Infinity;
          return { width: Math.round(figure.getBoundingClientRect().width), expected: Math.round(Math.min(stageWidth, maxHeight * ratio, natural)) };
        });
      }
      for (const [name, { width, expected }] of Object.entries(drawn))
        expect(Math.abs(width - expected), `${name}: ${width} px, the stage gives ${expected}`).toBeLessThanOrEqual(2);
      // the Live Photo and the still of the same size are drawn alike
      expect(drawn['IMG_0606.HEIC']!.width).toBe(drawn['still.jpg']!.width);
      expect(drawn['still.jpg']!.width).toBeGreaterThan(size === 'desk' ? 600 : 300);
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);

    it("shows a clip's length on its tile, plays it on its page and seeks anywhere at once", async () => {
      const { page, errors } = await openPage(context);
      await page.goto(server.url);
      const tile = page.locator(`[data-testid="photo-tile"][data-photo-id="${ids['lisbon.mp4']}"]`);
      // three clips (opus.mp4 among them) among eight items: before, "8 photos"
      await poll(() => page.getByTestId('library-counts').textContent()).toContain('5 photos and 3 videos');
      await poll(() => tile.getByTestId('tile-video').textContent()).toContain('0:02');
      if (size === 'desk') {
        // resting the mouse on the tile plays it there, muted; leaving it stops
        await tile.hover();
        const preview = tile.getByTestId('tile-preview');
        await poll(() => preview.count()).toBe(1);
        await poll(() => preview.evaluate((video: HTMLVideoElement) => video.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.1);
        expect(await preview.evaluate((video: HTMLVideoElement) => video.muted)).toBe(true);
        await page.mouse.move(0, 0);
        await poll(() => tile.getByTestId('tile-preview').count()).toBe(0);
      } else {
        // a finger resting on the tile selects it (as on every tile) and plays the clip, muted, until it lifts
        const lift = await pressAndHold(page, tile);
        const preview = tile.getByTestId('tile-preview');
        await poll(() => preview.count()).toBe(1);
        await poll(() => preview.evaluate((video: HTMLVideoElement) => video.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.1);
        expect(await preview.evaluate((video: HTMLVideoElement) => video.muted)).toBe(true);
        expect(await tile.getAttribute('data-selected')).toBe('true');
        expect(await page.getByTestId('selection-count').textContent()).toBe('1 video selected'); // before: "1 photo selected"
        await lift();
        await poll(() => tile.getByTestId('tile-preview').count()).toBe(0);
        expect(page.url()).toBe(`${server.url}/`); // the press opened nothing
        await page.goto(server.url); // out of selection mode
      }
      await tile.click();
      await page.waitForURL(`**/photos/${ids['lisbon.mp4']}`);
      const player = page.getByTestId('video-player');
      await poll(() => player.evaluate((video: HTMLVideoElement) => video.readyState)).toBeGreaterThanOrEqual(1);
      expect(await player.evaluate((video: HTMLVideoElement) => Math.round(video.duration))).toBe(2);
      expect(await playFor(page, 600)).toBeGreaterThan(0.2);
      // a seek near the end is answered at once from a byte range
      const seeked = await player.evaluate(
        (video: HTMLVideoElement) =>
          new Promise<number>((resolve) => {
            video.addEventListener('seeked', () => resolve(video.currentTime), { once: true });
            video.currentTime = 1.6;
          }),
      );
      expect(seeked).toBeCloseTo(1.6, 1);
      expect(await page.getByTestId('edit-photo').count()).toBe(0); // a video is not rotated or cropped
      await poll(() => page.locator('[data-field="video"]').textContent()).toMatch(/0:02.*H264.*AAC.*25 fps/);
      await screenshot(page, `video-${size}.png`);
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);

    it('plays an upright HEVC clip from its transcoded copy, upright', async () => {
      const { page, errors } = await openPage(context);
      await page.goto(`${server.url}/photos/${ids['upright.mov']}`);
      const player = page.getByTestId('video-player');
      await poll(() => player.evaluate((video: HTMLVideoElement) => video.readyState)).toBeGreaterThanOrEqual(1);
      expect(await player.evaluate((video: HTMLVideoElement) => [video.videoWidth, video.videoHeight])).toEqual([240, 320]);
      expect(await playFor(page, 600)).toBeGreaterThan(0.2);
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);

    it("plays a shared link's video to a visitor, and a motion photo's motion", async () => {
      const made = await json(`${server.url}/api/shared-links`, { method: 'POST', json: { photoIds: [ids['lisbon.mp4'], ids['IMG_0606.HEIC']] } });
      expect(made.status).toBe(201);
      const visitor = await browser.newContext({ viewport, ...(size === 'phone' ? { isMobile: true, hasTouch: true } : {}) });
      try {
        const { page, errors } = await openPage(visitor);
        await page.goto(`${server.url}${made.body.path}`);
        await poll(() => page.getByTestId('visit-tile-video').textContent()).toContain('0:02');
        // a clip is not called a photo, by the visitor's page or the owner's list of links (before: "2 photos")
        expect(await page.getByTestId('link-facts').textContent()).toContain('1 photo and 1 video');
        const links = (await json(`${server.url}/api/shared-links`)).body.items as { id: string; photoCount: number; videoCount: number }[];
        expect(links.find((link) => link.id === made.body.id)).toMatchObject({ photoCount: 2, videoCount: 1 });
        await page.getByRole('button', { name: 'Open lisbon.mp4' }).click();
        const player = page.getByTestId('visitor-video');
        await poll(() => player.evaluate((video: HTMLVideoElement) => video.readyState)).toBeGreaterThanOrEqual(1);
        const played = await player.evaluate(async (video: HTMLVideoElement) => {
          video.muted = true;
          await video.play();
          await new Promise((resolve) => setTimeout(resolve, 600));
          return video.currentTime;
        });
        expect(played).toBeGreaterThan(0.2);
        await screenshot(page, `visitor-video-${size}.png`);
        // the Live Photo: its still, and its motion on Motion
        await page.getByRole('button', { name: 'Next photo' }).click();
        await page.getByTestId('visitor-motion-play').click();
        await poll(() => page.getByTestId('visitor-motion').evaluate((video: HTMLVideoElement) => video.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.3);
        expect(errors).toEqual([]);
      } finally {
        await visitor.close();
      }
    }, 60_000);

    it("tells the owner in the share dialog, and the visitor on the page, of a clip whose visitors' copy is refused", async () => {
      const album = await json(`${server.url}/api/albums`, {
        method: 'POST',
        json: { name: `Clips on a ${size}`, photoIds: [refusedClip, ids['lisbon.mp4']] },
      });
      expect(album.status).toBe(201);
      const { page, errors } = await openPage(context);
      await page.goto(`${server.url}/albums/${album.body.id}`);
      await page.getByTestId('share-album').click();
      await page.getByTestId('create-link').click();
      // before: nothing said; the link's clips are checked as it is made
      const warning = page.getByTestId('link-clip-warning');
      await poll(() => warning.count(), { timeout: 30_000 }).toBe(1);
      expect(await warning.textContent()).toMatch(/^1 video will not play for visitors: .*opus\.mp4: this video could not be reduced to what the link shows/);
      await screenshot(page, `share-clip-warning-${size}.png`);
      expect(errors).toEqual([]);
      await page.close();

      const [link] = (await json(`${server.url}/api/shared-links?albumId=${album.body.id}`)).body.items;
      const visitor = await browser.newContext({ viewport, ...(size === 'phone' ? { isMobile: true, hasTouch: true } : {}) });
      try {
        const seen = await openPage(visitor, { allowConsole: [/403/] });
        await seen.page.goto(`${server.url}${link.path}`);
        await seen.page.getByRole('button', { name: 'Open opus.mp4' }).click();
        // before: a player stuck at 0:00, no word
        const problem = seen.page.getByTestId('visitor-video-problem');
        await poll(() => problem.count(), { timeout: 10_000 }).toBe(1);
        expect(await problem.getByRole('alert').textContent()).toMatch(
          /^This video cannot be played here\.This video could not be reduced to what the link shows \(/,
        );
        await poll(() => problem.locator('img').evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
        expect(await seen.page.getByTestId('visitor-video').count()).toBe(0);
        await screenshot(seen.page, `visitor-video-refused-${size}.png`);
        expect(seen.errors).toEqual([]);
      } finally {
        await visitor.close();
      }
    }, 60_000);

    it.each(['samsung-one-ui-6.heic', 'IMG_0606.HEIC'])(
      "marks a motion photo's tile, and plays its motion over the still (%s)",
      async (name) => {
        const { page, errors } = await openPage(context);
        const id = ids[name]!;
        await page.goto(server.url);
        await poll(() => page.locator(`[data-testid="photo-tile"][data-photo-id="${id}"]`).getByTestId('tile-motion').count()).toBe(1);
        await page.goto(`${server.url}/photos/${id}`);
        await poll(() => page.getByTestId('preview').isVisible()).toBe(true);
        expect(await page.getByTestId('motion-player').count()).toBe(0);
        if (size === 'phone') {
          // a finger resting on the still plays its motion (as an iPhone's Photos does); lifting it stops
          const lift = await pressAndHold(page, page.getByTestId('preview'));
          await poll(() => page.getByTestId('motion-player').count()).toBe(1);
          await lift();
          await poll(() => page.getByTestId('motion-player').count()).toBe(0);
          expect(page.url()).toBe(`${server.url}/photos/${id}`);
        }
        // its video part can be downloaded beside it
        expect(await page.getByTestId('download-motion').getAttribute('href')).toBe(`/api/photos/${id}/original?part=motion&download=1`);
        await page.getByTestId('motion-play').click();
        const player = page.getByTestId('motion-player');
        await poll(() => player.evaluate((video: HTMLVideoElement) => video.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.3);
        expect(await player.evaluate((video: HTMLVideoElement) => video.muted)).toBe(true);
        await screenshot(page, `motion-photo-${name.startsWith('IMG') ? 'live-' : ''}${size}.png`);
        // once played through, the still again
        await poll(() => page.getByTestId('motion-player').count(), { timeout: 10_000 }).toBe(0);
        expect(errors).toEqual([]);
        await page.close();
      },
      60_000,
    );

    it("names the videos apart in a month's and a day's select-all and on a stack's tile", async () => {
      const { page, errors } = await openPage(context);
      await page.goto(server.url);
      await poll(() => page.getByTestId('library-counts').textContent()).toContain('5 photos and 3 videos');
      const labels = async (header: string) =>
        page.locator(`[data-testid="${header}"] [data-testid="group-check"]`).evaluateAll((checks) => checks.map((check) => check.getAttribute('aria-label')!));
      // before: "Select all 8 photos of …" over three clips
      const counted = /^Select all (?:(\d+) photos?)?(?: and )?(?:(\d+) videos?)? of \S/;
      const sum = (found: string[]) =>
        found.reduce(
          (total, label) => {
            const match = counted.exec(label);
            expect(match, label).not.toBeNull();
            return { photos: total.photos + Number(match![1] ?? 0), videos: total.videos + Number(match![2] ?? 0) };
          },
          { photos: 0, videos: 0 },
        );
      expect(sum(await labels('month-header'))).toEqual({ photos: 5, videos: 3 });
      // every dated day says what it holds: as many clips among the days as the timeline counts
      const days = (await json(`${server.url}/api/timeline?groupBy=day`)).body.buckets as { key: string; count: number; videos: number }[];
      const dated = days.filter((day) => day.key !== 'undated');
      expect(sum(await labels('day-header'))).toEqual({
        photos: dated.reduce((n, day) => n + day.count - day.videos, 0),
        videos: dated.reduce((n, day) => n + day.videos, 0),
      });
      expect(days.reduce((n, day) => n + day.videos, 0)).toBe(3);

      // a still and a clip stacked by hand: the stack's tile says so (before: "A stack of 2 photos")
      const made = await json(`${server.url}/api/stacks`, { method: 'POST', json: { photoIds: [ids['still.jpg'], refusedClip] } });
      expect(made.status).toBe(201);
      try {
        await page.goto(server.url);
        const stackTile = page.getByTestId('tile-stack');
        await poll(() => stackTile.count()).toBe(1);
        expect(await stackTile.getAttribute('title')).toBe('A stack of 1 photo and 1 video');
        expect(errors).toEqual([]);
      } finally {
        expect((await json(`${server.url}/api/stacks/${made.body.id}`, { method: 'DELETE' })).status).toBe(200);
      }
      // and so does the trash (before: "2 photos", "Restore 2 photos")
      const trashed = [ids['still.jpg']!, refusedClip];
      for (const id of trashed) expect((await json(`${server.url}/api/photos/${id}`, { method: 'DELETE' })).status).toBe(204);
      try {
        await page.goto(`${server.url}/trash`);
        await poll(() => page.getByTestId('trash-count').textContent()).toContain('1 photo and 1 video');
        await page.getByTestId('select-all').check();
        expect(await page.getByTestId('restore').textContent()).toBe('Restore 1 photo and 1 video');
        expect(errors).toEqual([]);
      } finally {
        expect((await json(`${server.url}/api/trash/restore`, { method: 'POST', json: { ids: trashed } })).status).toBe(200);
      }
      await page.close();
    }, 60_000);
  });
}
