// A slow link in the relay itself (wire.ts), for the loads: every byte each way, whoever sends it — the page's own
// navigation and the service worker's requests included, which Chromium's CDP emulation on the page does not delay
// (the installed app's navigation started answering 30–300 ms after it, not after one 562.5 ms latency).
// Each direction is one pipe shared by every connection, as a phone's radio is: a chunk waits for the ones before it
// at the link's throughput, then for half the latency (one way: a request and its answer pay the whole latency once,
// as DevTools' presets mean it).
import type { Conditions } from './network.js';

export interface Shaped {
  /** Sends `chunk` on after the link's delay; `deliver` is called in the order chunks were given. */
  send(direction: 'up' | 'down', chunk: Buffer, deliver: (chunk: Buffer) => void): void;
  /** Resolves once nothing is on its way either way (a closed page's thumbnails no longer hold the next load up). */
  idle(): Promise<void>;
}

interface Carried {
  at: number;
  chunk: Buffer;
  deliver: (chunk: Buffer) => void;
}

/** When each chunk of one direction arrives (ms), given when it was sent: a pure rule, for the relay's timers. */
export function arrivals(conditions: Conditions, direction: 'up' | 'down') {
  const bytesPerMs = (direction === 'up' ? conditions.uploadThroughput : conditions.downloadThroughput) / 1000;
  let free = 0;
  return (sentAt: number, bytes: number): number => {
    const start = Math.max(sentAt, free);
    free = bytesPerMs > 0 ? start + bytes / bytesPerMs : start;
    return free + conditions.latency / 2;
  };
}

export function shapedLink(conditions: Conditions): Shaped {
  const queues: Record<'up' | 'down', Carried[]> = { up: [], down: [] };
  const arrive = { up: arrivals(conditions, 'up'), down: arrivals(conditions, 'down') };
  const drain = (direction: 'up' | 'down') => {
    const queue = queues[direction];
    while (queue.length > 0 && queue[0]!.at <= performance.now()) {
      const { chunk, deliver } = queue.shift()!;
      deliver(chunk);
    }
    if (queue.length > 0) setTimeout(() => drain(direction), queue[0]!.at - performance.now());
  };
  return {
    send(direction, chunk, deliver) {
      const queue = queues[direction];
      queue.push({ at: arrive[direction](performance.now(), chunk.length), chunk, deliver });
      if (queue.length === 1) setTimeout(() => drain(direction), queue[0]!.at - performance.now());
    },
    async idle() {
      while (queues.up.length + queues.down.length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    },
  };
}
