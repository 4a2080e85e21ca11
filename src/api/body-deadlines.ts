// A request whose body stops coming would hold its connection (and, for an upload, a temp file and its place among
// the uploads open at once) for ever: ~19,900 stalled sign-ins once held every file handle of a server. Every
// request that has a body is watched, on every route, from its headers on:
// - idle: no byte for SHOEBOX_UPLOAD_IDLE_SECONDS while the server waits for one: cut;
// - total: a body not whole after SHOEBOX_BODY_SECONDS while the server waits for it: cut — except on the routes
//   that take uploads (photos, an image search, a model archive, an import's archives), once the route has let
//   the caller in: those may take as long as bytes keep coming, so that a phone on a slow link is not cut.
// Time the server spends on what it received (storing a file, a slow object store) counts for neither: the body is
// waited on only when the server reads it, nothing is left unread and the body is not paused.
// Headers have their own limit, Node's headersTimeout (SHOEBOX_HEADER_SECONDS, set in app.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a request whose body stopped coming is cut with: answered 408 (its kind), and by the upload routes with what they kept. */
export class StalledBodyError extends Error {
  readonly code = 'SHOEBOX_BODY_STALLED';
  readonly kind = 'timeout';
  readonly statusCode = 408;
  constructor(message: string) {
    super(message);
    this.name = 'StalledBodyError';
  }
}

/** Seconds before an answer that could not be sent is given up and the connection closed anyway. */
const ANSWER_GRACE_MS = 10_000;

/** Requests a route has taken as uploads (no total time): marked by the route, read by the watcher. */
const uploads = new WeakSet<IncomingMessage>();

/**
 * Says that the route reads this request's body as an upload: from now on it is cut only when idle, never for
 * its total time. Call it where the route starts reading, after the caller was let in.
 */
export function receiveAsUpload(request: IncomingMessage): void {
  uploads.add(request);
}

/** Whether a request announces a body (HTTP/1.1: a length or a transfer coding; none means none). */
export function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Whether the server is waiting on the client for more of this body (it reads, and has read all that came). */
export function waitsOnClient(request: IncomingMessage): boolean {
  return !request.complete && request.readableFlowing !== false && request.readableLength === 0;
}

export interface BodyLimits {
  idleMs: number;
  /** A body's time in all, on the routes that are not uploads. */
  totalMs: number;
}

/** What is known of a body's arrival. */
export interface BodyProgress {
  /** Since when no byte came while the server waited for one. */
  since: number;
  /** Milliseconds the server has waited on the client for this body in all. */
  waited: number;
}

interface Watch extends BodyProgress {
  response: ServerResponse;
  /** The socket's bytes read when last looked at, and when that was. */
  seen: number;
  lookedAt: number;
}

/** Why a body the server waits for is to be cut now, or null. Pure: the watcher's rule. */
export function stallOf(limits: BodyLimits, progress: BodyProgress, upload: boolean, now: number): string | null {
  if (now - progress.since >= limits.idleMs) return `no bytes for ${seconds(limits.idleMs)} s`;
  if (!upload && progress.waited >= limits.totalMs) return `the request's body did not arrive whole within ${seconds(limits.totalMs)} s`;
  return null;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** Watches the bodies of a server's requests under `limits`; one sweep a tick for all of them. */
export class BodyDeadlines {
  private readonly watched = new Map<IncomingMessage, Watch>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly limits: BodyLimits,
    private readonly onCut: () => void = () => {},
    private readonly now: () => number = Date.now,
  ) {
    this.timer = setInterval(() => this.sweep(), Math.max(50, Math.min(1000, Math.min(limits.idleMs, limits.totalMs) / 5)));
    this.timer.unref();
  }

  /** Watches the request's body from now (its headers just came); nothing for a request without one. */
  watch(request: IncomingMessage, response: ServerResponse): void {
    if (!hasBody(request)) return;
    const now = this.now();
    this.watched.set(request, { response, since: now, waited: 0, seen: request.socket.bytesRead, lookedAt: now });
    const forget = () => this.watched.delete(request);
    request.once('end', forget);
    request.once('close', forget);
  }

  /** Requests whose bodies are watched now. */
  get size(): number {
    return this.watched.size;
  }

  stop(): void {
    clearInterval(this.timer);
    this.watched.clear();
  }

  private sweep(): void {
    const now = this.now();
    for (const [request, watch] of this.watched) {
      const socket = request.socket;
      if (request.complete || socket.destroyed) {
        this.watched.delete(request);
        continue;
      }
      const waiting = waitsOnClient(request);
      if (waiting) watch.waited += now - watch.lookedAt;
      watch.lookedAt = now;
      if (socket.bytesRead !== watch.seen || !waiting) {
        watch.seen = socket.bytesRead;
        watch.since = now;
      }
      // the server's own time (busy with what came) is not the client's
      if (!waiting) continue;
      const stall = stallOf(this.limits, watch, uploads.has(request), now);
      if (!stall) continue;
      this.watched.delete(request);
      this.onCut();
      cut(request, watch.response, new StalledBodyError(stall));
    }
  }
}

/**
 * Ends a request whose body stopped coming: its reader (Fastify's body parser, the multipart reader, tus) fails with
 * `error` and answers it, on a connection that then closes (the rest of the body will not be read); with no reader
 * yet there is nothing to unwind, and the connection goes at once.
 */
function cut(request: IncomingMessage, response: ServerResponse, error: StalledBodyError): void {
  const socket = request.socket;
  if (!response.headersSent) response.setHeader('connection', 'close');
  setTimeout(() => socket.destroy(), ANSWER_GRACE_MS).unref();
  if (request.listenerCount('error') > 0) request.emit('error', error);
  else socket.destroy();
}
