import { describe, expect, it } from 'vitest';
import { LocalQueue } from '../../src/pipeline/queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('LocalQueue', () => {
  it('never runs more than `concurrency` jobs at once and runs each one', async () => {
    const queue = new LocalQueue(2);
    let running = 0;
    let peak = 0;
    const seen: string[] = [];
    queue.start(async (id) => {
      running += 1;
      peak = Math.max(peak, running);
      await tick();
      seen.push(id);
      running -= 1;
    });
    for (let i = 0; i < 10; i += 1) await queue.add(`p${i}`);
    await queue.idle();
    expect(peak).toBe(2);
    expect(seen.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `p${i}`).sort());
  });

  it('does not queue a photo twice while it waits', async () => {
    const queue = new LocalQueue(1);
    const seen: string[] = [];
    await queue.add('a');
    await queue.add('a');
    await queue.add('b');
    expect(await queue.depth()).toBe(2);
    queue.start(async (id) => {
      seen.push(id);
    });
    await queue.idle();
    expect(seen).toEqual(['a', 'b']);
  });

  it('looks at a photo once more when it is added while running', async () => {
    const queue = new LocalQueue(1);
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    queue.start(async (id) => {
      seen.push(id);
      if (seen.length === 1) await gate;
    });
    await queue.add('a');
    await tick();
    await queue.add('a');
    release();
    await queue.idle();
    expect(seen).toEqual(['a', 'a']);
  });

  it('keeps going after a job throws and reports the error', async () => {
    const errors: string[] = [];
    const queue = new LocalQueue(1, (id) => errors.push(id));
    const seen: string[] = [];
    queue.start(async (id) => {
      if (id === 'bad') throw new Error('boom');
      seen.push(id);
    });
    await queue.add('bad');
    await queue.add('good');
    await queue.idle();
    expect(errors).toEqual(['bad']);
    expect(seen).toEqual(['good']);
  });

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
