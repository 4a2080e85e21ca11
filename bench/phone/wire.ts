// A loopback relay between the browser and the server that counts the bytes each way: what the phone really sent
// (request lines, headers and bodies, a cut request's part included), whatever the browser's own accounting says.
import net from 'node:net';
import { shapedLink, type Shaped } from './link.js';
import type { Conditions } from './network.js';

export interface Wire {
  url: string;
  /** Bytes from the browser to the server, and back, since the last reset. */
  readonly up: number;
  readonly down: number;
  reset(): void;
  /** Drops every connection and refuses new ones (on), or takes them again (off): the signal lost, really. */
  cut(on: boolean): void;
  /** A slow link for every byte from now on (link.ts), or none (null): the loads' Fast 3G. */
  shape(conditions: Conditions | null): void;
  /** Resolves once the slow link carries nothing. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startWire(target: { host: string; port: number }): Promise<Wire> {
  let up = 0;
  let down = 0;
  const sockets = new Set<net.Socket>();
  let cut = false;
  let link: Shaped | null = null;
  const server = net.createServer((client) => {
    // while cut, a new connection is dropped at once, as a phone with no signal gets none
    if (cut) return void client.destroy();
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('data', (chunk: Buffer) => (up += chunk.length));
    upstream.on('data', (chunk: Buffer) => (down += chunk.length));
    // a connection made while the link is slow carries its chunks (and its close) at the link's pace; others are piped
    const slow = link;
    if (slow) {
      client.on('data', (chunk: Buffer) => slow.send('up', chunk, (late) => upstream.destroyed || upstream.write(late)));
      upstream.on('data', (chunk: Buffer) => slow.send('down', chunk, (late) => client.destroyed || client.write(late)));
      client.on('end', () => slow.send('up', Buffer.alloc(0), () => upstream.end()));
      upstream.on('end', () => slow.send('down', Buffer.alloc(0), () => client.end()));
      client.on('error', end);
      upstream.on('error', end);
      client.on('close', () => slow.send('up', Buffer.alloc(0), end));
      upstream.on('close', () => slow.send('down', Buffer.alloc(0), end));
      return;
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    get up() {
      return up;
    },
    get down() {
      return down;
    },
    cut(on: boolean) {
      cut = on;
      if (on) for (const socket of sockets) socket.destroy();
    },
    shape(conditions: Conditions | null) {
      link = conditions ? shapedLink(conditions) : null;
    },
    idle: async () => link?.idle(),
    reset() {
      up = 0;
      down = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
