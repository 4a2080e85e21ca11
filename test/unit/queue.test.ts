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
});
