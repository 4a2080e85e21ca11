import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalQueue } from '../../src/pipeline/queue.js';
import { BullPhotoQueue } from '../../src/queue/bullmq.js';
import { GroupQueue } from '../../src/queue/group-queue.js';
import type { AddOptions, PhotoQueue } from '../../src/queue/photo-queue.js';
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
async function blocked(queue: Consuming, options?: AddOptions): Promise<{ queue: Consuming; runs: string[]; release: () => void }> {
  const runs: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  queue.start(async (id) => {
    if (id === 'blocker') await gate;
    runs.push(id);
  });
  await queue.add('blocker', options);
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

  it("takes background photos of several owners in turns: one owner's backlog of clips does not hold the queue against another's", async () => {
    const { queue, runs, release } = await blocked(make(1), { background: true, share: 'ann' });
    for (const id of ['ann-1', 'ann-2', 'ann-3']) await queue.add(id, { background: true, share: 'ann' });
    for (const id of ['bob-1', 'bob-2']) await queue.add(id, { background: true, share: 'bob' });
    release();
    await queue.idle();
    // Ann's clip was running when Bob's came: Bob's first goes next, then each in turn
    expect(runs).toEqual(['blocker', 'bob-1', 'ann-1', 'bob-2', 'ann-2', 'ann-3']);
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
});
