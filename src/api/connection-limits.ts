// Connections are bounded before anyone is signed in: per client address (one address cannot take the room of
// the others) and in all, below the process's file-handle limit (a crowd of connections once took every handle:
// the database, thumbnails and originals failed with it). When every place is taken (an address's, or all), a
// connection that is stalled (of that address, or any) — nothing under way, or a body the server waits for that
// sent nothing for a while — gives its place to the new one, oldest first; a connection whose request the server
// is working on or answering keeps its place, so signed-in users' requests under way are never dropped for an
// anonymous crowd. The time-outs (body-deadlines.ts, Node's headersTimeout) end stalled connections anyway; this
// keeps the room they hold bounded meanwhile.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { clientOf } from '../auth/login-limiter.js';
import { waitsOnClient } from './body-deadlines.js';

export interface ConnectionLimits {
  /**
   * Connections one client address (an IPv6 address by its /64) may hold open; null: not counted per address
   * (behind a reverse proxy, every connection is the proxy's: the proxy limits its clients).
   */
  perAddress: number | null;
  /** Connections open in all. */
  total: number;
}

/** Why a connection was refused or closed (the metric's label). */
export type ConnectionCut = 'per-address' | 'full' | 'stalled';

interface Open {
  client: string;
  /** Its requests under way: their answers not finished. */
  requests: Set<IncomingMessage>;
  /** The socket's bytes read when last looked at, and when they last changed. */
  seen: number;
  movedAt: number;
}

/** Milliseconds a connection waiting on its client must have sent nothing to give its place to a new one. */
export const STALLED_MS = 2000;
/** Refused connections being answered at once; past it one is closed without an answer (a flood is not answered). */
const ANSWERING_MAX = 256;
/** How long a refused connection has to read its answer before it is closed. */
const REFUSAL_GRACE_MS = 2000;

export class ConnectionGate {
  private readonly open = new Map<Socket, Open>();
  /** Each address's connections, oldest first. */
  private readonly perClient = new Map<string, Set<Socket>>();
  private answering = 0;

  constructor(
    private readonly limits: ConnectionLimits,
    private readonly onCut: (reason: ConnectionCut) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /** Puts the gate in front of the server's own handling of new connections, and follows their requests. */
  install(server: Server): void {
    const handlers = server.listeners('connection') as ((socket: Socket) => void)[];
    server.removeAllListeners('connection');
    server.on('connection', (socket: Socket) => {
      if (this.admit(socket)) for (const handler of handlers) handler.call(server, socket);
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this.follow(request, response));
  }

  /** Connections open now: in all, and from one address. */
  get size(): number {
    return this.open.size;
  }

  from(address: string): number {
    return this.perClient.get(clientOf(address))?.size ?? 0;
  }

  private admit(socket: Socket): boolean {
    const client = clientOf(socket.remoteAddress);
    const mine = this.perClient.get(client);
    // at its bound, the address's own oldest stalled connection gives its place (a browser keeps up to 6 idle for
    // 72 s): a household or a venue behind one address is refused only when all of its connections are busy
    if (this.limits.perAddress !== null && (mine?.size ?? 0) >= this.limits.perAddress && !this.makeRoom(mine!)) {
      this.refuse(
        socket,
        'per-address',
        429,
        'Too Many Requests',
        `too many connections from your address (${mine!.size} open and busy): try again in a moment`,
      );
      return false;
    }
    if (this.open.size >= this.limits.total && !this.makeRoom(this.open.keys())) {
      this.refuse(socket, 'full', 503, 'Service Unavailable', 'the server has as many connections open as it can hold: try again in a moment');
      return false;
    }
    this.open.set(socket, { client, requests: new Set(), seen: 0, movedAt: this.now() });
    // (the set again: making room may have emptied and dropped it)
    this.perClient.set(client, (this.perClient.get(client) ?? new Set()).add(socket));
    socket.once('close', () => this.forget(socket));
    return true;
  }

  private follow(request: IncomingMessage, response: ServerResponse): void {
    const open = this.open.get(request.socket);
    if (!open) return;
    open.requests.add(request);
    response.once('close', () => open.requests.delete(request));
  }

  /** Closes the oldest stalled connection of `sockets` (oldest first); false when none is. */
  private makeRoom(sockets: Iterable<Socket>): boolean {
    const now = this.now();
    for (const socket of sockets) {
      const open = this.open.get(socket)!;
      if (!this.stalled(socket, open, now)) continue;
      this.forget(socket);
      socket.destroy();
      this.onCut('stalled');
      return true;
    }
    return false;
  }

  /** Nothing under way (before a request, or between two), or a body the server waits for that sent nothing lately. */
  private stalled(socket: Socket, open: Open, now: number): boolean {
    if (socket.bytesRead !== open.seen) {
      open.seen = socket.bytesRead;
      open.movedAt = now;
      if (open.requests.size > 0) return false;
    }
    if (open.requests.size === 0) return true;
    for (const request of open.requests) if (!waitsOnClient(request)) return false;
    return now - open.movedAt >= STALLED_MS;
  }

  private forget(socket: Socket): void {
    const open = this.open.get(socket);
    if (!open) return;
    this.open.delete(socket);
    const mine = this.perClient.get(open.client);
    mine?.delete(socket);
    if (mine?.size === 0) this.perClient.delete(open.client);
  }

  /** Answers a connection that is not taken, before the server reads anything of it, and closes it. */
  private refuse(socket: Socket, reason: ConnectionCut, status: number, statusText: string, message: string): void {
    this.onCut(reason);
    socket.on('error', () => {});
    if (this.answering >= ANSWERING_MAX) {
      socket.destroy();
      return;
    }
    this.answering++;
    const body = JSON.stringify({ statusCode: status, error: statusText, message });
    // what the client sends is read and dropped: closing on unread bytes would reset the answer away
    socket.resume();
    socket.end(
      `HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nRetry-After: 5\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    const timer = setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
      this.answering--;
    });
  }
}
