import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/connection.js';
import { startTestCluster, type TestCluster } from '../helpers/cluster.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { assets, upload } from '../helpers/server.js';

// The `postgres` project only: faults on real engines in the middle of an import, each five times — a worker
// SIGKILLed mid-step, Redis restarted empty, PostgreSQL restarted (its own server, not the project's shared one),
// the object store down (a minute, then a few seconds). After each: every photo finished, none lost, none twice, no step left.
const ROUNDS = 5;
const PHOTOS_PER_ROUND = 2;
const sources = ['formats/jpg/el_torcal_rocks.jpg', 'metadata/gps-position/thompson-springs.jpg'].map((file) =>
  fs.readFileSync(path.join(assets, file)),
);

describe('a cluster meeting faults mid-import (PostgreSQL + Redis + S3 + two workers)', () => {
  let postgres: PostgresServer;
  let cluster: TestCluster;
  let uploaded = 0;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    postgres = await startPostgresServer({ durable: true });
    cluster = await startTestCluster({ databaseUrl: await postgres.createDatabase(), leaseSeconds: 6, retrySeconds: 1 });
    workers.push(await cluster.startWorker(), await cluster.startWorker());
  });
  afterAll(async () => {
    await cluster?.dispose();
    await postgres?.stop();
  });

  /** Asks the database until the photos are finished, through outages (a query that fails is asked again). */
  const untilFinished = async (ids: string[], timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    let last: { id: string; state: string }[] = [];
    while (Date.now() < deadline) {
      try {
        last = await rows<{ id: string; state: string }>(
          cluster.server.lib.db,
          sql`select id, state from photos where id = any(${sql.raw(`'{${ids.join(',')}}'::uuid[]`)})`,
        );
        if (last.length === ids.length && last.every((photo) => ['completed', 'partial', 'failed'].includes(photo.state))) return last;
      } catch {
        // the database is down for this fault
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`photos not finished in time: ${JSON.stringify(last)}`);
  };

  const importRound = async (count = PHOTOS_PER_ROUND) => {
    const files = Array.from({ length: count }, (_, i) => {
      uploaded++;
      return { name: `round-${uploaded}.jpg`, data: Buffer.concat([sources[i % sources.length]!, Buffer.from(`#${uploaded}`)]) };
    });
    const { status, body } = await upload(cluster.server.url, files);
    expect(status).toBe(201);
    return body.items.map((item: { id: string }) => item.id as string);
  };

  const whenSomethingRuns = async (ids: string[]) => {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const [counted] = await rows<{ n: number }>(
        cluster.server.lib.db,
        sql`select count(*)::int as n from photo_steps where status <> 'pending' and photo_id = any(${sql.raw(`'{${ids.join(',')}}'::uuid[]`)})`,
      );
      if (counted!.n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  const checkRound = async (ids: string[]) => {
    const photos = await untilFinished(ids);
    expect(photos.map((photo) => photo.state)).toEqual(ids.map(() => 'completed'));
    const [counted] = await rows<{ total: number }>(cluster.server.lib.db, sql`select count(*)::int as total from photos`);
    expect(counted!.total).toBe(uploaded); // none lost, none twice
    const unfinished = await rows<{ step: string; status: string }>(
      cluster.server.lib.db,
      sql`select step, status from photo_steps where status not in ('done', 'skipped') and photo_id = any(${sql.raw(`'{${ids.join(',')}}'::uuid[]`)})`,
    );
    expect(unfinished).toEqual([]);
  };

  it(`finishes every photo when Redis restarts empty mid-import (${ROUNDS} times)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // at once, with photos still waiting in the queues: a restart without persistence loses them and the schedules
      const ids = await importRound(4);
      await cluster.redis.restart();
      await checkRound(ids);
    }
  }, 300_000);

  it(`finishes every photo when PostgreSQL restarts mid-import (${ROUNDS} times)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // some photos running, some still waiting to be looked at: every connection is cut under both
      const ids = await importRound(4);
      await whenSomethingRuns(ids);
      await postgres.restart();
      await checkRound(ids);
    }
  }, 300_000);

  it(`finishes every photo when the object store is down for a while mid-import (${ROUNDS} times)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const ids = await importRound();
      await whenSomethingRuns(ids);
      await cluster.s3.kill();
      // a minute the first time (steps wait 1 s, 2 s, 4 s… between tries: the last try before it is back comes at
      // 31 s, the next at 63 s), a few seconds the other times
      await new Promise((resolve) => setTimeout(resolve, round === 0 ? 60_000 : 3000));
      await cluster.s3.start();
      await checkRound(ids);
    }
  }, 300_000);

  it(`finishes every photo when a worker is SIGKILLed mid-step (${ROUNDS} times)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const ids = await importRound();
      await whenSomethingRuns(ids);
      workers.shift()!.kill('SIGKILL');
      workers.push(await cluster.startWorker());
      await checkRound(ids);
    }
  }, 300_000);
});
