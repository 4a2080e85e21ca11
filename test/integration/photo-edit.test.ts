// Rotate and crop over real HTTP against a real server: the original never changes; the thumbnail, the preview,
// the size, the palette and the faces (same faces, same people) follow the edit; the editor's unedited preview;
// the same edit again runs nothing; taking it back restores everything; bad edits are refused with the reason.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faces, photos } from '../../src/db/schema.js';
import { facesStep } from '../../src/pipeline/steps/faces.js';
import { assets, authFetch, json, startTestServer, upload, waitForTerminal, type TestServer } from '../helpers/server.js';
import { runStepOn } from '../helpers/run-step.js';

const PORTRAIT = path.join(assets, 'metadata/faces/portrait.jpg');

let server: TestServer;
let portrait: string;
let halves: string;
let halvesBytes: Buffer;

const api = (route: string, init: { method?: string; json?: unknown } = {}) => json(`${server.url}${route}`, init);
const size = async (route: string) => {
  const response = await authFetch(`${server.url}${route}`);
  expect(response.status, route).toBe(200);
  const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
  return { width: meta.width!, height: meta.height! };
};
type Face = { id: string; personId: string | null; box: { x: number; y: number; width: number; height: number } };
const facesOf = async (id: string) => ((await api(`/api/photos/${id}/faces`)).body.items as Face[]).sort((a, b) => a.box.x - b.box.x);
/** The palette's share of colours near pure red and pure blue. */
const shares = async (id: string) => {
  const palette = (await api(`/api/photos/${id}`)).body.palette as { hex: string; share: number }[];
  const near = (hex: string, r: number, b: number) => Math.abs(parseInt(hex.slice(1, 3), 16) - r) < 60 && Math.abs(parseInt(hex.slice(5, 7), 16) - b) < 60;
  return {
    red: palette.filter((p) => near(p.hex, 220, 30)).reduce((sum, p) => sum + p.share, 0),
    blue: palette.filter((p) => near(p.hex, 30, 220)).reduce((sum, p) => sum + p.share, 0),
  };
};

beforeAll(async () => {
  server = await startTestServer();
  // 1200×800: the left half red, the right half blue
  const left = await sharp({ create: { width: 600, height: 800, channels: 3, background: { r: 220, g: 30, b: 30 } } })
    .png()
    .toBuffer();
  halvesBytes = await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 30, g: 30, b: 220 } } })
    .composite([{ input: left, left: 0, top: 0 }])
    .jpeg({ quality: 92 })
    .toBuffer();
  const uploaded = await upload(server.url, [{ path: PORTRAIT }, { data: halvesBytes, name: 'halves.jpg' }]);
  expect(uploaded.status).toBe(201);
  [portrait, halves] = (uploaded.body.items as { id: string }[]).map((item) => item.id) as [string, string];
  await waitForTerminal(server.url, [portrait, halves], 180_000);
}, 240_000);

afterAll(async () => server?.dispose());

describe('rotate and crop', () => {
  it('turns a photo: its renditions, size and faces turn with it, the people stay, the original does not change', async () => {
    const before = (await api(`/api/photos/${portrait}`)).body;
    const facesBefore = await facesOf(portrait);
    expect(facesBefore.length).toBeGreaterThan(0);
    const thumbBefore = await size(`/api/photos/${portrait}/thumbnail`);
    const edited = await api(`/api/photos/${portrait}/edit`, { method: 'PUT', json: { rotate: 90 } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ edit: { rotate: 90, crop: null }, width: before.height, height: before.width, state: 'pending', changed: true });
    await waitForTerminal(server.url, [portrait]);
    const after = (await api(`/api/photos/${portrait}`)).body;
    expect(after).toMatchObject({ edit: { rotate: 90, crop: null }, width: before.height, height: before.width, state: before.state });
    expect(await size(`/api/photos/${portrait}/thumbnail`)).toEqual({ width: thumbBefore.height, height: thumbBefore.width });
    const preview = await size(`/api/photos/${portrait}/preview`);
    expect(preview.height).toBeGreaterThan(preview.width === preview.height ? -1 : 0);
    expect(preview.width / preview.height).toBeCloseTo(before.height / before.width, 1);
    // the editor starts from the upright original
    const unedited = await size(`/api/photos/${portrait}/unedited-preview`);
    expect(unedited.width / unedited.height).toBeCloseTo(before.width / before.height, 1);
    // the same faces, with the same people, where the turn put them (a face at the left is now at the top)
    const facesAfter = await facesOf(portrait);
    expect(facesAfter.map((f) => f.id).sort()).toEqual(facesBefore.map((f) => f.id).sort());
    for (const face of facesAfter) {
      const old = facesBefore.find((f) => f.id === face.id)!;
      expect(face.personId).toBe(old.personId);
      // turned clockwise: the new x is measured from the old bottom, the new y is the old x
      expect(face.box.y / after.height).toBeCloseTo(old.box.x / before.width, 1);
      expect((face.box.x + face.box.width) / after.width).toBeCloseTo(1 - old.box.y / before.height, 1);
    }
    const original = await authFetch(`${server.url}/api/photos/${portrait}/original`);
    expect(
      createHash('sha256')
        .update(Buffer.from(await original.arrayBuffer()))
        .digest('hex'),
    ).toBe(createHash('sha256').update(fs.readFileSync(PORTRAIT)).digest('hex'));
    // the same edit again: nothing runs
    const again = await api(`/api/photos/${portrait}/edit`, { method: 'PUT', json: { rotate: 90, crop: null } });
    expect(again.body).toMatchObject({ changed: false });
    expect((await api(`/api/photos/${portrait}`)).body.state).toBe(before.state);
    // taken back: as it was, the same faces again
    const undone = await api(`/api/photos/${portrait}/edit`, { method: 'DELETE' });
    expect(undone.body).toMatchObject({ edit: null, width: before.width, height: before.height, changed: true });
    await waitForTerminal(server.url, [portrait]);
    expect((await api(`/api/photos/${portrait}`)).body).toMatchObject({ edit: null, width: before.width, height: before.height });
    expect(await size(`/api/photos/${portrait}/thumbnail`)).toEqual(thumbBefore);
    const facesUndone = await facesOf(portrait);
    expect(facesUndone.map((f) => [f.id, f.personId])).toEqual(facesBefore.map((f) => [f.id, f.personId]));
  }, 120_000);

  it('drops a face the crop leaves out, and keeps the other with its person', async () => {
    const facesBefore = await facesOf(portrait);
    expect(facesBefore.length).toBe(2); // Marie at the left, Pierre at the right
    const [left, right] = facesBefore as [Face, Face];
    const width = (await api(`/api/photos/${portrait}`)).body.width as number;
    const cut = (left.box.x + left.box.width) / width + 0.02; // just right of the left face
    const edited = await api(`/api/photos/${portrait}/edit`, { method: 'PUT', json: { crop: { x: cut, y: 0, width: 1 - cut, height: 1 } } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    await waitForTerminal(server.url, [portrait]);
    const after = await facesOf(portrait);
    expect(after.map((f) => [f.id, f.personId])).toEqual([[right.id, right.personId]]);
    expect((await api(`/api/photos/${portrait}/edit`, { method: 'DELETE' })).status).toBe(200);
    await waitForTerminal(server.url, [portrait]);
    expect((await facesOf(portrait)).length).toBe(2);
  }, 120_000);

  it('a faces run that began before an edit writes nothing over the faces the edit moved', async () => {
    // the photo's row as a faces run holds it from its start; then an edit is saved while that run works (written
    // to the row alone, so that no other run of the step races this one)
    const [stale] = await server.lib.db.select().from(photos).where(eq(photos.id, portrait));
    const base = { width: stale!.width!, height: stale!.height! };
    const facesBefore = await facesOf(portrait);
    expect(facesBefore.length).toBe(2);
    const run = (photo: typeof stale) => runStepOn(server, facesStep, photo!);
    // faces moved by the edit: shifted, as the edit's own transaction would have left them
    await server.lib.db
      .update(photos)
      .set({ edit: { rotate: 90, crop: null, base, clears: { orientation: false, crop: false } } })
      .where(eq(photos.id, portrait));
    const rows = await server.lib.db.select().from(faces).where(eq(faces.photoId, portrait));
    await server.lib.db.update(faces).set({ x: 1, y: 1 }).where(eq(faces.photoId, portrait));
    const moved = await facesOf(portrait);
    try {
      expect(await run(stale)).toMatchObject({ status: 'done', note: expect.stringMatching(/edited while its faces were found/) });
      expect(await facesOf(portrait)).toEqual(moved);
    } finally {
      await server.lib.db.update(photos).set({ edit: stale!.edit }).where(eq(photos.id, portrait));
      for (const row of rows) await server.lib.db.update(faces).set({ x: row.x, y: row.y }).where(eq(faces.id, row.id));
    }
    // with the edit it started from still there, the same run writes its faces: the same ones, in place again
    expect(await run(stale)).toMatchObject({ status: 'done' });
    const written = await facesOf(portrait);
    expect(written.map((f) => [f.id, f.personId])).toEqual(facesBefore.map((f) => [f.id, f.personId]));
    expect(written.map((f) => Math.round(f.box.x))).toEqual(facesBefore.map((f) => Math.round(f.box.x)));
  }, 120_000);

  it('crops a photo: the size, the renditions and the colours are the kept part only; taken back, the whole again', async () => {
    expect((await shares(halves)).blue).toBeGreaterThan(0.3);
    const cropped = await api(`/api/photos/${halves}/edit`, { method: 'PUT', json: { crop: { x: 0, y: 0, width: 0.5, height: 1 } } });
    expect(cropped.status, JSON.stringify(cropped.body)).toBe(200);
    expect(cropped.body).toMatchObject({ edit: { rotate: 0, crop: { x: 0, y: 0, width: 0.5, height: 1 } }, width: 600, height: 800 });
    await waitForTerminal(server.url, [halves]);
    expect(await size(`/api/photos/${halves}/preview`)).toEqual({ width: 600, height: 800 });
    const colours = await shares(halves);
    expect(colours.red).toBeGreaterThan(0.9);
    expect(colours.blue).toBe(0);
    expect(await size(`/api/photos/${halves}/unedited-preview`)).toEqual({ width: 1200, height: 800 });
    // a turn and a crop together: the crop is on the turned image (its top half: the red half, turned)
    const both = await api(`/api/photos/${halves}/edit`, { method: 'PUT', json: { rotate: 90, crop: { x: 0, y: 0, width: 1, height: 0.5 } } });
    expect(both.body).toMatchObject({ width: 800, height: 600 });
    await waitForTerminal(server.url, [halves]);
    expect(await size(`/api/photos/${halves}/thumbnail`)).toEqual({ width: 250, height: 188 });
    expect((await shares(halves)).red).toBeGreaterThan(0.9);
    expect((await api(`/api/photos/${halves}/edit`, { method: 'DELETE' })).status).toBe(200);
    await waitForTerminal(server.url, [halves]);
    expect(await size(`/api/photos/${halves}/preview`)).toEqual({ width: 1200, height: 800 });
    expect((await shares(halves)).blue).toBeGreaterThan(0.3);
    // no edit: the unedited preview is the preview
    expect(await size(`/api/photos/${halves}/unedited-preview`)).toEqual({ width: 1200, height: 800 });
  }, 120_000);

  it('refuses edits it cannot make, with the reason, and changes nothing', async () => {
    const refused = [
      [{ rotate: 45 }, /rotate/],
      [{ crop: { x: 0.6, y: 0, width: 0.5, height: 1 } }, /inside the image/],
      [{ crop: { x: 0, y: 0, width: 0.001, height: 1 } }, /at least 0.02/],
      [{ crop: { x: -0.1, y: 0, width: 0.5, height: 1 } }, /0–1/],
    ] as const;
    for (const [body, reason] of refused) {
      const answer = await api(`/api/photos/${halves}/edit`, { method: 'PUT', json: body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.message).toMatch(reason);
    }
    expect((await api('/api/photos/00000000-0000-4000-8000-000000000000/edit', { method: 'PUT', json: { rotate: 90 } })).status).toBe(404);
    expect((await api(`/api/photos/${halves}`)).body).toMatchObject({ edit: null, width: 1200, state: 'completed' });
  });
});
