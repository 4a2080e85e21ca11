// At start, photos catch up with the code and models of this run: rows for steps added since (but the steps the
// library leaves out, whose rows go), and steps that ran with another version (with the steps that read their results)
// are done again.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEP_NAMES } from '../../src/model/photo-state.js';
import { openDatabase, rows } from '../../src/db/connection.js';
import { colourPhoto } from '../helpers/images.js';
import { startTestServer, tempDir, upload, waitForTerminal, type TestServer, authFetch } from '../helpers/server.js';

describe('reconciling steps at start', () => {
  let dataDir: string;
  let id: string;
  let server: TestServer | null = null;

  beforeAll(async () => {
    dataDir = tempDir();
    const first = await startTestServer({ dataDir });
    const response = await upload(first.url, [{ data: await colourPhoto([40, 90, 200]), name: 'blue.jpg' }]);
    id = response.body.items[0].id;
    await waitForTerminal(first.url, [id]);
    await first.close();
  }, 120_000);

  afterAll(async () => server?.dispose());

  it('adds missing steps, drops those the library leaves out, and redoes outdated ones with their dependents, leaving the rest alone', async () => {
    // As an older Shoebox would have left it: no captions row, a palette from another version.
    const database = await openDatabase({ dataDir });
    await database.db.execute(sql`delete from photo_steps where photo_id = ${id} and step = 'captions'`);
    // and no codes step (issue 64): a library from before it gets it pending, as it does any step added since
    await database.db.execute(sql`delete from photo_steps where photo_id = ${id} and step = 'codes'`);
    // nor the objects step (issue 64): an existing library gets it as pending work
    await database.db.execute(sql`delete from photo_steps where photo_id = ${id} and step = 'objects'`);
    await database.db.execute(sql`update photo_steps set version = '0' where photo_id = ${id} and step = 'palette'`);
    await database.db.execute(sql`update photo_steps set version = '0' where photo_id = ${id} and step = 'embeddings'`);
    await database.db.execute(sql`update photo_steps set attempts = 7 where photo_id = ${id} and step = 'metadata'`);
    // and a catalogue step, which it gave every item even without the creation tools
    await database.db.execute(sql`insert into photo_steps (photo_id, step, status, error) values (${id}, 'catalogue', 'failed', 'no endpoint')`);
    await database.close();

    server = await startTestServer({ dataDir });
    await waitForTerminal(server.url, [id]);
    const photo = (await (await authFetch(`${server.url}/api/photos/${id}`)).json()) as any;
    expect(photo.state).toBe('completed');
    expect(photo.steps.captions).toMatchObject({ status: 'done', version: '1+fallback', attempts: 1 });
    expect(photo.steps.objects).toMatchObject({ status: 'done', version: '1+centernet@0.25', attempts: 1 });
    expect(photo.steps.palette).toMatchObject({ status: 'done', version: '1', attempts: 2 });
    expect(photo.steps.codes).toMatchObject({ status: 'done', version: '1+zxing-wasm-3.1.6', attempts: 1 });
    expect(photo.codes).toEqual([]);
    // embeddings ran with another version: it and the steps reading it (ocr's text gate) run again; faces not.
    expect(photo.steps.embeddings).toMatchObject({ status: 'skipped', version: '1+none', attempts: 2 });
    expect(photo.steps.ocr.attempts).toBe(2);
    expect(photo.steps.faces.attempts).toBe(1);
    expect(photo.steps.metadata.attempts).toBe(7); // not redone
    expect(photo.caption).not.toBeNull();
    const counted = await rows<{ count: number }>(server.lib.db, sql`select count(*)::int as count from photo_steps where photo_id = ${id}`);
    // every step but the catalogue, which a library without the creation tools leaves out (its row gone, none added)
    expect(counted[0]!.count).toBe(STEP_NAMES.length - 1);
    expect(Object.keys(photo.steps)).not.toContain('catalogue');
    expect(photo.steps.duplicates.attempts).toBe(2); // it reads the embedding too
  }, 120_000);
});
