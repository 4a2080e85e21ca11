// The duplicates review in a real browser against a real server, on near-duplicates made from corpus photos
// (a resized, a recompressed, a toned and a mirrored copy), a camera RAW beside its JPEG and a two-frame burst: groups
// side by side with their evidence, the suggestion preselected, resolved and dismissed with the keyboard — which never
// marks the RAW or the camera's original for the trash — undo, the burst filter, a group where nothing is proposed
// (Enter says to choose) and what the photo page says of it — each checked through the API.
import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, poll, screenshot, signedInContext } from '../helpers/browser.js';
import { cameraRaw } from '../helpers/camera-raw.js';
import { NEAR_DUPLICATE_SOURCES, UNRELATED_PHOTOS } from '../helpers/near-duplicates.js';
import { assets, json, startTestServer, tempDir, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

interface Member {
  photo: { id: string; filename: string };
  tier: string;
  pdqDistance: number | null;
  suggestedKeeper: boolean;
  bestShot: { score: number | null; reasons: string[] };
  supersededBy: string[];
  keptBecause: string | null;
}
interface Group {
  id: string;
  kind: 'duplicate' | 'burst';
  keeperId: string;
  keeperWhy: string[];
  suggestedKeep: string[];
  members: Member[];
}

/** Copies of corpus photos the way people make them; every copy is a different file (no checksum match). */
async function buildLibrary(dir: string): Promise<string[]> {
  const files: string[] = [];
  const make = async (name: string, edit: (image: Sharp, width: number, height: number) => Sharp, source: string) => {
    const { width, height } = await sharp(source).metadata();
    const out = path.join(dir, name);
    await edit(sharp(source), width, height).toFile(out);
    files.push(out);
  };
  const copy = async (name: string, source: string) => {
    const out = path.join(dir, name);
    await copyFile(source, out);
    files.push(out);
  };
  const falcon = path.join(assets, NEAR_DUPLICATE_SOURCES.falcon!);
  const ridge = path.join(assets, NEAR_DUPLICATE_SOURCES.ridge!);
  const dunes = path.join(assets, NEAR_DUPLICATE_SOURCES.dunes!);
  await copy('falcon.jpg', falcon);
  await make('falcon-small.jpg', (s, w, h) => s.resize(Math.round(w / 2), Math.round(h / 2)).jpeg({ quality: 90 }), falcon);
  await make('falcon-chat.jpg', (s) => s.jpeg({ quality: 20 }), falcon);
  await make(
    'falcon-enhanced.jpg',
    (s) =>
      s
        .modulate({ brightness: 1.15 })
        .linear(1.2, -0.2 * 128)
        .jpeg({ quality: 90 }),
    falcon,
  );
  await copy('ridge.jpg', ridge);
  await make('ridge-mirrored.jpg', (s) => s.flop().jpeg({ quality: 90 }), ridge);
  // the camera's RAW of ridge.jpg: its embedded preview is the same picture, smaller (one shot, not a copy)
  const preview = await sharp(ridge).resize(640).jpeg({ quality: 85 }).toBuffer();
  const previewSize = await sharp(preview).metadata();
  const raw = path.join(dir, 'ridge.CR2');
  await writeFile(
    raw,
    cameraRaw({ preview, width: previewSize.width, height: previewSize.height, make: 'NIKON CORPORATION', model: 'NIKON D750', taken: '2023:09:25 08:33:30' }),
  );
  files.push(raw);
  await copy('dunes.jpg', dunes);
  await make('dunes-small.jpg', (s, w, h) => s.resize(Math.round(w / 2), Math.round(h / 2)).jpeg({ quality: 90 }), dunes);
  await copy('rocks.jpg', path.join(assets, UNRELATED_PHOTOS.rocks!));
  await copy('cactus.jpg', path.join(assets, UNRELATED_PHOTOS.cactus!));
  // two frames of a panning burst: overlapping windows of one scene, a second apart, one camera
  const scene = path.join(assets, 'metadata/gps-position/thompson-springs.jpg');
  const { width, height } = await sharp(scene).metadata();
  const window = { width: Math.round(width * 0.8), height: Math.round(height * 0.8) };
  await make('frame-1.jpg', (s) => s.extract({ left: 0, top: 0, ...window }).jpeg(), scene);
  await make('frame-2.jpg', (s) => s.extract({ left: width - window.width, top: height - window.height, ...window }).jpeg(), scene);
  const exiftool = new ExifTool();
  try {
    for (const [i, name] of ['frame-1.jpg', 'frame-2.jpg'].entries()) {
      await exiftool.write(
        path.join(dir, name),
        { Make: 'Shoebox', Model: 'Burst 1', DateTimeOriginal: `2024:05:04 10:00:0${i}` },
        { writeArgs: ['-overwrite_original'] },
      );
    }
  } finally {
    await exiftool.end();
  }
  return files;
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('web app: duplicates', () => {
  let server: TestServer;
  let context: BrowserContext;
  const idOf = new Map<string, string>();

  const groups = async (kind: 'duplicate' | 'burst'): Promise<Group[]> => {
    const response = await json(`${server.url}/api/duplicates?kind=${kind}&limit=200`);
    expect(response.status).toBe(200);
    return response.body.items;
  };
  const trashIds = async (): Promise<string[]> => (await json(`${server.url}/api/trash?limit=500`)).body.items.map((item: { id: string }) => item.id).sort();
  const ofGroup = (g: Group) => g.members.map((m) => m.photo.id);
  const hasPhoto = (name: string) => (g: Group) => g.members.some((m) => m.photo.id === idOf.get(name));

  const cards = (page: Page) => page.getByTestId('dup-group');
  const activeGroupId = (page: Page) => page.locator('[data-testid="dup-group"][aria-current="true"]').getAttribute('data-group-id');
  const groupIds = (page: Page) => cards(page).evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-group-id')));
  /** photo id → whether it is marked to keep, in the order shown. */
  const keepMarks = (page: Page, groupId: string) =>
    page
      .locator(`[data-group-id="${groupId}"] [data-testid="dup-member"]`)
      .evaluateAll((nodes) => nodes.map((n) => [n.getAttribute('data-photo-id'), n.getAttribute('data-keep')] as const));
  const left = (page: Page) => page.getByTestId('groups-left').getAttribute('data-value');

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
    const files = await buildLibrary(tempDir());
    const result = await upload(
      server.url,
      files.map((file) => ({ path: file })),
    );
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    result.body.items.forEach((item: { id: string }, i: number) => idOf.set(path.basename(files[i]!), item.id));
    await waitForTerminal(server.url, [...idOf.values()], 300_000);
    context = await signedInContext(browser, server, { viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  }, 400_000);

  afterAll(async () => {
    await context?.close();
    await server?.dispose();
  });

  it('the library has three groups of copies and a burst', async () => {
    const duplicates = await groups('duplicate');
    expect(duplicates).toHaveLength(3);
    const names = (g: Group | undefined) => g?.members.map((m) => m.photo.filename).sort();
    expect(names(duplicates.find(hasPhoto('falcon.jpg')))).toEqual(['falcon-chat.jpg', 'falcon-enhanced.jpg', 'falcon-small.jpg', 'falcon.jpg']);
    // the mirrored copy brings the RAW in (a copy of its picture too), shown as one shot with ridge.jpg
    expect(names(duplicates.find(hasPhoto('ridge.jpg')))).toEqual(['ridge-mirrored.jpg', 'ridge.CR2', 'ridge.jpg']);
    expect(names(duplicates.find(hasPhoto('dunes.jpg')))).toEqual(['dunes-small.jpg', 'dunes.jpg']);
    expect(await groups('burst')).toHaveLength(1);
  });

  it('shows the groups side by side with their evidence, and is reviewed with the keyboard', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/duplicates`);
    await poll(() => cards(page).count()).toBe(3);
    const listed = await groups('duplicate');
    expect(await groupIds(page)).toEqual(listed.map((g) => g.id));
    expect(await left(page)).toBe('3');
    expect(await page.getByTestId('groups-left').textContent()).toContain('3 groups left');
    expect(await activeGroupId(page)).toBe(listed[0]!.id);

    // The suggestion is preselected (the keeper shown first, with what it does not make redundant), the others marked
    // for the trash; each member says why it is there.
    for (const group of listed) {
      const marks = await keepMarks(page, group.id);
      expect(marks.map(([id]) => id)).toEqual(ofGroup(group));
      expect(marks[0]![0]).toBe(group.keeperId);
      expect(
        marks
          .filter(([, keep]) => keep === 'true')
          .map(([id]) => id)
          .sort(),
      ).toEqual([...group.suggestedKeep].sort());
    }
    const falcon = listed.find(hasPhoto('falcon.jpg'))!;
    const falconCards = page.locator(`[data-group-id="${falcon.id}"] [data-testid="dup-member"]`);
    for (const [i, member] of falcon.members.entries()) {
      const card = falconCards.nth(i);
      expect(await card.getAttribute('data-suggested')).toBe(String(member.suggestedKeeper));
      const evidence = await card.locator('[data-field="evidence"]').textContent();
      expect(evidence).toContain('Perceptual hash');
      if (member.pdqDistance !== null && member.pdqDistance > 0) expect(evidence).toContain(`${member.pdqDistance} of 256 bits apart`);
      // how good a shot each one is, in words, and the keeper's score marked as the best
      const shot = await card.locator('[data-field="best-shot"]').textContent();
      expect(member.bestShot.score).not.toBeNull();
      expect(shot).toContain(`${Math.round(member.bestShot.score! * 100)} · ${member.bestShot.reasons.join(', ')}`);
    }
    expect(falcon.keeperWhy.length).toBeGreaterThan(0);
    const keeperPosition = falcon.members.findIndex((m) => m.suggestedKeeper) + 1;
    expect(await page.locator(`[data-group-id="${falcon.id}"] [data-testid="best-shot-why"]`).textContent()).toBe(
      `Best shot: #${keeperPosition} — ${falcon.keeperWhy.join(', ')}`,
    );
    const ridge = listed.find(hasPhoto('ridge.jpg'))!;
    expect(ridge.suggestedKeep.sort()).toEqual([idOf.get('ridge.jpg'), idOf.get('ridge.CR2')].sort());
    const rawCard = page.locator(`[data-group-id="${ridge.id}"] [data-photo-id="${idOf.get('ridge.CR2')}"]`);
    expect(await rawCard.getByTestId('kept-because').textContent()).toBe('Kept: a RAW file: never proposed for the trash');
    const mirrored = page.locator(`[data-group-id="${ridge.id}"] [data-photo-id="${idOf.get('ridge-mirrored.jpg')}"]`);
    const ridgeOriginal = page.locator(`[data-group-id="${ridge.id}"] [data-photo-id="${idOf.get('ridge.jpg')}"]`);
    // one of the two carries the mirror evidence (whichever was compared with the other)
    expect(
      `${await mirrored.locator('[data-field="evidence"]').textContent()} ${await ridgeOriginal.locator('[data-field="evidence"]').textContent()}`,
    ).toContain('mirrored');
    expect(await falconCards.first().locator('[data-field="dimensions"]').textContent()).toMatch(/\d+ × \d+/);
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.dup-img')].every((img) => img.complete && img.naturalWidth > 0));
    await screenshot(page, 'shoebox-duplicates.png');

    // ? shows the shortcuts; Escape closes them.
    await page.keyboard.press('?');
    await poll(() => page.getByTestId('shortcuts').isVisible()).toBe(true);
    expect(await page.getByTestId('shortcuts').textContent()).toContain('next group');
    await page.keyboard.press('Escape');
    await poll(() => page.getByTestId('shortcuts').isVisible()).toBe(false);

    // j and k move between groups.
    await page.keyboard.press('j');
    await poll(() => activeGroupId(page)).toBe(listed[1]!.id);
    await page.keyboard.press('ArrowDown');
    await poll(() => activeGroupId(page)).toBe(listed[2]!.id);
    await page.keyboard.press('k');
    await poll(() => activeGroupId(page)).toBe(listed[1]!.id);
    const goTo = async (group: Group) => {
      const active = await activeGroupId(page);
      const from = listed.findIndex((g) => g.id === active);
      const to = listed.indexOf(group);
      for (let i = from; i < to; i++) await page.keyboard.press('j');
      for (let i = from; i > to; i--) await page.keyboard.press('k');
      await poll(() => activeGroupId(page)).toBe(group.id);
    };
    const keptIn = (group: Group) => async () => (await keepMarks(page, group.id)).filter(([, keep]) => keep === 'true').map(([id]) => id);

    // Whichever photo a key chooses, the RAW stays marked to keep: it is no copy of any of them.
    await goTo(ridge);
    for (const [i, member] of ridge.members.entries()) {
      await page.keyboard.press(String(i + 1));
      await poll(async () => (await keptIn(ridge)()).includes(member.photo.id)).toBe(true);
      expect(await rawCard.getAttribute('data-keep'), `key ${i + 1}`).toBe('true');
    }
    await page.keyboard.press('ArrowRight');
    expect(await rawCard.getAttribute('data-keep')).toBe('true');
    await page.keyboard.press(String(ridge.members.findIndex((m) => m.photo.id === ridge.keeperId) + 1));

    // In the falcon group the camera's original is the keeper; its copies have no EXIF.
    await goTo(falcon);
    const ids = ofGroup(falcon);
    const named = (name: string) => idOf.get(name)!;
    const [original, small, chat, enhanced] = [named('falcon.jpg'), named('falcon-small.jpg'), named('falcon-chat.jpg'), named('falcon-enhanced.jpg')];
    expect(ids[0]).toBe(original);
    const key = (id: string) => String(ids.indexOf(id) + 1);
    const kept = keptIn(falcon);
    const shown = (...keep: string[]) => ids.filter((id) => keep.includes(id));
    // the smallest copy makes none of the others redundant: choosing it keeps them all
    await page.keyboard.press(key(small));
    await poll(kept).toEqual(ids);
    expect(await page.locator(`[data-group-id="${falcon.id}"] [data-testid="resolve"]`).textContent()).toContain('Keep them all');
    // the chat copy makes its equal (enhanced) and the small one redundant, never the original, which says why it stays
    await page.keyboard.press(key(chat));
    await poll(kept).toEqual(shown(original, chat));
    const originalCard = page.locator(`[data-group-id="${falcon.id}"] [data-photo-id="${original}"]`);
    expect(await originalCard.getByTestId('kept-because').textContent()).toBe('Kept: no photo you keep is a copy of it with all it has');
    // unticking the original is the user's own choice, said so; ticked again, it stays
    await page.keyboard.press(`Shift+Digit${key(original)}`);
    await poll(kept).toEqual(shown(chat));
    expect(await originalCard.getByTestId('dup-fate').textContent()).toBe('To trash — your choice');
    await page.keyboard.press(`Shift+Digit${key(original)}`);
    await poll(kept).toEqual(shown(original, chat));
    expect(await page.locator(`[data-group-id="${falcon.id}"] [data-testid="resolve"]`).textContent()).toContain('Keep 2 photos, move 2 to the trash');

    // Enter: the two kept, the copies they make redundant in the trash, the group gone.
    await page.keyboard.press('Enter');
    await poll(() => left(page)).toBe('2');
    await poll(() => cards(page).count()).toBe(2);
    expect(await page.getByTestId('dup-notice').textContent()).toContain('moved 2 photos to the trash');
    expect(await trashIds()).toEqual([small, enhanced].sort());
    expect((await groups('duplicate')).some((g) => g.id === falcon.id)).toBe(false);
    // the next group is under review now
    const remaining = listed.filter((g) => g !== falcon);
    expect(remaining.map((g) => g.id)).toContain(await activeGroupId(page));

    // u: undo. The photos come back from the trash and so does a group holding them.
    await page.keyboard.press('u');
    await poll(() => left(page)).toBe('3');
    expect(await trashIds()).toEqual([]);
    const restored = [small, enhanced];
    const back = (await groups('duplicate')).find((g) => restored.every((id) => ofGroup(g).includes(id)))!;
    expect(back, 'a group holding the restored photos').toBeDefined();
    await poll(() => activeGroupId(page)).toBe(back.id);

    // Enter on the group that came back with its suggestion (the original alone): its copies go to the trash.
    expect(back.suggestedKeep).toEqual([original]);
    expect((await keepMarks(page, back.id)).filter(([, keep]) => keep === 'true').map(([id]) => id)).toEqual([back.keeperId]);
    await page.keyboard.press('Enter');
    await poll(() => left(page)).toBe('2');
    expect(await trashIds()).toEqual(
      ofGroup(back)
        .filter((id) => id !== back.keeperId)
        .sort(),
    );

    // d: not duplicates. The group goes, its photos stay where they are.
    const dismissed = (await activeGroupId(page))!;
    const dismissedPhotos = ofGroup(remaining.find((g) => g.id === dismissed)!);
    await page.keyboard.press('d');
    await poll(() => left(page)).toBe('1');
    expect(await page.getByTestId('dup-notice').textContent()).toContain('Not duplicates');
    const after = await groups('duplicate');
    expect(after.some((g) => g.id === dismissed || g.members.some((m) => dismissedPhotos.includes(m.photo.id)))).toBe(false);
    const trashed = await trashIds();
    expect(dismissedPhotos.some((id) => trashed.includes(id))).toBe(false);

    // The last one with the mouse: a click on the second picture chooses it — the original (the keeper) stays marked
    // to keep; unticking its box is the user's choice, and the button resolves with it named.
    const last = after[0]!;
    expect(await cards(page).count()).toBe(1);
    const lastCards = page.locator(`[data-group-id="${last.id}"] [data-testid="dup-member"]`);
    const second = lastCards.nth(1);
    await second.locator('.dup-member-picture').click();
    await poll(() => second.getAttribute('data-keep')).toBe('true');
    expect(await lastCards.nth(0).getAttribute('data-keep')).toBe('true');
    await lastCards.nth(0).getByTestId('keep-checkbox').uncheck();
    await poll(() => lastCards.nth(0).getAttribute('data-keep')).toBe('false');
    const beforeLast = await trashIds();
    await page.locator(`[data-group-id="${last.id}"] [data-testid="resolve"]`).click();
    await page.getByTestId('dup-empty').waitFor();
    expect(await page.getByTestId('dup-empty').textContent()).toContain('All reviewed');
    expect(await groups('duplicate')).toEqual([]);
    const chosen = last.members[1]!.photo.id;
    const goneNow = (await trashIds()).filter((id) => !beforeLast.includes(id));
    expect(goneNow.sort()).toEqual(
      [
        last.members[0]!.photo.id,
        ...last.members
          .slice(2)
          .filter((m) => m.supersededBy.includes(chosen))
          .map((m) => m.photo.id),
      ].sort(),
    );
    if (last.id === ridge.id) expect(goneNow).not.toContain(named('ridge.CR2'));
    await screenshot(page, 'shoebox-duplicates-done.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters bursts, which are unstacked rather than resolved (phone width, dark)', async () => {
    const phone = await signedInContext(browser, server, { viewport: { width: 375, height: 780 }, colorScheme: 'dark', isMobile: true, hasTouch: true });
    try {
      const { page, errors } = await openPage(phone);
      await page.goto(`${server.url}/duplicates`);
      await page.getByTestId('dup-empty').waitFor();
      expect(await page.getByTestId('dup-empty').textContent()).toContain('No duplicates to review');
      await page.locator('[data-filter="burst"]').click();
      await page.waitForURL(`${server.url}/duplicates?kind=burst`);
      await poll(() => cards(page).count()).toBe(1);
      const [burst] = await groups('burst');
      expect(await cards(page).first().getAttribute('data-kind')).toBe('burst');
      expect(await page.getByTestId('resolve').count()).toBe(0);
      expect(await page.getByTestId('keep-checkbox').count()).toBe(0);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.dup-img')].every((img) => img.complete && img.naturalWidth > 0));
      await screenshot(page, 'shoebox-duplicates-burst-dark.png');
      // a touch screen has no keyboard to hint at: the keys on the photos and the shortcuts button are hidden
      expect(await page.evaluate(() => matchMedia('(hover: none) and (pointer: coarse)').matches)).toBe(true);
      expect(await page.locator('.dup-member-key').count()).toBeGreaterThan(0);
      expect(await page.locator('.dup-member-key').first().isVisible()).toBe(false);
      expect(await page.locator('.dup-help-button').isVisible()).toBe(false);

      // Enter does not delete frames of a burst; it says how to unstack instead.
      await page.locator('h1').click();
      await page.keyboard.press('Enter');
      await poll(() => page.getByTestId('dup-notice').textContent()).toContain('press d to unstack');
      expect(await groups('burst')).toHaveLength(1);
      await page.getByTestId('dismiss').click();
      await page.getByTestId('dup-empty').waitFor();
      expect(await page.getByTestId('dup-empty').textContent()).toContain('All reviewed');
      expect(await groups('burst')).toEqual([]);
      const trashed = await trashIds();
      expect(ofGroup(burst!).some((id) => trashed.includes(id))).toBe(false);
      // reload keeps the filter
      await page.reload();
      await page.getByTestId('dup-empty').waitFor();
      expect(await page.getByTestId('dup-empty').textContent()).toContain('No bursts');
      expect(await page.locator('[data-filter="burst"]').getAttribute('aria-current')).toBe('true');
      expect(errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('proposes nothing for a PNG and its JPEG with the camera facts: Enter says to choose, and the photo page says what the group page says', async () => {
    const dir = tempDir();
    const [png, jpeg] = [path.join(dir, 'polemonium.png'), path.join(dir, 'polemonium.jpg')];
    const source = sharp(path.join(assets, UNRELATED_PHOTOS.polemonium!));
    await source.clone().png().toFile(png);
    await source.clone().jpeg({ quality: 90 }).toFile(jpeg);
    const exiftool = new ExifTool();
    try {
      await exiftool.write(jpeg, { Make: 'Shoebox', Model: 'Camera 2', DateTimeOriginal: '2024:05:04 12:00:00' }, { writeArgs: ['-overwrite_original'] });
    } finally {
      await exiftool.end();
    }
    const result = await upload(server.url, [{ path: png }, { path: jpeg }]);
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    const [pngId, jpegId] = result.body.items.map((item: { id: string }) => item.id as string);
    await waitForTerminal(server.url, [pngId!, jpegId!]);
    // the PNG keeps every pixel, the JPEG the camera's facts: neither replaces the other
    const [group] = await groups('duplicate');
    expect(ofGroup(group!).sort()).toEqual([pngId, jpegId].sort());
    expect([...group!.suggestedKeep].sort()).toEqual([pngId, jpegId].sort());
    const keeper = group!.members.find((m) => m.suggestedKeeper)!;
    const other = group!.members.find((m) => !m.suggestedKeeper)!;
    expect(other.keptBecause).toBe(
      keeper.photo.id === pngId
        ? 'it has what polemonium.png lacks: the camera’s make and model, its capture time'
        : 'it has what polemonium.jpg lacks: its pixels stored without loss',
    );

    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/duplicates`);
    await poll(() => cards(page).count()).toBe(1);
    const trashed = await trashIds();
    await page.locator('h1').click();
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('dup-notice').textContent()).toContain(
      'Nothing is proposed for the trash here: choose the photo to keep (← → or 1–9), or press d if they are not copies.',
    );
    expect(await groups('duplicate')).toHaveLength(1);
    expect(await trashIds()).toEqual(trashed);

    // the photo page: what the suggestion does with this photo and with the other, as the group page says it
    await page.goto(`${server.url}/photos/${other.photo.id}`);
    const section = page.getByTestId('duplicates');
    await poll(async () => (await section.getByTestId('duplicates-fate').count()) > 0).toBe(true);
    expect(await section.locator('p').first().textContent()).toBe('This photo and 1 other were found alike by perceptual hash.');
    expect((await section.getByTestId('duplicates-fate').textContent())?.trim()).toBe(`Kept with the best shot: ${other.keptBecause}.`);
    expect(await section.locator('.tile-note').textContent()).toMatch(/^best shot · (\d+ of 256 bits apart|identical hash)/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
