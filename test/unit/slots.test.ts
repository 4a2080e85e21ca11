import { describe, expect, it } from 'vitest';
import { Slots } from '../../src/api/slots.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('slots', () => {
  it('runs `running` at once and lets the others wait their turn, in order', async () => {
    const slots = new Slots({ running: 2, queue: 10, perKey: 0 });
    const started: string[] = [];
    const take = (name: string) =>
      slots.enter(name).then((release) => {
        started.push(name);
        return release as () => void;
      });
    const a = take('a');
    const b = take('b');
    const c = take('c');
    const d = take('d');
    await settle();
    expect(started).toEqual(['a', 'b']);
    (await a)();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    (await b)();
    (await b)(); // a second release gives nothing back twice
    await settle();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    (await c)();
    (await d)();
    expect(typeof (await slots.enter('e'))).toBe('function');
  });

  it('refuses a key past its share, and anyone past a full queue, at once', async () => {
    const slots = new Slots({ running: 1, queue: 1, perKey: 2 });
    const first = await slots.enter('ann');
    const second = slots.enter('ann'); // waits
    expect(await slots.enter('ann')).toBe('per-key');
    expect(await slots.enter('bob')).toBe('queue');
    expect(slots.inFlight('ann')).toBe(2);
    (first as () => void)();
    ((await second) as () => void)();
    expect(slots.inFlight('ann')).toBe(0);
    expect(typeof (await slots.enter('bob'))).toBe('function');
  });
});
