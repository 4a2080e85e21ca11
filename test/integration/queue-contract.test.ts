import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalQueue } from '../../src/pipeline/queue.js';
import { BullPhotoQueue, QUEUE_PREFIX, redisConnection } from '../../src/queue/bullmq.js';
import { GroupQueue } from '../../src/queue/group-queue.js';
import type { PhotoQueue } from '../../src/queue/photo-queue.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

// One contract for every photo queue: the in-process one of the embedded default and BullMQ on a real Redis.
type Consuming = PhotoQueue & { start(handler: (photoId: string) => Promise<void>): void };

let redis: RedisServer;
let queues = 0;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => redis?.stop());

const implementations: { name: string; make(concurrency: number, onError?: (id: string, e: unknown) => void): Consuming }[] = [
  { name: 'in-process', make: (concurrency, onError) => new LocalQueue(concurrency, onError) },
  { name: 'BullMQ on Redis', make: (concurrency, onError) => new BullPhotoQueue(`contract-${queues++}`, redis.url, { concurrency, onError }) },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A one-slot queue whose first photo, `blocker`, runs until `release()`: what is added meanwhile waits. */
async function blocked(queue: Consuming): Promise<{ queue: Consuming; runs: string[]; release: () => void }> {
  const runs: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  queue.start(async (id) => {
    if (id === 'blocker') await gate;
    runs.push(id);
  });
  await queue.add('blocker');
  await sleep(100); // the blocker runs; what follows waits
  return { queue, runs, release };
}

describe.each(implementations)('photo queue: $name', ({ make }) => {
  it('runs every photo added, once, at most `concurrency` at a time', async () => {
    const queue = make(2);
    const runs: string[] = [];
    let running = 0;
    let most = 0;
    queue.start(async (id) => {
      running++;
      most = Math.max(most, running);
      await sleep(30);
      runs.push(id);
      running--;
    });
    for (let i = 0; i < 8; i++) await queue.add(`photo-${i}`);
    await queue.idle();
    expect(runs.sort()).toEqual(Array.from({ length: 8 }, (_, i) => `photo-${i}`).sort());
    expect(most).toBe(2);
    expect(await queue.depth()).toBe(0);
    await queue.close();
  });

  it('takes background photos (videos) after every other waiting one, each kind in the order it came', async () => {
    const { queue, runs, release } = await blocked(make(1));
    await queue.add('clip-1', { background: true });
    await queue.add('clip-2', { background: true });
    await queue.add('photo-1');
    await queue.add('photo-2');
    release();
    await queue.idle();
    expect(runs).toEqual(['blocker', 'photo-1', 'photo-2', 'clip-1', 'clip-2']);
    await queue.close();
  });

  it("takes background photos of several owners in turns, each owner's in the order they came: a late owner's clips alternate with a half-done backlog", async () => {
    const queue = make(1);
    const clip = { background: true };
    for (let i = 1; i <= 6; i++) await queue.add(`ann-${i}`, { ...clip, share: 'ann' }); // Ann's backlog, before any runs
    const runs: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    queue.start(async (id) => {
      runs.push(id);
      if (id !== 'ann-3') return;
      held = true;
      await gate;
    });
    while (!held) await sleep(10); // two of Ann's six are done, the third runs
    for (let i = 1; i <= 4; i++) await queue.add(`bob-${i}`, { ...clip, share: 'bob' });
    await queue.add('ann-7', { ...clip, share: 'ann' });
    release();
    await queue.idle();
    // Bob's first goes next (Ann was served last), then each in turn; Ann's seventh after her sixth
    expect(runs).toEqual(['ann-1', 'ann-2', 'ann-3', 'bob-1', 'ann-4', 'bob-2', 'ann-5', 'bob-3', 'ann-6', 'bob-4', 'ann-7']);
    await queue.close();
  });

  it('adds a photo that is already waiting only once', async () => {
    const { queue, runs, release } = await blocked(make(1));
    for (let i = 0; i < 3; i++) await queue.add('twice');
    release();
    await queue.idle();
    await sleep(100);
    await queue.idle();
    expect(runs.filter((id) => id === 'twice')).toHaveLength(1);
    await queue.close();
  });

  it('runs a photo once more when it is added again while it runs (its steps may have been reset)', async () => {
    const queue = make(2);
    let runs = 0;
    let concurrent = 0;
    let overlapped = false;
    queue.start(async () => {
      runs++;
      concurrent++;
      if (concurrent > 1) overlapped = true;
      await sleep(150);
      concurrent--;
    });
    await queue.add('photo');
    await sleep(60); // running now
    await queue.add('photo');
    await queue.add('photo');
    await sleep(600);
    await queue.idle();
    expect(runs).toBe(2);
    expect(overlapped).toBe(false);
    await queue.close();
  });

  it('keeps going after a job throws, and reports it', async () => {
    const errors: string[] = [];
    const queue = make(1, (id) => errors.push(id));
    const runs: string[] = [];
    queue.start(async (id) => {
      if (id === 'bad') throw new Error('broken photo');
      runs.push(id);
    });
    await queue.add('bad');
    await queue.add('good');
    await queue.idle();
    expect(errors).toEqual(['bad']);
    expect(runs).toEqual(['good']);
    await queue.close();
  });

  it('waits for the running job when closed', async () => {
    const queue = make(1);
    let finished = false;
    queue.start(async () => {
      await sleep(200);
      finished = true;
    });
    await queue.add('long');
    await sleep(60);
    await queue.close();
    expect(finished).toBe(true);
  });
});

// Scans of libraries in place (app/in-place-scans.ts): one job of a group (an owner) at a time, other groups' beside it
// — in process, and on Redis across two consumers (a cluster's workers).
const groupOf = async (id: string) => id.slice(0, 1);
const grouped: { name: string; make(): (PhotoQueue & { start(handler: (id: string) => Promise<void>): void })[] }[] = [
  { name: 'in-process', make: () => [new GroupQueue(2, groupOf)] },
  {
    name: 'BullMQ on Redis, two workers',
    make: () => {
      const name = `groups-${queues++}`;
      return [0, 1].map(() => new BullPhotoQueue(name, redis.url, { concurrency: 2, exclusive: { groupOf, retryMs: 50 } }));
    },
  },
];

describe.each(grouped)('queue of groups: $name', ({ make }) => {
  it('runs one job of a group at a time, and another group’s beside it', async () => {
    const consumers = make();
    const spans = new Map<string, { from: number; to: number }>();
    for (const consumer of consumers) {
      consumer.start(async (id) => {
        const from = performance.now();
        await sleep(id.startsWith('a') ? 300 : 50);
        spans.set(id, { from, to: performance.now() });
      });
    }
    for (const id of ['a1', 'a2', 'b1']) await consumers[0]!.add(id);
    for (const consumer of consumers) await consumer.idle();
    const [a1, a2, b1] = ['a1', 'a2', 'b1'].map((id) => spans.get(id)!);
    const [first, second] = [a1!, a2!].sort((x, y) => x.from - y.from);
    expect(second!.from).toBeGreaterThanOrEqual(first!.to); // group a: one after the other
    expect(b1!.from).toBeLessThan(first!.to); // group b did not wait for it
    for (const consumer of consumers) await consumer.close();
  });
});

describe('photo queue on Redis across processes', () => {
  it('runs in a worker what a server that runs nothing added, and takes new work after Redis restarts', async () => {
    const name = `handover-${queues++}`;
    const producer = new BullPhotoQueue(name, redis.url, { concurrency: 1 }); // an API server: adds, runs nothing
    for (let i = 0; i < 5; i++) await producer.add(`photo-${i}`);
    expect(await producer.depth()).toBe(5);
    const runs: string[] = [];
    const worker = new BullPhotoQueue(name, redis.url, { concurrency: 2 });
    worker.start(async (id) => void runs.push(id));
    await worker.idle();
    expect(runs.sort()).toEqual(['photo-0', 'photo-1', 'photo-2', 'photo-3', 'photo-4']);
    // Redis dies and comes back empty: the queue reconnects and takes new work (the database refills what was lost)
    await redis.restart();
    await producer.add('after-restart');
    await worker.idle();
    expect(runs).toContain('after-restart');
    await worker.close();
    await producer.close();
  });

  it("gives clips priorities within BullMQ's limit from any server: from 1 again once the lane drains, a lost job holding nothing", async () => {
    const name = `turns-${queues++}`;
    const servers = [0, 1].map(() => new BullPhotoQueue(name, redis.url, { concurrency: 1 })); // API servers: add only
    const jobs = new Queue(name, { connection: redisConnection(redis.url), prefix: QUEUE_PREFIX });
    const client = new Redis(redis.url);
    const priorities = (ids: string[]) => Promise.all(ids.map(async (id) => (await jobs.getJob(id))?.priority));
    const clip = (share: string) => ({ background: true, share });
    const drain = async () => {
      const runs: string[] = [];
      const worker = new BullPhotoQueue(name, redis.url, { concurrency: 1 });
      worker.start(async (id) => void runs.push(id));
      await worker.idle();
      await worker.close();
      return runs;
    };
    await Promise.all([servers[0]!.add('ann-1', clip('ann')), servers[1]!.add('bob-1', clip('bob'))]);
    await servers[0]!.add('ann-2', clip('ann'));
    await servers[1]!.add('ann-3', clip('ann'));
    expect(await priorities(['ann-1', 'bob-1', 'ann-2', 'ann-3'])).toEqual([1, 1, 2, 3]);
    await jobs.remove('ann-3'); // lost behind the queue's back
    const runs = await drain();
    expect([...runs.slice(0, 2).sort(), ...runs.slice(2)]).toEqual(['ann-1', 'bob-1', 'ann-2']); // the first two: whichever came first
    // drained (the lost job holds nothing): priorities start again from 1
    await servers[0]!.add('cat-1', clip('cat'));
    expect(await priorities(['cat-1'])).toEqual([1]);
    // three million turns later without a drain: the last priority BullMQ takes, not a failed add; 1 after a drain
    await client.set(`${QUEUE_PREFIX}:${name}:fair:v`, 3_000_000);
    await servers[1]!.add('dan-1', clip('dan'));
    expect(await priorities(['dan-1'])).toEqual([2 ** 21 - 1]);
    expect(await drain()).toEqual(['cat-1', 'dan-1']);
    await servers[0]!.add('eve-1', clip('eve'));
    expect(await priorities(['eve-1'])).toEqual([1]);
    // what the turns keep: three keys, and only the shares whose last turn is not behind the latest started
    expect((await client.keys(`${QUEUE_PREFIX}:${name}:fair:*`)).sort()).toEqual(['base', 'last', 'v'].map((key) => `${QUEUE_PREFIX}:${name}:fair:${key}`));
    expect(await client.zrange(`${QUEUE_PREFIX}:${name}:fair:last`, 0, -1)).toEqual(['dan', 'eve']);
    await drain();
    client.disconnect();
    await jobs.close();
    for (const server of servers) await server.close();
  });
});
