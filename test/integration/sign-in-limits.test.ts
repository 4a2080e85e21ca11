// Password guessing is slowed per client, not locked per account (issue 29): a client's failures slow that client
// (a success on another account does not forgive them), an account or link under attack from many addresses still
// lets its rightful user in from a fresh one, the current password of a password change is limited like a sign-in,
// and the counters are in the database: the same after a restart, the same for every server of a cluster.
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordThrottle } from '../../src/auth/throttle.js';
import { authFailures } from '../../src/db/schema.js';
import { scheduleUpkeep } from '../../src/app/upkeep.js';
import { libraryDatabaseUrl, onPostgres, startTestServer, type TestServer, withoutFacesOrText } from '../helpers/server.js';

/** Failures a client may have (on any accounts) before it is slowed down; an account's from one client: 5. */
const FREE_PER_CLIENT = 20;

const cookieOf = (response: Response) => /shoebox_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0] ?? '';

describe('sign-in limits', () => {
  let server: TestServer;
  let annCookie: string;

  /** A POST from the client at `address` (the server trusts X-Forwarded-For here, as behind a reverse proxy). */
  const from = (address: string, route: string, body: object, headers: Record<string, string> = {}, on: TestServer = server) =>
    fetch(`${on.url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: on.url, 'x-forwarded-for': address, ...headers },
      body: JSON.stringify(body),
    });
  const login = async (address: string, email: string, password: string, on?: TestServer) =>
    (await from(address, '/api/auth/login', { email, password }, {}, on)).status;

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText({ trustProxy: true }));
    const setup = await from('10.0.0.1', '/api/auth/setup', { name: 'Ann', email: 'ann@example.org', password: 'ann password 1' });
    annCookie = cookieOf(setup);
    const bob = await from('10.0.0.1', '/api/admin/users', { name: 'Bob', email: 'bob@example.org', password: 'bob password 1' }, { cookie: annCookie });
    expect(bob.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await server?.dispose();
  });

  it("does not forgive a client's failures when it signs in to its own account", async () => {
    const attacker = '10.1.0.1';
    const first: number[] = [];
    for (let i = 0; i < 15; i++) first.push(await login(attacker, `victim-${i}@example.org`, 'Winter2024!'));
    expect(first.every((status) => status === 401)).toBe(true);
    expect(await login(attacker, 'bob@example.org', 'bob password 1')).toBe(200);
    const second: number[] = [];
    for (let i = 15; i < 30; i++) second.push(await login(attacker, `victim-${i}@example.org`, 'Winter2024!'));
    // 20 free failures in all, one more, then the client waits
    expect(second.filter((status) => status === 401)).toHaveLength(FREE_PER_CLIENT + 1 - 15);
    expect(second.slice(FREE_PER_CLIENT + 1 - 15).every((status) => status === 429)).toBe(true);
    // another client is not slowed by it
    expect(await login('10.1.0.2', 'bob@example.org', 'bob password 1')).toBe(200);
  });

  it('lets a burst of 100 right-password sign-ins from one client all in; a burst of guesses gets no further than one by one', async () => {
    const burst = await Promise.all(Array.from({ length: 100 }, () => login('10.7.0.1', 'bob@example.org', 'bob password 1')));
    expect(burst.filter((status) => status !== 200)).toEqual([]);
    // 20 guesses at once from another client: its 5 free failures and one more are checked (401), the others wait for
    // them and are then refused (429), as one after another would be
    const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => login('10.7.0.2', 'bob@example.org', `guess ${i} guess`)));
    expect(guesses.filter((status) => status === 401)).toHaveLength(6);
    expect(guesses.filter((status) => status === 429)).toHaveLength(14);
    expect(await login('10.7.0.2', 'bob@example.org', 'bob password 1')).toBe(429);
  });

  // The burst above failed one sign-in of 100 now and then on PostgreSQL (a 500): a right password's take-back updated
  // the client's and the target's rows in one statement, in the table's order, while the next attempt's charge held the
  // client's row and waited for the target's, and PostgreSQL broke the deadlock by failing one. At the throttle itself,
  // 1,000 right attempts in bursts of 100 failed 5 to 14 times before; none may now.
  it.runIf(onPostgres())('lets bursts of right passwords through the throttle without a deadlock', async () => {
    const failed: string[] = [];
    for (let round = 0; round < 10; round++) {
      const throttle = new PasswordThrottle(server.lib.db);
      const attempts = Array.from({ length: 100 }, () =>
        throttle.attempt(`account:burst-${round}@example.org`, '10.8.0.1', async () => {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
          return true;
        }),
      );
      for (const outcome of await Promise.allSettled(attempts)) if (outcome.status === 'rejected') failed.push(String(outcome.reason));
    }
    expect(failed).toEqual([]);
  });

  it('counts a client by the address its proxy saw, whatever it wrote into X-Forwarded-For ahead of it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < FREE_PER_CLIENT + 3; i++) {
      statuses.push(await login(`203.0.113.${i}, 10.6.0.1`, `sprayed-${i}@example.org`, 'Winter2024!'));
    }
    expect(statuses.slice(0, FREE_PER_CLIENT + 1).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(FREE_PER_CLIENT + 1).every((status) => status === 429)).toBe(true);
  });

  it('lets the rightful user in from a fresh client while many addresses guess at the account', async () => {
    for (let c = 0; c < 10; c++) {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push(await login(`10.2.0.${c}`, 'ann@example.org', `guess ${c} ${i} guess`));
      // each guessing client: five free failures, one more, then it waits (fewer once 50 failures made it under attack)
      if (c < 8) expect(statuses, `client ${c}`).toEqual([401, 401, 401, 401, 401, 401, 429]);
      else expect(statuses, `client ${c}`).toEqual([401, 401, 429, 429, 429, 429, 429]);
    }
    expect(await login('10.2.1.1', 'ann@example.org', 'ann password 1')).toBe(200);
    // an account under attack gives a new client fewer free guesses (a soft cap), but the first is still answered
    const late: number[] = [];
    for (let i = 0; i < 3; i++) late.push(await login('10.2.2.1', 'ann@example.org', `late guess ${i}`));
    expect(late).toEqual([401, 401, 429]);
    expect(await login('10.2.2.2', 'ann@example.org', 'ann password 1')).toBe(200);
  });

  it("limits guesses at the current password of a password change like a sign-in's", async () => {
    // someone at Bob's unlocked computer guesses his password to change it
    const bobCookie = cookieOf(await from('10.3.0.1', '/api/auth/login', { email: 'bob@example.org', password: 'bob password 1' }));
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await from('10.3.0.1', '/api/auth/password', { current: `guess ${i} guess`, new: 'new password 1' }, { cookie: bobCookie })).status);
    expect(statuses.slice(0, 6)).toEqual([400, 400, 400, 400, 400, 400]);
    expect(statuses.slice(6)).toEqual([429, 429]);
    const limited = await from('10.3.0.1', '/api/auth/password', { current: 'bob password 1', new: 'new password 1' }, { cookie: bobCookie });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // the right password from another client goes through
    const changed = await from('10.3.0.2', '/api/auth/password', { current: 'bob password 1', new: 'bob password 2' }, { cookie: bobCookie });
    expect(changed.status).toBe(200);
  });

  it("lets a link's visitor in with the right password while others guess at it", async () => {
    const album = await from('10.0.0.1', '/api/albums', { name: 'Holiday' }, { cookie: annCookie });
    const albumId = ((await album.json()) as { id: string }).id;
    const link = await from('10.0.0.1', '/api/shared-links', { albumId, password: 'visitor pass' }, { cookie: annCookie });
    const token = ((await link.json()) as { token: string }).token;
    for (let c = 0; c < 10; c++) {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await from(`10.4.0.${c}`, `/api/s/${token}/unlock`, { password: `guess ${c} ${i}` })).status);
      if (c < 8) expect(statuses, `client ${c}`).toEqual([401, 401, 401, 401, 401, 401, 429]);
      else expect(statuses, `client ${c}`).toEqual([401, 401, 429, 429, 429, 429, 429]);
    }
    expect((await from('10.4.1.1', `/api/s/${token}/unlock`, { password: 'visitor pass' })).status).toBe(204);
  });

  it('forgets counts an hour without a failure in the periodic upkeep', async () => {
    const hours = (n: number) => new Date(Date.now() - n * 3600_000);
    await server.lib.db.insert(authFailures).values([
      { key: 'client:test-old', failures: 99, lastFailureAt: hours(2) },
      { key: 'client:test-recent', failures: 1, lastFailureAt: hours(0.5) },
    ]);
    const left = async () =>
      (
        await server.lib.db
          .select()
          .from(authFailures)
          .where(inArray(authFailures.key, ['client:test-old', 'client:test-recent']))
      ).map((row) => row.key);
    const upkeep = await scheduleUpkeep(server.lib, 20);
    const deadline = Date.now() + 20_000;
    while ((await left()).length > 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await upkeep.stop();
    expect(await left()).toEqual(['client:test-recent']);
  });

  it('keeps the counters in the database: another server of the cluster, or this one after a restart, sees them', async () => {
    const client = '10.5.0.1';
    for (let i = 0; i < FREE_PER_CLIENT; i++) expect(await login(client, `nobody-${i}@example.org`, 'a guess at it')).toBe(401);
    let other: TestServer;
    if (onPostgres()) {
      // a second server on the same database (its own data folder)
      other = await startTestServer(withoutFacesOrText({ trustProxy: true, databaseUrl: await libraryDatabaseUrl(server.dataDir) }));
    } else {
      // an embedded library has one server: the same one, started again
      await server.close();
      other = await startTestServer(withoutFacesOrText({ trustProxy: true, dataDir: server.dataDir }));
      server = other;
    }
    try {
      expect(await login(client, 'nobody-else@example.org', 'a guess at it', other)).toBe(401);
      expect(await login(client, 'nobody-else@example.org', 'a guess at it', other)).toBe(429);
      expect(await login(client, 'ann@example.org', 'ann password 1', server)).toBe(429);
      expect(await login('10.5.0.2', 'ann@example.org', 'ann password 1', other)).toBe(200);
    } finally {
      if (other !== server) await other.dispose();
    }
  });
});
