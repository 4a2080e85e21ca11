import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/connection.js';
import { startTestCluster, type TestCluster } from '../helpers/cluster.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { shoeboxBin } from '../helpers/cli.js';
import { phonePhotos } from '../helpers/phone-photos.js';
import { assets, authFetch, upload } from '../helpers/server.js';

// The `postgres` project only: faults on real engines in the middle of an import, each five times — a worker
// SIGKILLed mid-step, Redis restarted empty, PostgreSQL restarted (its own server, not the project's shared one),
// the object store down (a minute, then a few seconds). After each: every photo finished, none lost, none twice, no step left.
const ROUNDS = 5;
const PHOTOS_PER_ROUND = 2;
const sources = ['formats/jpg/el_torcal_rocks.jpg', 'metadata/gps-position/thompson-springs.jpg'].map((file) => fs.readFileSync(path.join(assets, file)));

const beat = { SHOEBOX_WORKER_HEARTBEAT_SECONDS: '2' };

describe('a cluster meeting faults mid-import (PostgreSQL + Redis + S3 + two workers)', () => {
  let postgres: PostgresServer;
  let cluster: TestCluster;
  let uploaded = 0;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    postgres = await startPostgresServer({ durable: true });
    cluster = await startTestCluster({ databaseUrl: await postgres.createDatabase(), leaseSeconds: 6, retrySeconds: 1 });
    // a dead worker's jobs come back after three beats (BullMQ's lock), as its steps after the 6-second lease
    workers.push(await cluster.startWorker([], beat), await cluster.startWorker([], beat));
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
      workers.push(await cluster.startWorker([], beat));
      await checkRound(ids);
    }
  }, 300_000);
});

// The issue's scenario as one run: an API server with --no-worker, two workers, 50 photos of 12 MP; during the import a
// worker SIGKILLed, then Redis killed and started again (empty), then PostgreSQL stopped and started again. The step
// lease stays the default 300 s: what brings the work back is the heartbeat (2 s here) and BullMQ's stalled-job check.
// Meanwhile /api/health answers within 1 s naming the engine down, uploads get a 503 saying why, and `worker` and
// `serve` stop within 10 s of SIGTERM with the engine gone. After each fault, the idle time until work is taken again
// is measured (written to $SHOEBOX_FAULT_TIMES when set, for bench/README.md). Needs `npm run build` (the workers
// and the second API server run bin/shoebox.js).
describe('the three faults as one scenario: 50 photos of 12 MP, two workers, 300-second leases', () => {
  const HEARTBEAT_SECONDS = 2;
  const PHOTOS = 50;
  let postgres: PostgresServer;
  let cluster: TestCluster;
  const workerEnv = { SHOEBOX_WORKER_HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS) };
  /** With SHOEBOX_FAULT_LOG=file, the workers' output and exits go there (why a worker died, when one does). */
  const watch = (child: ChildProcess) => {
    if (!process.env.SHOEBOX_FAULT_LOG) return child;
    child.stderr!.on('data', (chunk) => fs.appendFileSync(process.env.SHOEBOX_FAULT_LOG!, `[${child.pid}] ${chunk}`));
    child.on('exit', (code, signal) =>
      fs.appendFileSync(process.env.SHOEBOX_FAULT_LOG!, `[${child.pid}] exited ${code} ${signal} at ${new Date().toISOString()}\n`),
    );
    return child;
  };
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    postgres = await startPostgresServer({ durable: true });
    cluster = await startTestCluster({
      databaseUrl: await postgres.createDatabase(),
      leaseSeconds: 300,
      retrySeconds: 1,
      server: { workerHeartbeatSeconds: HEARTBEAT_SECONDS },
    });
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await cluster?.dispose();
    await postgres?.start().catch(() => undefined); // when a failure left it stopped
    await postgres?.stop();
  });

  const db = () => cluster.server.lib.db;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** Asks until `check` answers true (a query failing while an engine is down counts as not yet); milliseconds taken. */
  const timeUntil = async (check: () => Promise<boolean>, timeoutMs: number, what: string) => {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (await check().catch(() => false)) return Date.now() - started;
      await sleep(100);
    }
    throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
  };
  const workerId = async (child: ChildProcess) =>
    (await rows<{ id: string }>(db(), sql`select id from workers where pid = ${child.pid!} order by started_at desc limit 1`))[0]!.id;
  const progress = async (what: string) => {
    const states = await rows<{ state: string; n: number }>(db(), sql`select state, count(*)::int as n from photos group by 1 order by 1`).catch(() => []);
    console.log(
      `${new Date().toISOString()} ${what}: ${states.map((row) => `${row.state} ${row.n}`).join(', ')}; running ${await runningCount().catch(() => '?')}`,
    );
  };
  const runningCount = async () => (await rows<{ n: number }>(db(), sql`select count(*)::int as n from photo_steps where status = 'running'`))[0]!.n;
  /** Whether a step has started since `at` (a worker took work again). */
  const startedSince = async (at: Date) =>
    (await rows<{ n: number }>(db(), sql`select count(*)::int as n from photo_steps where started_at > ${at.toISOString()}::timestamptz`))[0]!.n > 0;

  /** GET /api/health as an admin: its time and body; every answer within 1 s. */
  const health = async () => {
    const started = performance.now();
    const response = await authFetch(`${cluster.server.url}/api/health`, { signal: AbortSignal.timeout(5000) });
    const body = (await response.json()) as { status: string; engines: { name: string; ok: boolean; since: string; error: string | null }[] };
    const ms = performance.now() - started;
    expect(ms, `/api/health took ${Math.round(ms)} ms`).toBeLessThan(1000);
    return { status: response.status, body, ms };
  };
  /** Until /api/health names `engine` down (each answer within 1 s); the slowest answer. */
  const healthNames = async (engine: string) => {
    let slowest = 0;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const answer = await health();
      slowest = Math.max(slowest, answer.ms);
      const down = answer.body.engines.find((e) => e.name === engine && !e.ok);
      if (down) {
        expect(answer.body.status).toBe('degraded');
        expect(Date.parse(down.since)).toBeGreaterThan(Date.now() - 30_000);
        expect(down.error).toBeTruthy();
        return { slowest, status: answer.status };
      }
      await sleep(250);
    }
    throw new Error(`/api/health did not name ${engine} down`);
  };
  /** An upload while an engine is down: a 503 that names it, or accepted. */
  const uploadDuring = async (engine: RegExp) => {
    const response = await authFetch(`${cluster.server.url}/api/photos`, {
      method: 'POST',
      body: (() => {
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(Buffer.concat([sources[0]!, Buffer.from(`#during-${Date.now()}`)]))]), 'during.jpg');
        return form;
      })(),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as { message?: string; items?: { id: string }[] };
    if (response.status === 503) expect(body.message).toMatch(engine);
    else expect(response.status).toBe(201);
    return response.status === 201 ? body.items!.map((item) => item.id) : [];
  };
  /** Milliseconds from SIGTERM to the process's exit. */
  const stopTime = (child: ChildProcess) =>
    new Promise<number>((resolve) => {
      const started = Date.now();
      child.removeAllListeners('exit');
      child.once('exit', () => resolve(Date.now() - started));
      child.kill('SIGTERM');
    });
  const startServe = () =>
    new Promise<ChildProcess>((resolve, reject) => {
      // the API server's folder: its CLI key stays the library's (a folder without one would make a new one)
      const child = spawn(process.execPath, [shoeboxBin, 'serve', '--no-worker', '--data', cluster.server.lib.settings.dataDir, '--port', '0'], {
        env: {
          ...process.env,
          ...cluster.s3.env('cluster'),
          DATABASE_URL: cluster.databaseUrl,
          REDIS_URL: cluster.redis.url,
          LOG_LEVEL: 'warn',
        },
      });
      children.push(child);
      let output = '';
      child.stderr!.on('data', (chunk) => {
        output += chunk;
        if (output.includes('Shoebox is running')) resolve(child);
      });
      child.on('exit', (code) => reject(new Error(`serve exited (${code}): ${output}`)));
    });

  it('takes work back within seconds after each fault, answers health within 1 s, stops on SIGTERM within 10 s, finishes every photo once', async () => {
    const photos = await phonePhotos(PHOTOS);
    const serve = await startServe();
    let first = watch(await cluster.startWorker([], workerEnv));
    const second = watch(await cluster.startWorker([], workerEnv));
    const ids: string[] = [];
    // the import goes on through the faults: a share of the photos before each, so that work is under way when it strikes
    const importShare = async (from: number, to: number) => {
      for (let i = from; i < to; i += 5) {
        const { status, body } = await upload(cluster.server.url, photos.slice(i, Math.min(i + 5, to)));
        expect(status).toBe(201);
        ids.push(...body.items.map((item: { id: string }) => item.id as string));
      }
    };
    await importShare(0, 20);
    const times: Record<string, number> = {};
    await progress('uploaded');
    let cut = 0; // steps running when a fault struck: the most that may run twice

    // 1. a worker SIGKILLed mid-step: its steps and jobs come back once its heartbeat is missed
    const doomed = await workerId(first);
    const heldBy = async (id: string) =>
      (await rows<{ n: number }>(db(), sql`select count(*)::int as n from photo_steps where status = 'running' and worker_id = ${id}::uuid`))[0]!.n;
    await timeUntil(async () => (await heldBy(doomed)) > 0, 60_000, 'the first worker running a step');
    const held = await rows<{ photo_id: string; step: string; attempts: number }>(
      db(),
      sql`select photo_id, step, attempts from photo_steps where status = 'running' and worker_id = ${doomed}::uuid`,
    );
    cut += await runningCount();
    first.kill('SIGKILL');
    await health();
    // idle until each of its steps is started again by another worker (or finished there)
    times.workerKilled = await timeUntil(
      async () => {
        const now = await rows<{ n: number }>(
          db(),
          sql`select count(*)::int as n from photo_steps s join (select * from unnest(${sql.raw(`'{${held.map((h) => h.photo_id).join(',')}}'::uuid[]`)},
                 ${sql.raw(`'{${held.map((h) => h.step).join(',')}}'::text[]`)}, ${sql.raw(`'{${held.map((h) => h.attempts).join(',')}}'::int[]`)})
                 as h(photo_id, step, attempts)) h on h.photo_id = s.photo_id and h.step = s.step
              where s.attempts > h.attempts or s.status in ('done', 'skipped', 'failed')`,
        );
        return now[0]!.n === held.length;
      },
      120_000,
      "the killed worker's steps taken again",
    );
    first = watch(await cluster.startWorker([], workerEnv));
    await progress(`worker killed, its steps taken again after ${times.workerKilled} ms`);

    // 2. Redis killed, then started again empty
    await importShare(20, 35);
    await timeUntil(async () => (await runningCount()) > 0, 60_000, 'a step running before Redis goes');
    cut += await runningCount();
    await cluster.redis.kill();
    const redisDown = await healthNames('queue');
    expect(redisDown.status).toBe(200); // degraded, still serving what the database has
    ids.push(...(await uploadDuring(/queue|Redis/)));
    times.workerStopWithoutRedis = await stopTime(first);
    expect(times.workerStopWithoutRedis).toBeLessThan(10_000);
    await cluster.redis.start();
    const redisBack = new Date();
    times.redisRestarted = await timeUntil(() => startedSince(redisBack), 120_000, 'a step started after Redis came back');
    first = watch(await cluster.startWorker([], workerEnv));
    await progress(`Redis back, work taken again after ${times.redisRestarted} ms`);

    // 3. PostgreSQL stopped, then started again
    await importShare(35, PHOTOS);
    await timeUntil(async () => (await runningCount()) > 0, 60_000, 'a step running before PostgreSQL goes');
    cut += await runningCount();
    await postgres.kill();
    const databaseDown = await healthNames('database');
    expect(databaseDown.status).toBe(503);
    ids.push(...(await uploadDuring(/database/)));
    times.serveStopWithoutDatabase = await stopTime(serve);
    expect(times.serveStopWithoutDatabase).toBeLessThan(10_000);
    await postgres.start();
    const databaseBack = new Date();
    times.postgresRestarted = await timeUntil(() => startedSince(databaseBack), 120_000, 'a step started after PostgreSQL came back').catch(async (error) => {
      const open = await rows(
        db(),
        sql`select photo_id, step, status, attempts, worker_id, started_at, retry_at, error from photo_steps where status not in ('done', 'skipped')`,
      );
      const seen = await rows(db(), sql`select id, pid, last_seen, now() as now from workers`);
      const states = await rows(db(), sql`select state, count(*)::int as n from photos group by 1`);
      console.log(JSON.stringify({ open, seen, states, load: await cluster.server.lib.queue.load?.() }, null, 1));
      throw error;
    });
    await timeUntil(async () => (await health()).body.status === 'ok', 15_000, '/api/health ok again');

    // every photo finished, none twice, every step done or skipped; a step ran again only where a fault cut it
    const deadline = Date.now() + 150_000;
    let states: { state: string; n: number }[] = [];
    while (Date.now() < deadline) {
      states = await rows<{ state: string; n: number }>(db(), sql`select state, count(*)::int as n from photos group by 1`).catch(() => []);
      if (states.length === 1 && states[0]!.state === 'completed' && states[0]!.n === ids.length) break;
      await sleep(500);
    }
    expect(states).toEqual([{ state: 'completed', n: ids.length }]);
    const steps = await rows<{ status: string; attempts: number; n: number }>(
      db(),
      sql`select status, attempts, count(*)::int as n from photo_steps group by 1, 2 order by 1, 2`,
    );
    expect(steps.filter((row) => !['done', 'skipped'].includes(row.status))).toEqual([]);
    const again = steps.filter((row) => row.attempts > 1).reduce((sum, row) => sum + row.n * (row.attempts - 1), 0);
    expect(again, `steps run again: ${JSON.stringify(steps)}; cut by faults: ${cut}`).toBeLessThanOrEqual(cut);
    void second;
    const line = JSON.stringify({ ...times, stepsRunAgain: again, stepsCutByFaults: cut, photos: ids.length });
    console.log(`fault recovery (ms): ${line}`);
    if (process.env.SHOEBOX_FAULT_TIMES) fs.writeFileSync(process.env.SHOEBOX_FAULT_TIMES, line);
    for (const idle of [times.workerKilled!, times.redisRestarted!, times.postgresRestarted!]) expect(idle).toBeLessThan(30_000);
  }, 300_000);
});
