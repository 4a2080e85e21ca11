import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverExpiredLeases } from '../../src/app/lease-recovery.js';
import { rows } from '../../src/db/connection.js';
import { assets, startTestServer, upload, waitForTerminal, type TestServer } from '../helpers/server.js';

// The cluster's periodic recovery: a photo left unfinished with nothing running (its last state never settled, or
// its queue entry lost) is queued again once a lease has passed, and the dispatcher finishes it.
describe('lease recovery', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
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
});
