// Duplicates end to end on a real server: a near-duplicate set built from the corpus (resized, recompressed,
// cropped, toned, straightened, mirrored, watermarked copies of seven photos, plus unrelated ones), the
// ThreatExchange bridge edits and labelme photos; review, resolve with merging, dismiss, bursts, the upload check.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ExifTool } from 'exiftool-vendored';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/connection.js';
import { pairwiseScores, tieredScores } from '../../src/library/duplicates/evaluation.js';
import { scheduleUpkeep } from '../../src/app/upkeep.js';
import { installFromFolder } from '../../src/ml/registry.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';
import { runCli } from '../helpers/cli.js';
import { colourPhoto, colourPhotos } from '../helpers/images.js';
import { buildNearDuplicateSet, type NearDuplicateSet } from '../helpers/near-duplicates.js';
import {
  assets,
  corpus,
  json,
  startTestServer,
  tempDir,
  upload,
  waitForTerminal,
  type TestServer,
  authFetch,
  onPostgres,
  withoutFacesOrText,
} from '../helpers/server.js';

const pdqData = path.join(corpus, 'threatexchange-pdq/pdq/data');
const listJpegs = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((name) => /\.jpe?g$/i.test(name))
    .sort()
    .map((name) => path.join(dir, name));

interface Member {
  photo: { id: string; filename: string; favorite: boolean };
  tier: string;
  matchedPhotoId: string | null;
  pdqDistance: number | null;
  pdqOrientation: string | null;
  similarity: number | null;
  suggestedKeeper: boolean;
}
interface Group {
  id: string;
  kind: 'duplicate' | 'burst';
  keeperId: string;
  suggestedKeep: string[];
  members: Member[];
}

describe('duplicates on a library built from the corpus', () => {
  let server: TestServer;
  let set: NearDuplicateSet;
  const idOf = new Map<string, string>(); // upload name → photo id
  const nameOf = new Map<string, string>();
  let bridge: string[];
  let labelme: string[];

  const groups = async (kind?: string): Promise<Group[]> => {
    const response = await json(`${server.url}/api/duplicates?limit=200${kind ? `&kind=${kind}` : ''}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.items;
  };
  const groupOf = (all: Group[], name: string) => all.find((g) => g.members.some((m) => m.photo.id === idOf.get(name)));

  const uploadAll = async (files: { path: string; name: string }[]) => {
    for (let i = 0; i < files.length; i += 16) {
      const batch = files.slice(i, i + 16);
      const response = await upload(server.url, batch);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      batch.forEach((file, k) => {
        idOf.set(file.name, response.body.items[k].id);
        nameOf.set(response.body.items[k].id, file.name);
      });
    }
    await waitForTerminal(
      server.url,
      files.map((f) => idOf.get(f.name)!),
      600_000,
    );
  };

  beforeAll(async () => {
    // copies are found by their hashes and embeddings: faces and text, read on every photo, would only cost time here
    server = await startTestServer(withoutFacesOrText());
    const dir = tempDir();
    set = await buildNearDuplicateSet(dir);
    bridge = listJpegs(path.join(pdqData, 'bridge-mods'));
    labelme = listJpegs(path.join(pdqData, 'reg-test-input/labelme-subset'));
    await uploadAll([
      ...set.files.map((f) => ({ path: f.path, name: path.basename(f.path) })),
      ...bridge.map((p) => ({ path: p, name: `bridge--${path.basename(p)}` })),
      ...labelme.map((p) => ({ path: p, name: `labelme--${path.basename(p)}` })),
    ]);
  }, 900_000);

  afterAll(async () => {
    await server?.dispose();
  });

  it('groups the copies a perceptual hash can see, with their evidence, and nothing unrelated (precision, recall)', async () => {
    const all = await groups('duplicate');
    const predicted = all.map((g) => g.members.map((m) => nameOf.get(m.photo.id)!).filter((n) => !n.startsWith('bridge') && !n.startsWith('labelme')));
    const truth = [...set.truth.values()].map((paths) => paths.map((p) => path.basename(p)));
    const byTier: Record<string, string[][]> = {};
    for (const group of all) {
      if (group.members.some((m) => /^(bridge|labelme)--/.test(nameOf.get(m.photo.id)!))) continue;
      for (const member of group.members) {
        if (member.suggestedKeeper) continue;
        const keeper = group.members.find((m) => m.suggestedKeeper)!;
        (byTier[member.tier] ??= []).push([nameOf.get(keeper.photo.id)!, nameOf.get(member.photo.id)!]);
      }
    }
    const overall = pairwiseScores(predicted, truth);
    const tiers = tieredScores(byTier, truth);
    console.log('near-duplicate set, PDQ tier (no CLIP model):', JSON.stringify({ overall, tiers: tiers.tiers }, null, 1));
    expect(overall.precision).toBe(1);

    // what PDQ catches: re-saves, resizes, tone changes, watermarks; mirrors through the dihedral hashes
    for (const source of Object.keys(Object.fromEntries(set.truth))) {
      const files = set.files.filter((f) => f.source === source);
      if (files[0]!.edit === 'unrelated') {
        expect(groupOf(all, path.basename(files[0]!.path)), `${source} is unrelated`).toBeUndefined();
        continue;
      }
      const group = groupOf(all, `${source}--original.jpg`);
      expect(group, `${source} has a group`).toBeDefined();
      const inGroup = new Set(group!.members.map((m) => nameOf.get(m.photo.id)));
      for (const edit of ['resize-50', 'jpeg-q20', 'tone', 'watermark', 'mirror']) {
        expect(inGroup.has(`${source}--${edit}.jpg`), `${source} ${edit}`).toBe(true);
      }
      const mirrored = group!.members.find((m) => nameOf.get(m.photo.id) === `${source}--mirror.jpg`)!;
      if (!mirrored.suggestedKeeper) {
        expect(mirrored.tier).toBe('pdq');
        expect(mirrored.pdqDistance).toBeLessThanOrEqual(31);
      }
      // the suggested keeper has the most pixels (the original's size; a same-size edit with a larger file wins)
      const keeper = set.files.find((f) => path.basename(f.path) === nameOf.get(group!.keeperId))!;
      expect(
        keeper.edit === 'original' || keeper.edit === 'tone' || keeper.edit === 'watermark' || keeper.edit === 'mirror' || keeper.edit === 'jpeg-q20',
        keeper.edit,
      ).toBe(true);
      const pixels = async (file: string) => {
        const meta = await sharp(file).metadata();
        return meta.width * meta.height;
      };
      expect(await pixels(keeper.path)).toBe(await pixels(set.files.find((f) => f.source === source && f.edit === 'original')!.path));
    }
  });

  it('puts every ThreatExchange bridge edit in one group, and no labelme photo with them', async () => {
    const all = await groups('duplicate');
    const group = groupOf(all, 'bridge--aaa-orig.jpg');
    expect(group).toBeDefined();
    const names = new Set(group!.members.map((m) => nameOf.get(m.photo.id)));
    for (const file of bridge) expect(names.has(`bridge--${path.basename(file)}`), path.basename(file)).toBe(true);
    for (const file of labelme) expect(names.has(`labelme--${path.basename(file)}`)).toBe(false);
    for (const member of group!.members) {
      if (member.suggestedKeeper) continue;
      expect(member.pdqDistance).toBeLessThanOrEqual(31);
    }
  });

  it('`shoebox duplicates` lists the same groups with their evidence, as JSON or readable lines', async () => {
    const api = await groups();
    const asJson = await runCli(['duplicates', '--json', '--server', server.url, '--api-key', server.apiKey]);
    expect(asJson.code, asJson.stderr).toBe(0);
    const listed = JSON.parse(asJson.stdout).items as Group[];
    expect(listed.map((g) => g.id).sort()).toEqual(api.map((g) => g.id).sort());
    const readable = await runCli(['duplicates', '--kind', 'duplicate', '--server', server.url, '--api-key', server.apiKey]);
    expect(readable.code, readable.stderr).toBe(0);
    expect(readable.stdout).toMatch(/^duplicate [0-9a-f-]{36} \(\d+ photos\)$/m);
    expect(readable.stdout).toMatch(/^ {2}keep · (\d+ of 256 bits apart|identical hash)\S* +\d+×\d+ {2}falcon--/m);
    expect(readable.stdout).toMatch(/^ {2}(trash|keep too) · \d+ of 256 bits apart flipy /m);
    // One measure per pair, the same in the API, on both members and in the CLI's line for each member.
    let pairs = 0;
    for (const group of api) {
      for (const member of group.members) {
        const other = group.members.find((m) => m.photo.id === member.matchedPhotoId);
        if (other?.matchedPhotoId !== member.photo.id) continue;
        pairs++;
        expect([other.pdqDistance, other.similarity, other.tier], `${member.photo.filename} ⇄ ${other.photo.filename}`).toEqual([
          member.pdqDistance,
          member.similarity,
          member.tier,
        ]);
      }
      if (group.kind !== 'duplicate') continue;
      for (const member of group.members.filter((m) => m.tier === 'pdq' && m.pdqDistance)) {
        const line = readable.stdout.split('\n').find((l) => l.includes(member.photo.id))!;
        expect(line, member.photo.filename).toContain(`${member.pdqDistance} of 256 bits apart`);
      }
    }
    expect(pairs).toBeGreaterThan(0);
    expect(readable.stderr).toMatch(/\d+ duplicate groups, 0 bursts/);
    const bad = await runCli(['duplicates', '--kind', 'triplicate', '--server', server.url, '--api-key', server.apiKey]);
    expect(bad.code).not.toBe(0);
  });

  it('hides the copies from the gallery and the search when asked: what the suggestion would trash', async () => {
    const all = await json(`${server.url}/api/photos?limit=500`);
    const hidden = await json(`${server.url}/api/photos?limit=500&hideDuplicates=true`);
    const copies = (await groups('duplicate')).reduce((n, g) => n + g.members.length - g.suggestedKeep.length, 0);
    expect(copies).toBeGreaterThan(0);
    expect(hidden.body.total).toBe(all.body.total - copies);
    const falcon = groupOf(await groups('duplicate'), 'falcon--original.jpg')!;
    const search = await json(`${server.url}/api/search?q=falcon&mode=keyword&hideDuplicates=true`);
    expect(search.status).toBe(200);
    const shown = search.body.items.map((hit: { photo: { id: string } }) => hit.photo.id);
    expect(shown).toContain(falcon.keeperId);
    for (const member of falcon.members) if (!falcon.suggestedKeep.includes(member.photo.id)) expect(shown).not.toContain(member.photo.id);
    // the edits PDQ does not see (crop, straighten) are not in the group, so they still show
    expect(shown.map((id: string) => nameOf.get(id)).sort()).toEqual(
      [...falcon.suggestedKeep.map((id) => nameOf.get(id)), 'falcon--crop-3pct.jpg', 'falcon--rotate-3deg.jpg'].sort(),
    );
    const bad = await json(`${server.url}/api/photos?hideDuplicates=perhaps`);
    expect(bad.status).toBe(400);
  });

  it('refuses a near-copy at upload with checkDuplicate, naming the photo it copies; stores and groups it without', async () => {
    const before = (await json(`${server.url}/api/photos?limit=1`)).body.total;
    const copy = await sharp(path.join(assets, 'albums/nature/prairie_falcon.jpg')).resize({ width: 600 }).jpeg({ quality: 70 }).toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(copy)]), 'falcon-from-catalogue.jpg');
    const refused = await authFetch(`${server.url}/api/photos?checkDuplicate=true`, { method: 'POST', body: form });
    const body = (await refused.json()) as any;
    expect(refused.status).toBe(200);
    const item = body.items[0];
    expect(item.duplicate).toBe(true);
    expect(nameOf.get(item.id)).toMatch(/^falcon--/);
    expect(item.existing).toMatchObject({ photoId: item.id, tier: 'pdq', url: `/api/photos/${item.id}` });
    expect(item.existing.pdqDistance).toBeLessThanOrEqual(31);
    expect((await json(`${server.url}/api/photos?limit=1`)).body.total).toBe(before);

    const bad = await authFetch(`${server.url}/api/photos?checkDuplicate=maybe`, { method: 'POST', body: form });
    expect(bad.status).toBe(400);

    const stored = await upload(server.url, [{ data: copy, name: 'falcon-kept-anyway.jpg' }]);
    expect(stored.status).toBe(201);
    const id = stored.body.items[0].id;
    idOf.set('falcon-kept-anyway.jpg', id);
    nameOf.set(id, 'falcon-kept-anyway.jpg');
    await waitForTerminal(server.url, [id]);
    const group = groupOf(await groups('duplicate'), 'falcon-kept-anyway.jpg');
    expect(group, 'grouped with the falcon').toBeDefined();
    expect(group!.members.map((m) => nameOf.get(m.photo.id))).toContain('falcon--original.jpg');
    expect(nameOf.get(group!.keeperId)).not.toBe('falcon-kept-anyway.jpg'); // smaller than the original
  });

  it('resolves a group: keeps the chosen photo, trashes the others, merges favourite, rating and albums into it', async () => {
    const group = groupOf(await groups('duplicate'), 'ridge--original.jpg')!;
    const keeper = idOf.get('ridge--original.jpg')!;
    const copy = idOf.get('ridge--resize-50.jpg')!;
    expect((await json(`${server.url}/api/photos/${copy}`, { method: 'PATCH', json: { favorite: true } })).status).toBe(200);
    const album = await json(`${server.url}/api/albums`, { method: 'POST', json: { name: 'Ridges', photoIds: [copy] } });
    expect(album.status).toBe(201);

    const wrong = await json(`${server.url}/api/duplicates/${group.id}/resolve`, { method: 'POST', json: { keep: [idOf.get('falcon--original.jpg')] } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/not in this group/);
    const none = await json(`${server.url}/api/duplicates/${group.id}/resolve`, { method: 'POST', json: { keep: [] } });
    expect(none.status).toBe(400);

    const resolved = await json(`${server.url}/api/duplicates/${group.id}/resolve`, { method: 'POST', json: { keep: [keeper] } });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body.kept).toEqual([keeper]);
    expect(resolved.body.trashed.sort()).toEqual(
      group.members
        .map((m) => m.photo.id)
        .filter((id) => id !== keeper)
        .sort(),
    );

    const kept = await json(`${server.url}/api/photos/${keeper}`);
    expect(kept.body.favorite).toBe(true);
    expect(kept.body.albums.map((a: { name: string }) => a.name)).toEqual(['Ridges']);
    expect((await json(`${server.url}/api/photos/${copy}`)).body.deletedAt).not.toBeNull();
    expect((await json(`${server.url}/api/duplicates/${group.id}`)).status).toBe(404);
    const trash = await json(`${server.url}/api/trash?limit=100`);
    expect(trash.body.items.map((p: { id: string }) => p.id)).toContain(copy);
  });

  it('dismisses a group: gone, and not regrouped when the step runs again', async () => {
    const group = groupOf(await groups('duplicate'), 'portrait--original.jpg')!;
    const dismissed = await json(`${server.url}/api/duplicates/${group.id}/dismiss`, { method: 'POST' });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body.dismissed).toBe(group.members.length);
    expect(groupOf(await groups('duplicate'), 'portrait--original.jpg')).toBeUndefined();

    const reprocess = await json(`${server.url}/api/reprocess`, { method: 'POST', json: { step: 'duplicates', all: true } });
    expect(reprocess.status, JSON.stringify(reprocess.body)).toBe(202);
    const ids = group.members.map((m) => m.photo.id);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await waitForTerminal(server.url, ids, 300_000);
    expect(groupOf(await groups('duplicate'), 'portrait--original.jpg')).toBeUndefined();
    // other groups came back as they were
    expect(groupOf(await groups('duplicate'), 'dunes--original.jpg')).toBeDefined();
    const unknown = await json(`${server.url}/api/duplicates/00000000-0000-4000-8000-000000000000/dismiss`, { method: 'POST' });
    expect(unknown.status).toBe(404);
  });

  it.skipIf(onPostgres())('vacuums the duplicate keys on its own in the embedded database (no autovacuum there)', async () => {
    const lastVacuum = async () =>
      (await rows<{ at: string | null }>(server.lib.db, sql`select last_vacuum::text as at from pg_stat_user_tables where relname = 'photo_pdq_keys'`))[0]
        ?.at ?? null;
    const before = await lastVacuum();
    const upkeep = await scheduleUpkeep(server.lib, 20);
    const deadline = Date.now() + 30_000;
    while ((await lastVacuum()) === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await upkeep.stop();
    expect(await lastVacuum()).not.toBe(before);
  });

  it("knows an edit by its editor's marks whatever its name: the camera's file is the keeper, the edit kept beside it", async () => {
    const dir = tempDir();
    // a corner of the shop photo (not in the near-duplicate set): the camera's file, its Lightroom export under a name
    // of its own (the camera's facts kept) and a messenger's half-size copy without them
    const corner = sharp(path.join(assets, 'albums/text/japanese-shop.jpg')).extract({ left: 2400, top: 1400, width: 1500, height: 1000 });
    const [camera, edit, chat] = ['DSC_0107.JPG', 'market-street.jpg', 'IMG-20240501-WA0010.jpg'].map((name) => path.join(dir, name));
    await corner.clone().jpeg({ quality: 92 }).toFile(camera!);
    await corner.clone().modulate({ brightness: 1.05 }).jpeg({ quality: 92 }).toFile(edit!);
    await corner.clone().resize({ width: 750 }).jpeg({ quality: 70 }).toFile(chat!);
    const exiftool = new ExifTool();
    try {
      const shot = { Make: 'Shoebox', Model: 'Camera 3', DateTimeOriginal: '2024:05:01 09:30:00' };
      await exiftool.write(camera!, shot, { writeArgs: ['-overwrite_original'] });
      await exiftool.write(edit!, { ...shot, Software: 'Adobe Photoshop Lightroom Classic 13.1 (Windows)' }, { writeArgs: ['-overwrite_original'] });
    } finally {
      await exiftool.end();
    }
    await uploadAll([camera!, edit!, chat!].map((file) => ({ path: file, name: path.basename(file) })));
    const group = groupOf(await groups('duplicate'), 'DSC_0107.JPG');
    expect(group?.members.map((m) => nameOf.get(m.photo.id)).sort()).toEqual(['DSC_0107.JPG', 'IMG-20240501-WA0010.jpg', 'market-street.jpg']);
    expect(nameOf.get(group!.keeperId)).toBe('DSC_0107.JPG');
    expect(group!.suggestedKeep.map((id) => nameOf.get(id)).sort()).toEqual(['DSC_0107.JPG', 'market-street.jpg']);
    const editMember = group!.members.find((m) => nameOf.get(m.photo.id) === 'market-street.jpg') as Member & { keptBecause: string };
    expect(editMember.keptBecause).toMatch(/^an edit of DSC_0107\.JPG \(an editor’s marks\)/);
  });

  it('stacks frames shot seconds apart with one camera as a burst, never offered for deletion', async () => {
    const dir = tempDir();
    // two frames of a panning burst: overlapping windows of one scene (not in the near-duplicate set)
    const source = path.join(assets, 'metadata/gps-position/thompson-springs.jpg');
    const { width, height } = await sharp(source).metadata();
    const window = { width: Math.round(width * 0.8), height: Math.round(height * 0.8) };
    await sharp(source)
      .extract({ left: 0, top: 0, ...window })
      .jpeg()
      .toFile(path.join(dir, 'frame-1.jpg'));
    await sharp(source)
      .extract({ left: width - window.width, top: height - window.height, ...window })
      .jpeg()
      .toFile(path.join(dir, 'frame-2.jpg'));
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
    await uploadAll([
      { path: path.join(dir, 'frame-1.jpg'), name: 'frame-1.jpg' },
      { path: path.join(dir, 'frame-2.jpg'), name: 'frame-2.jpg' },
    ]);
    const burst = groupOf(await groups('burst'), 'frame-1.jpg');
    expect(burst, 'a burst group').toBeDefined();
    expect(burst!.members.map((m) => nameOf.get(m.photo.id)).sort()).toEqual(['frame-1.jpg', 'frame-2.jpg']);
    expect(burst!.members.find((m) => !m.suggestedKeeper)!.tier).toBe('burst');
    expect(groupOf(await groups('duplicate'), 'frame-2.jpg')).toBeUndefined();
    const resolve = await json(`${server.url}/api/duplicates/${burst!.id}/resolve`, { method: 'POST', json: { keep: [idOf.get('frame-1.jpg')] } });
    expect(resolve.status).toBe(409);
    expect(resolve.body.message).toMatch(/burst/);
  });
});

describe('the CLIP tier (fixture CLIP model: its embedding follows the colours)', () => {
  let server: TestServer;

  beforeAll(async () => {
    const dataDir = tempDir();
    const { clipDir } = await ensureFixtureModels();
    await installFromFolder(dataDir, 'clip-vit-b32', clipDir);
    server = await startTestServer({ dataDir });
  }, 120_000);

  afterAll(async () => {
    await server?.dispose();
  });

  it('groups a crop PDQ cannot match by its embedding, with the similarity as evidence, and refuses it at upload', async () => {
    const colours = await colourPhotos(tempDir(), 3);
    const crop = await sharp(colours.red).extract({ left: 40, top: 20, width: 400, height: 280 }).jpeg({ quality: 80 }).toBuffer();
    const green = await colourPhoto([50, 140, 45]); // another colour: far from red for this model
    const stored = await upload(server.url, [{ path: colours.red }, { data: green, name: 'green.jpg' }, { data: crop, name: 'red-crop.jpg' }]);
    expect(stored.status).toBe(201);
    const [red, other, redCrop] = stored.body.items.map((item: { id: string }) => item.id);
    await waitForTerminal(server.url, [red, other, redCrop]);
    const all = (await json(`${server.url}/api/duplicates?kind=duplicate`)).body.items as Group[];
    expect(all).toHaveLength(1);
    expect(all[0]!.members.map((m) => m.photo.id).sort()).toEqual([red, redCrop].sort());
    const member = all[0]!.members.find((m) => !m.suggestedKeeper)!;
    expect(member.tier).toBe('clip');
    expect(member.similarity).toBeGreaterThanOrEqual(0.95);

    // another crop (other bytes, so not the SHA-256 tier) of the same photo
    const crop2 = await sharp(colours.red).extract({ left: 20, top: 10, width: 420, height: 290 }).jpeg({ quality: 75 }).toBuffer();
    const before = (await json(`${server.url}/api/photos?limit=1`)).body.total;
    const form = new FormData();
    form.append('checkDuplicate', 'true'); // as a form field: it applies to the files after it
    form.append('file', new Blob([new Uint8Array(crop2)]), 'red-crop-again.jpg');
    const again = (await (await authFetch(`${server.url}/api/photos`, { method: 'POST', body: form })).json()) as any;
    expect(again.items[0].duplicate).toBe(true);
    expect([red, redCrop]).toContain(again.items[0].existing.photoId);
    expect(again.items[0].existing.tier).toMatch(/^(clip|pdq)$/);
    expect((await json(`${server.url}/api/photos?limit=1`)).body.total).toBe(before);
  });
});
