// Statements kept prepared on the embedded database (src/db/pglite-statements.ts), on a real PGlite with pgvector:
// the same rows and errors as PGlite's own query(), each statement prepared once, no more kept than the limit,
// transactions and a table changed under a prepared statement.
import { PGlite, types } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepStatementsPrepared } from '../../src/db/pglite-statements.js';

let plain: PGlite;
let kept: PGlite;

const preparedCount = async (pg: PGlite) =>
  (await pg.query<{ n: number }>(`select count(*)::int as n from pg_prepared_statements where name like 'shoebox_%'`)).rows[0]!.n;

const SETUP = `
  CREATE EXTENSION IF NOT EXISTS vector;
  CREATE TABLE items (id int primary key, name text unique, taken timestamptz, tags text[], meta jsonb, big bigint, v vector(3));
  INSERT INTO items VALUES
    (1, 'one', '2024-05-01T10:00:00Z', '{a,b}', '{"k": [1, 2]}', 9007199254740993, '[1,2,3]'),
    (2, 'two', null, '{}', null, null, null);`;

beforeAll(async () => {
  plain = await PGlite.create({ extensions: { vector } });
  kept = await PGlite.create({ extensions: { vector } });
  for (const pg of [plain, kept]) await pg.exec(SETUP);
  keepStatementsPrepared(kept, 4);
});

afterAll(async () => {
  await plain?.close();
  await kept?.close();
});

describe('statements kept prepared on PGlite', () => {
  const select = 'select id, name, taken, tags, meta, big, v, $1::int + 1 as next from items where id >= $2 order by id';

  it('answers the rows, fields and counts PGlite answers, in both row modes and with parsers of the caller', async () => {
    for (const options of [undefined, { rowMode: 'array' as const }, { parsers: { [types.TIMESTAMPTZ]: (value: string) => `at ${value}` } }]) {
      const expected = await plain.query(select, [41, 1], options);
      for (let round = 0; round < 3; round++) expect(await kept.query(select, [41, 1], options)).toEqual(expected);
    }
    const update = `update items set name = name || $1 where id = any($2::int[])`;
    const changed = await kept.query(update, ['!', [1, 2]]);
    expect(changed).toMatchObject({ affectedRows: 2, rows: [] });
    expect(changed).toEqual(await plain.query(update, ['!', [1, 2]]));
    expect(await kept.query('select name from items order by id')).toEqual(await plain.query('select name from items order by id'));
    // a vector, a Date and a null as parameters
    const vectorRow = `select id from items where v <-> $1::vector < 1 and (taken is null or taken < $2) and $3::text is null`;
    expect((await kept.query(vectorRow, ['[1,2,3.5]', new Date('2030-01-01'), null])).rows).toEqual([{ id: 1 }]);
  });

  it('prepares a statement once and keeps no more than its limit, the least recently used closed', async () => {
    const once = 'select $1::int as n';
    for (let i = 0; i < 5; i++) expect((await kept.query(once, [i])).rows).toEqual([{ n: i }]);
    const copies = await kept.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements where statement = $1', [once]);
    expect(copies.rows).toEqual([{ n: 1 }]);
    for (let i = 0; i < 6; i++) await kept.query(`select ${i} + $1::int as n`, [1]);
    // the limit (4), and the one evicted last: closed with the next statement prepared
    expect(await preparedCount(kept)).toBe(5);
    expect((await kept.query<{ n: number }>('select 0 + $1::int as n', [1])).rows).toEqual([{ n: 1 }]);
  });

  it('throws PostgreSQL errors with their code and statement, and goes on serving', async () => {
    const insert = 'insert into items (id, name) values ($1, $2)';
    const error = await kept.query(insert, [3, 'one!']).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: '23505', query: insert, params: [3, 'one!'] });
    await expect(kept.query('select nope from items')).rejects.toMatchObject({ code: '42703' });
    expect((await kept.query(insert, [3, 'three'])).affectedRows).toBe(1);
    expect((await kept.query<{ n: number }>('select count(*)::int as n from items')).rows).toEqual([{ n: 3 }]);
  });

  it('runs the queries of a transaction prepared: a rollback undoes them, the statements stay usable', async () => {
    const insert = 'insert into items (id, name) values ($1, $2)';
    await expect(
      kept.transaction(async (tx) => {
        await tx.query(insert, [10, 'ten']);
        await tx.query('select id from items where id = $1', [10]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await kept.query('select id from items where id = $1', [10])).rows).toEqual([]);
    await kept
      .transaction(async (tx) => {
        await tx.query(insert, [11, 'eleven']);
        await expect(tx.query(insert, [11, 'again'])).rejects.toMatchObject({ code: '23505' });
      })
      .catch(() => undefined); // the failed insert aborts the transaction: PGlite rolls it back
    expect((await kept.query('select id from items where id = $1', [11])).rows).toEqual([]);
    const id = await kept.transaction(async (tx) => (await tx.query<{ id: number }>(`${insert} returning id`, [12, 'twelve'])).rows[0]!.id);
    expect(id).toBe(12);
    expect((await kept.query('select name from items where id = $1', [12])).rows).toEqual([{ name: 'twelve' }]);
  });

  it("leaves COPY from and to a blob on PGlite's own path", async () => {
    await kept.exec('CREATE TABLE copied (n int, word text)');
    await kept.query(`COPY copied FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob(['1,one\n2,two\n']) });
    const out = await kept.query(`COPY (select * from copied order by n) TO '/dev/blob' WITH (FORMAT csv)`);
    expect(await out.blob?.text()).toBe('1,one\n2,two\n');
  });

  it('prepares afresh after a table changed in a transaction, as the embedding column does with another model', async () => {
    const other = await PGlite.create({ extensions: { vector } });
    try {
      await other.exec("CREATE EXTENSION vector; CREATE TABLE emb (id int primary key, v vector(3)); INSERT INTO emb VALUES (1, '[1,2,3]')");
      keepStatementsPrepared(other);
      keepStatementsPrepared(other); // a second call changes nothing (its statements would be named as the first's)
      const read = 'select id, v from emb where id = $1';
      expect((await other.query(read, [1])).rows).toEqual([{ id: 1, v: '[1,2,3]' }]);
      const rows = await other.transaction(async (tx) => {
        await tx.query('delete from emb');
        await tx.query('alter table emb alter column v type vector(4)');
        await tx.query(`insert into emb values (2, '[1,2,3,4]')`);
        return (await tx.query(read, [2])).rows;
      });
      expect(rows).toEqual([{ id: 2, v: '[1,2,3,4]' }]);
      // statements deallocated behind its back are prepared again
      const { rows: named } = await other.query<{ name: string }>('select name from pg_prepared_statements where statement = $1', [read]);
      expect(named).toHaveLength(1);
      await other.query(`DEALLOCATE "${named[0]!.name}"`);
      expect((await other.query(read, [2])).rows).toEqual([{ id: 2, v: '[1,2,3,4]' }]);
    } finally {
      await other.close();
    }
  });

  it('prepares again a `select *` whose table changed behind its back', async () => {
    const star = 'select * from items where id = $1';
    expect(Object.keys((await kept.query<object>(star, [1])).rows[0]!)).not.toContain('added');
    // inside a DO block: not a statement that changes tables to the wrapper, which finds out from the error
    await kept.query(`DO $$ BEGIN EXECUTE 'ALTER TABLE items ADD COLUMN added int DEFAULT 7'; END $$`);
    expect((await kept.query<{ added: number }>(star, [1])).rows[0]!.added).toBe(7);
  });
});
