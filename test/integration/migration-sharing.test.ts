// Migration 0010 on a library made before it: categories become each user's, and nobody loses any.
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

describe('migration 0010 (sharing)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it("gives the library's admin the existing categories and every other user a copy with the same tags", async () => {
    const before = migrationsBefore('0010_sharing');
    dirs.push(before);
    const client = await PGlite.create({ extensions: { vector, pg_trgm, unaccent } });
    const db = drizzle({ client });
    await migrate(db, { migrationsFolder: before });
    // two users (the admin second-oldest), two categories with tags, one edited by hand
    await client.exec(`
      insert into users (id, name, email, role, created_at) values
        ('00000000-0000-4000-8000-000000000001', 'Bob', 'bob@example.org', 'user', now() - interval '2 days'),
        ('00000000-0000-4000-8000-000000000002', 'Ann', 'ann@example.org', 'admin', now() - interval '1 day');
      insert into categories (id, name, label) values
        ('00000000-0000-4000-9000-000000000001', 'animals', 'Animals'),
        ('00000000-0000-4000-9000-000000000002', 'my-cats', 'My cats');
      insert into category_tags (category_id, tag) values
        ('00000000-0000-4000-9000-000000000001', 'dog'), ('00000000-0000-4000-9000-000000000001', 'bird'),
        ('00000000-0000-4000-9000-000000000002', 'cat');`);
    await migrate(db, { migrationsFolder });
    const owned = await client.query<{ owner: string; name: string; tags: string }>(
      `select u.name as owner, c.name, string_agg(ct.tag, ',' order by ct.tag) as tags
       from categories c join users u on u.id = c.owner_id left join category_tags ct on ct.category_id = c.id
       group by u.name, c.name order by u.name, c.name`,
    );
    expect(owned.rows).toEqual([
      { owner: 'Ann', name: 'animals', tags: 'bird,dog' },
      { owner: 'Ann', name: 'my-cats', tags: 'cat' },
      { owner: 'Bob', name: 'animals', tags: 'bird,dog' },
      { owner: 'Bob', name: 'my-cats', tags: 'cat' },
    ]);
    // the admin kept the original rows (ids others may hold); both count as seeded, so a start adds nothing
    const original = await client.query<{ owner_id: string }>(`select owner_id from categories where id = '00000000-0000-4000-9000-000000000001'`);
    expect(original.rows[0]!.owner_id).toBe('00000000-0000-4000-8000-000000000002');
    const unseeded = await client.query<{ n: number }>('select count(*)::int as n from users where categories_seeded_at is null');
    expect(unseeded.rows[0]!.n).toBe(0);
    await client.close();
  });
});
