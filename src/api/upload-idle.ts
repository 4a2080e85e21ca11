// A body that stops sending would hold its connection, a temp file and its place among the uploads open at once
// for ever: after SHOEBOX_UPLOAD_IDLE_SECONDS without a byte, while the server waits for one, the request is cut.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a request that stopped sending is cut with (multipart-errors.ts answers it 408). */
export class IdleUploadError extends Error {
  readonly code = 'SHOEBOX_UPLOAD_IDLE';
  constructor(readonly seconds: number) {
    super(`no bytes for ${seconds} s`);
    this.name = 'IdleUploadError';
  }
}

/** Seconds before an answer that could not be sent is given up and the connection closed anyway. */
const ANSWER_GRACE_MS = 10_000;

/**
 * Watches the request's body: when no byte arrives for `idleMs` while the server waits for one (the body not
 * complete, not paused because the server is still busy with what came, nothing left unread), the request fails
 * with IdleUploadError: the multipart reader ends with it, so the half file's temp goes and the files received
 * whole are kept. The answer closes the connection (the rest of the body will not be read). Answers a function
 * that stops watching.
 */
export function cutWhenIdle(request: IncomingMessage, response: ServerResponse, idleMs: number): () => void {
  const socket = request.socket;
  let seen = socket.bytesRead;
  let since = Date.now();
  const timer = setInterval(
    () => {
      const now = Date.now();
      const waiting = !request.complete && request.readableFlowing !== false && request.readableLength === 0;
      if (socket.bytesRead !== seen || !waiting) {
        seen = socket.bytesRead;
        since = now;
        return;
      }
      if (now - since < idleMs) return;
      clearInterval(timer);
      if (!response.headersSent) response.setHeader('connection', 'close');
      setTimeout(() => socket.destroy(), ANSWER_GRACE_MS).unref();
      const error = new IdleUploadError(Math.round(idleMs / 100) / 10);
      // the multipart reader listens for the request's errors; before it does, there is nothing to unwind
      if (request.listenerCount('error') > 0) request.emit('error', error);
      else socket.destroy();
    },
    Math.max(50, Math.min(1000, idleMs / 5)),
  );
  timer.unref();
  return () => clearInterval(timer);
}
