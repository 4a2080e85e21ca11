import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { purgeStaleRows } from '../../src/app/upkeep.js';
import { rows } from '../../src/db/connection.js';
import { KEPT_VERSIONS } from '../../src/library/photos/order-changes.js';
import { startTestServer, tempDir, type TestServer, withoutFacesOrText } from '../helpers/server.js';

// The periodic upkeep removes what nothing reads any more, at the start of `serve` and every hour after: without it
// expired sessions, old password-failure counts, dead reservations and gone workers stayed for ever; the photo
// changes log keeps its newest KEPT_VERSIONS versions.
describe('upkeep', () => {
  const dataDir = tempDir();
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const seed = async (db: TestServer['lib']['db'], tag: string) => {
    const [owner] = await rows<{ id: string }>(db, sql`select id from users order by created_at limit 1`);
    await db.execute(sql`insert into sessions (user_id, token_hash, expires_at) values
      (${owner!.id}::uuid, ${`expired-${tag}`}, now() - interval '1 minute'), (${owner!.id}::uuid, ${`live-${tag}`}, now() + interval '1 day')`);
    await db.execute(sql`insert into auth_failures (key, failures, last_failure_at) values
      (${`client:old-${tag}`}, 3, now() - interval '2 hours'), (${`client:recent-${tag}`}, 3, now() - interval '5 minutes')`);
    await db.execute(sql`insert into upload_reservations (id, user_id, bytes, expires_at) values
      (gen_random_uuid(), ${owner!.id}::uuid, 1000, now() - interval '1 second'), (gen_random_uuid(), ${owner!.id}::uuid, 2000, now() + interval '5 minutes')`);
    await db.execute(sql`insert into workers (id, host, pid, last_seen) values
      (gen_random_uuid(), ${`gone-${tag}`}, 1, now() - interval '2 hours'), (gen_random_uuid(), ${`alive-${tag}`}, 2, now())`);
    // the mark moved on by more than the log keeps: one change just too old, one just young enough
    const [mark] = await rows<{ v: number }>(
      db,
      sql`update change_marks set version = version + ${KEPT_VERSIONS + 10} where name = 'photo_order' returning version::int as v`,
    );
    await db.execute(sql`insert into photo_order_changes (version, photo_id) values
      (${mark!.v - KEPT_VERSIONS}, gen_random_uuid()), (${mark!.v - KEPT_VERSIONS + 1}, gen_random_uuid())`);
  };
  /** How far behind the mark each logged change is. */
  const changesBehind = async (db: TestServer['lib']['db']) =>
    (
      await rows<{ behind: number }>(
        db,
        sql`select (m.version - c.version)::int as behind from photo_order_changes c, change_marks m where m.name = 'photo_order' order by 1`,
      )
    ).map((r) => r.behind);
  const left = async (db: TestServer['lib']['db'], tag: string) => ({
    sessions: (await rows<{ t: string }>(db, sql`select token_hash as t from sessions where token_hash like ${`%-${tag}`} order by 1`)).map((r) => r.t),
    failures: (await rows<{ k: string }>(db, sql`select key as k from auth_failures where key like ${`%-${tag}`} order by 1`)).map((r) => r.k),
    reservations: (await rows<{ b: number }>(db, sql`select bytes::int as b from upload_reservations order by 1`)).map((r) => r.b),
    workers: (await rows<{ h: string }>(db, sql`select host as h from workers where host like ${`%-${tag}`} order by 1`)).map((r) => r.h),
    changes: await changesBehind(db),
  });
  const kept = (tag: string) => ({
    sessions: [`live-${tag}`],
    failures: [`client:recent-${tag}`],
    reservations: [2000],
    workers: [`alive-${tag}`],
    changes: [KEPT_VERSIONS - 1],
  });

  it('removes expired sessions, old failure counts, dead reservations, gone workers and old photo changes, and keeps the live ones', async () => {
    server = await startTestServer(withoutFacesOrText({ dataDir }));
    await seed(server.lib.db, 'a');
    expect((await left(server.lib.db, 'a')).sessions).toHaveLength(2);
    expect(await changesBehind(server.lib.db)).toEqual([KEPT_VERSIONS - 1, KEPT_VERSIONS]);
    expect(await purgeStaleRows(server.lib.db)).toEqual({ sessions: 1, passwordFailures: 1, uploadReservations: 1, workers: 1, photoChanges: 1 });
    expect(await left(server.lib.db, 'a')).toEqual(kept('a'));
    expect(await purgeStaleRows(server.lib.db)).toEqual({ sessions: 0, passwordFailures: 0, uploadReservations: 0, workers: 0, photoChanges: 0 });
  });

  it('purges when the server starts, not only an hour later', async () => {
    await server!.lib.db.execute(sql`delete from upload_reservations`);
    await seed(server!.lib.db, 'b');
    await server!.close();
    server = await startTestServer(withoutFacesOrText({ dataDir }));
    const db = server.lib.db;
    await expect.poll(() => left(db, 'b'), { timeout: 10_000 }).toEqual(kept('b'));
  });
});
