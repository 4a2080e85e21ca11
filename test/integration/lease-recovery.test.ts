import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverDeadWorkers, recoverExpiredLeases } from '../../src/app/lease-recovery.js';
import { rows } from '../../src/db/connection.js';
import { assets, startTestServer, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

// The cluster's periodic recovery: a photo left unfinished with nothing running (its last state never settled, or
// its queue entry lost) is queued again once a lease has passed, and the dispatcher finishes it.
describe('lease recovery', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('queues a photo stuck unfinished with every step done, and it is settled; a recent one is left alone', async () => {
    const { body } = await upload(server.url, [{ path: path.join(assets, 'formats/jpg/el_torcal_rocks.jpg') }]);
    const id = body.items[0].id as string;
    await waitForTerminal(server.url, [id]);
    const state = async () => (await rows<{ state: string }>(server.lib.db, sql`select state from photos where id = ${id}::uuid`))[0]!.state;
    // as the cluster test once left one: every step finished, the photo still `processing`
    await server.lib.db.execute(sql`update photos set state = 'processing', updated_at = now() where id = ${id}::uuid`);
    expect(await recoverExpiredLeases(server.lib.db, server.lib.queue, 60_000)).toBe(0);
    await server.lib.db.execute(sql`update photos set updated_at = now() - interval '2 minutes' where id = ${id}::uuid`);
    expect(await recoverExpiredLeases(server.lib.db, server.lib.queue, 60_000)).toBe(1);
    await expect.poll(state, { timeout: 20_000 }).toBe('completed');
    const attempts = await rows<{ n: number }>(server.lib.db, sql`select max(attempts)::int as n from photo_steps where photo_id = ${id}::uuid`);
    expect(attempts[0]!.n).toBe(1); // settled, nothing run again
  }, 60_000);

  it("takes a step again at once when its worker's heartbeat stopped, and leaves a live worker's step alone", async () => {
    const { body } = await upload(server.url, [{ path: path.join(assets, 'metadata/gps-position/thompson-springs.jpg') }]);
    const id = body.items[0].id as string;
    await waitForTerminal(server.url, [id]);
    const palette = async () =>
      (
        await rows<{ status: string; attempts: number }>(
          server.lib.db,
          sql`select status, attempts from photo_steps where photo_id = ${id}::uuid and step = 'palette'`,
        )
      )[0]!;
    // this process beats (its in-process worker): its row is fresh
    const [live] = await rows<{ id: string }>(
      server.lib.db,
      sql`select id from workers where pid = ${process.pid} and last_seen > now() - interval '10 seconds'`,
    );
    expect(live).toBeDefined();
    const runningUnder = async (workerId: string) =>
      server.lib.db.execute(sql`update photo_steps set status = 'running', started_at = now(), worker_id = ${workerId}::uuid
                                where photo_id = ${id}::uuid and step = 'palette'`);
    await runningUnder(live!.id);
    // judged by its own beat (5 s): a 1 s beat would call it dead whenever its last beat is over 3 s old
    expect(await recoverDeadWorkers(server.lib.db, server.lib.queue, server.lib.settings.workerHeartbeatSeconds * 1000)).toBe(0);
    expect((await palette()).status).toBe('running');
    // a worker last seen 5 s ago, beating every second: dead after three missed beats, its fresh lease notwithstanding
    const dead = '00000000-0000-4000-8000-000000000001';
    await server.lib.db.execute(sql`insert into workers (id, host, pid, last_seen) values (${dead}::uuid, 'gone', 1, now() - interval '5 seconds')`);
    await runningUnder(dead);
    expect(await recoverDeadWorkers(server.lib.db, server.lib.queue, 1000)).toBe(1);
    await expect.poll(palette, { timeout: 20_000 }).toEqual({ status: 'done', attempts: 2 });
  }, 60_000);
});
