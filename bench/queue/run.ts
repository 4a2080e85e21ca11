// Queue backends: BullMQ on Redis (what cluster mode uses) beside BullMQ's PostgreSQL backend (6.x), with the
// pattern Shoebox's pipeline queue has: a job per photo and lane, named by the photo (`jobId`, so a photo queued
// twice is one job), removed when done, workers with several slots. Measured on the same machine, same run:
//   enqueue       5,000 jobs added one by one (an import queuing its photos), jobs/s
//   drain         those 5,000 taken and completed by 2 workers × 8 slots with an empty processor, jobs/s
//   pickup        one job added to an idle queue until its processor starts, 200 times: the latency a photo
//                 meets before its first step (p50/p95)
//   contended     pickup while 4 other producers add jobs as fast as they can (an import beside it)
// Usage: npm run bench:queue [-- --jobs 5000 --json]. Results: bench/results/queue-latest.json.
import fs from 'node:fs';
import path from 'node:path';
import { createPostgresBackend, Queue, Worker } from 'bullmq';
import { startPostgresServer } from '../../test/helpers/postgres-server.js';
import { startRedisServer } from '../../test/helpers/redis-server.js';
import { arg } from '../args.js';
import { waitForQuiet } from '../machine.js';
import { repoRoot } from '../search/generate.js';

const JOBS = Number(arg('jobs') ?? 5000);
const PICKUPS = 200;
const JSON_ONLY = process.argv.includes('--json');
const log = (line: string) => (JSON_ONLY ? process.stderr.write(`${line}\n`) : console.log(line));
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** What the bench uses of a Queue and a Worker, whichever backend they run on. */
interface BenchQueue {
  add(name: string, data: unknown, options: object): Promise<unknown>;
  waitUntilReady(): Promise<unknown>;
  obliterate(options: { force: boolean }): Promise<void>;
  close(): Promise<void>;
}
interface BenchWorker {
  waitUntilReady(): Promise<unknown>;
  close(): Promise<void>;
}

interface Backend {
  name: string;
  queue(name: string): BenchQueue;
  worker(name: string, processor: () => Promise<unknown>, concurrency: number): BenchWorker;
}

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50Ms: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(sorted.at(-1)!) };
}

const JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true };

async function measure(backend: Backend) {
  const name = `bench-${backend.name}-${Date.now()}`;
  const queue = backend.queue(name);
  await queue.waitUntilReady();

  // enqueue: one add per photo, as an import does
  const e0 = performance.now();
  for (let i = 0; i < JOBS; i++) await queue.add('photo', { i }, { jobId: `photo-${i}`, ...JOB_OPTIONS });
  const enqueueSeconds = (performance.now() - e0) / 1000;
  // a photo queued again while waiting is still one job
  await queue.add('photo', { i: 0 }, { jobId: 'photo-0', ...JOB_OPTIONS });

  // drain: two workers of eight slots
  let done = 0;
  const workers: BenchWorker[] = [];
  const d0 = performance.now();
  await new Promise<void>((resolve) => {
    const processor = async () => {
      if (++done === JOBS) resolve();
    };
    workers.push(backend.worker(name, processor, 8), backend.worker(name, processor, 8));
  });
  const drainSeconds = (performance.now() - d0) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const extra = done - JOBS; // > 0: a job ran twice
  for (const worker of workers) await worker.close();

  // pickup latency on an idle queue, alone and beside producers
  const pickup = async (contended: boolean) => {
    const samples: number[] = [];
    let started: ((at: number) => void) | null = null;
    const worker = backend.worker(`${name}-pickup-${contended}`, async () => started?.(performance.now()), 4);
    await worker.waitUntilReady();
    const target = backend.queue(`${name}-pickup-${contended}`);
    let producing = contended;
    const noise = backend.queue(`${name}-noise`);
    const producers = contended
      ? Array.from({ length: 4 }, async (_, p) => {
          for (let i = 0; producing; i++) await noise.add('photo', { i }, { jobId: `noise-${p}-${i}`, ...JOB_OPTIONS });
        })
      : [];
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < PICKUPS; i++) {
      const ran = new Promise<number>((resolve) => (started = resolve));
      const at = performance.now();
      await target.add('photo', { i }, { jobId: `pickup-${i}`, ...JOB_OPTIONS });
      samples.push((await ran) - at);
    }
    producing = false;
    await Promise.all(producers);
    await worker.close();
    await target.obliterate({ force: true }).catch(() => undefined);
    await target.close();
    await noise.obliterate({ force: true }).catch(() => undefined);
    await noise.close();
    return percentiles(samples);
  };
  const idle = await pickup(false);
  const contended = await pickup(true);
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  return {
    enqueueJobsPerSecond: Math.round(JOBS / enqueueSeconds),
    drainJobsPerSecond: Math.round(JOBS / drainSeconds),
    ranTwice: extra,
    pickupIdle: idle,
    pickupBesideProducers: contended,
  };
}

async function main() {
  const redis = await startRedisServer();
  const postgres = await startPostgresServer();
  const pgUrl = await postgres.createDatabase('queue');
  const backends: Backend[] = [
    {
      name: 'redis',
      queue: (name) => new Queue(name, { connection: { url: redis.url } as never }) as unknown as BenchQueue,
      worker: (name, processor, concurrency) => new Worker(name, processor, { connection: { url: redis.url } as never, concurrency }),
    },
    {
      name: 'postgres',
      queue: (name) => new Queue(name, { connection: { connectionString: pgUrl, migrate: true } }, createPostgresBackend) as unknown as BenchQueue,
      worker: (name, processor, concurrency) =>
        new Worker(name, processor, { connection: { connectionString: pgUrl, migrate: true }, concurrency }, createPostgresBackend),
    },
  ];
  const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
  try {
    for (const backend of backends) {
      await waitForQuiet({ maxSeconds: 120, quietCores: 0.25 });
      log(`${backend.name}…`);
      results[backend.name] = await measure(backend);
      log(`  ${JSON.stringify(results[backend.name])}`);
    }
  } finally {
    await redis.stop();
    await postgres.stop();
  }
  const report = { jobs: JOBS, pickups: PICKUPS, results, at: new Date().toISOString() };
  fs.mkdirSync(path.join(repoRoot, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, 'bench/results/queue-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  if (JSON_ONLY) process.stdout.write(`${JSON.stringify(report)}\n`);
  else console.log(JSON.stringify(report, null, 2));
  process.exit(0); // pg's LISTEN client and ioredis may keep the loop alive after close
}

await main();
