// Migration 0045 on a library made before it: the album rows get their photos' places and trash, the albums their
// counts, and the order index is made after that fill.
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { vector } from '@electric-sql/pglite-pgvector';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../src/config/paths.js';
import { migrationsBefore } from '../helpers/migrations.js';

describe('migration 0045 (album order)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it("fills each album row's copies of its photo and each album's counts; a missing photo fails on the foreign key", async () => {
    const before = migrationsBefore('0045_album_order');
    dirs.push(before);
    const client = await PGlite.create({ extensions: { vector, pg_trgm, unaccent } });
    const db = drizzle({ client });
    await migrate(db, { migrationsFolder: before });
    // a photo, a video, a photo in the trash; one album holds all three, one the photo, one nothing
    await client.exec(`
      insert into users (id, name, email, role) values ('00000000-0000-4000-8000-000000000001', 'Ann', 'ann@example.org', 'admin');
      insert into photos (id, owner_id, sha256, filename, storage_key, mime, size_bytes, taken_at_text, taken_at, deleted_at) values
        ('00000000-0000-4000-a000-000000000001', '00000000-0000-4000-8000-000000000001', 'a', 'a.jpg', 'a', 'image/jpeg', 1, '2020-01-01T10:00:00', '2020-01-01T09:00:00Z', null),
        ('00000000-0000-4000-a000-000000000002', '00000000-0000-4000-8000-000000000001', 'b', 'b.mp4', 'b', 'video/mp4', 1, '2021-06-01T10:00:00', '2021-06-01T08:00:00Z', null),
        ('00000000-0000-4000-a000-000000000003', '00000000-0000-4000-8000-000000000001', 'c', 'c.jpg', 'c', 'image/jpeg', 1, null, null, now());
      insert into albums (id, owner_id, name) values
        ('00000000-0000-4000-b000-000000000001', '00000000-0000-4000-8000-000000000001', 'All'),
        ('00000000-0000-4000-b000-000000000002', '00000000-0000-4000-8000-000000000001', 'One'),
        ('00000000-0000-4000-b000-000000000003', '00000000-0000-4000-8000-000000000001', 'None');
      insert into album_photos (album_id, photo_id) values
        ('00000000-0000-4000-b000-000000000001', '00000000-0000-4000-a000-000000000001'),
        ('00000000-0000-4000-b000-000000000001', '00000000-0000-4000-a000-000000000002'),
        ('00000000-0000-4000-b000-000000000001', '00000000-0000-4000-a000-000000000003'),
        ('00000000-0000-4000-b000-000000000002', '00000000-0000-4000-a000-000000000001');`);
    await migrate(db, { migrationsFolder });
    const drifted = await client.query<{ n: number }>(
      `select count(*)::int as n from album_photos ap join photos p on p.id = ap.photo_id
       where ap.taken_local is distinct from p.taken_local or ap.photo_created_at is distinct from p.created_at
         or ap.trashed <> (p.deleted_at is not null)`,
    );
    expect(drifted.rows).toEqual([{ n: 0 }]);
    const copies = await client.query<{ trashed: boolean; dated: boolean }>(
      `select trashed, taken_local is not null as dated from album_photos where album_id = '00000000-0000-4000-b000-000000000001' order by photo_id`,
    );
    expect(copies.rows).toEqual([
      { trashed: false, dated: true },
      { trashed: false, dated: true },
      { trashed: true, dated: false },
    ]);
    const counts = await client.query<{ name: string; photos: number; videos: number }>(
      `select name, photo_count as photos, video_count as videos from albums order by name`,
    );
    expect(counts.rows).toEqual([
      { name: 'All', photos: 2, videos: 1 },
      { name: 'None', photos: 0, videos: 0 },
      { name: 'One', photos: 1, videos: 0 },
    ]);
    expect((await client.query(`select 1 from album_count_deltas`)).rows).toEqual([]);
    const index = await client.query(`select 1 from pg_indexes where indexname = 'album_photos_order_idx'`);
    expect(index.rows).toHaveLength(1);
    // a photo that does not exist: the foreign key's error (23503), not trashed's NOT NULL (23502)
    const missing = await client
      .query(`insert into album_photos (album_id, photo_id) values ('00000000-0000-4000-b000-000000000002', '00000000-0000-4000-a000-0000000000ff')`)
      .then(
        () => null,
        (error: unknown) => (error as { code?: string }).code,
      );
    expect(missing).toBe('23503');
    await client.close();
  }, 60_000);
});
