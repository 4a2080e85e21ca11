import { describe, expect, it } from 'vitest';
import { LANE_NAMES } from '../../src/model/lanes.js';
import { LaneQueue, type LaneConcurrency } from '../../src/pipeline/lane-queue.js';
import { FairQueue } from '../../src/pipeline/fair-queue.js';
import { LocalQueue } from '../../src/pipeline/queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('LocalQueue', () => {
  // running once each, concurrency, dedupe, added-again-while-running and errors: the queue contract
  // (test/integration/queue-contract.test.ts), which runs this queue and BullMQ alike. What is the in-process
  // queue's own:
  it('close waits for running jobs and drops waiting ones', async () => {
    const queue = new LocalQueue(1);
    const seen: string[] = [];
    queue.start(async (id) => {
      await tick();
      seen.push(id);
    });
    await queue.add('a');
    await queue.add('b');
    await queue.close();
    expect(seen).toEqual(['a']);
    expect(await queue.depth()).toBe(0);
  });

  it('gives photos slots of their own beside background work, which starts only while no photo waits or runs', async () => {
    const queue = new LocalQueue(1);
    const started: string[] = [];
    const release = new Map<string, () => void>();
    queue.start(async (id) => {
      started.push(id);
      await new Promise<void>((resolve) => release.set(id, resolve));
    });
    await queue.add('clip-1', { background: true });
    await tick();
    await queue.add('photo');
    await tick();
    expect(started).toEqual(['clip-1', 'photo']); // the one slot of the lane was not the clip's to hold
    await queue.add('clip-2', { background: true });
    release.get('clip-1')!();
    await tick();
    expect(started).toEqual(['clip-1', 'photo']); // a photo runs: no clip starts beside it
    release.get('photo')!();
    await tick();
    expect(started).toEqual(['clip-1', 'photo', 'clip-2']);
    release.get('clip-2')!();
    await queue.idle();
    await queue.close();
  });

  it('gives videos alone every slot of the lane', async () => {
    const queue = new LocalQueue(2);
    const started: string[] = [];
    const release = new Map<string, () => void>();
    queue.start(async (id) => {
      started.push(id);
      await new Promise<void>((resolve) => release.set(id, resolve));
    });
    for (const id of ['clip-1', 'clip-2', 'clip-3']) await queue.add(id, { background: true });
    await tick();
    expect(started).toEqual(['clip-1', 'clip-2']);
    for (const id of ['clip-1', 'clip-2']) release.get(id)!();
    await tick();
    release.get('clip-3')!();
    await queue.idle();
    await queue.close();
  });
});

describe('FairQueue', () => {
  it("takes each owner's items in turn, the owner served longest ago (or never) first, each owner's in the order they came", () => {
    const queue = new FairQueue();
    queue.push('ann-1', 'ann');
    expect(queue.shift()).toBe('ann-1'); // runs: Ann was served last
    for (const id of ['ann-2', 'ann-3', 'ann-4']) queue.push(id, 'ann');
    queue.push('bob-1', 'bob');
    queue.push('bob-2', 'bob');
    queue.push('cat-1', 'cat');
    expect(queue.length).toBe(6);
    const order = Array.from({ length: 6 }, () => queue.shift());
    expect(order).toEqual(['bob-1', 'cat-1', 'ann-2', 'bob-2', 'ann-3', 'ann-4']);
    expect(queue.shift()).toBeUndefined();
  });
});

describe('LaneQueue', () => {
  it("lets a video's work give way between its parts while photos wait or run in its lane", async () => {
    const queue = new LaneQueue(Object.fromEntries(LANE_NAMES.map((lane) => [lane, 1])) as LaneConcurrency);
    const seen: string[] = [];
    const release = new Map<string, () => void>();
    let done = 0;
    queue.start({
      route: async () => ['faces'],
      placement: async (id) => ({ background: id.startsWith('clip') }),
      run: async (id, _lane, giveWay) => {
        if (id.startsWith('clip')) {
          for (const frame of [1, 2, 3]) {
            await giveWay();
            seen.push(`${id} frame ${frame}`);
            if (frame === 1) await new Promise<void>((resolve) => release.set(id, resolve));
          }
        } else {
          seen.push(id);
          await new Promise<void>((resolve) => release.set(id, resolve));
        }
        done += 1;
        return [];
      },
    });
    await queue.add('clip');
    await until(() => release.has('clip'));
    await queue.add('photo');
    await until(() => release.has('photo'));
    release.get('clip')!();
    await tick();
    expect(seen).toEqual(['clip frame 1', 'photo']); // frame 2 waits for the photo
    release.get('photo')!();
    await until(() => done === 2);
    expect(seen).toEqual(['clip frame 1', 'photo', 'clip frame 2', 'clip frame 3']);
    await queue.close();
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await tick();
  expect(condition()).toBe(true);
}
