import { describe, expect, it } from 'vitest';
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

  it('keeps one of its slots free of background work, so that a photo arriving starts at once', async () => {
    const queue = new LocalQueue(2);
    const started: string[] = [];
    const release = new Map<string, () => void>();
    queue.start(async (id) => {
      started.push(id);
      await new Promise<void>((resolve) => release.set(id, resolve));
    });
    await queue.add('clip-1', { background: true });
    await queue.add('clip-2', { background: true });
    await tick();
    expect(started).toEqual(['clip-1']); // the second slot stays free
    await queue.add('photo');
    await tick();
    expect(started).toEqual(['clip-1', 'photo']);
    release.get('photo')!();
    await tick();
    expect(started).toEqual(['clip-1', 'photo']); // still one clip at a time beside the free slot
    release.get('clip-1')!();
    await tick();
    expect(started).toEqual(['clip-1', 'photo', 'clip-2']);
    release.get('clip-2')!();
    await queue.idle();
    await queue.close();
  });
});
