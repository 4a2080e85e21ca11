// fetch for the command line's talk with a server, which must end when the server does: a connection refused or
// dropped is said in words (not "fetch failed"), and a server that goes silent — no answer, no byte of one, nothing
// of an upload taken — for SHOEBOX_SERVER_TIMEOUT_SECONDS is given up. Node's fetch alone waited 5 minutes for an
// answer's headers and for ever on an upload the server stopped reading. Redirects follow net/redirects.ts's rule:
// within the server's origin; off it only a request without a body, without the key (a server on object storage
// sends an original's download to a presigned link), never from https to http nor to an address the server is not on.
import { fetchFollowing, RedirectGuard, RedirectRefusedError } from '../net/redirects.js';

/** The server refused, dropped or stopped answering: the command stops with it. */
export class ServerUnreachableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ServerUnreachableError';
  }
}

// as long as Node's fetch waited for an answer's headers: operations a server does inside one request (an upload's
// move to a remote bucket, regenerating automatic albums, removing a large library) took that long before and still may
const DEFAULT_SILENCE_SECONDS = 300;

/** Milliseconds a server may stay silent (SHOEBOX_SERVER_TIMEOUT_SECONDS, default 300). */
export function silenceLimitMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.SHOEBOX_SERVER_TIMEOUT_SECONDS;
  if (!value) return DEFAULT_SILENCE_SECONDS * 1000;
  const seconds = Number(value);
  if (!(seconds > 0)) throw new Error(`SHOEBOX_SERVER_TIMEOUT_SECONDS must be a number of seconds above 0, not ${JSON.stringify(value)}`);
  return seconds * 1000;
}

/** Aborts its signal once nothing happened for `ms`; each sign of life starts the wait again. */
class Silence {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  fired = false;

  constructor(readonly ms: number) {
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort();
    }, this.ms);
    // what is waited for holds its own socket open: the timer alone never keeps a finished command alive
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

/** The failure in words: what happened to the server at `base`. */
export function unreachable(base: string, error: unknown, silentFor: number | null): ServerUnreachableError {
  if (silentFor !== null) {
    return new ServerUnreachableError(
      `the server at ${base} stopped answering: nothing came for ${Math.round(silentFor / 100) / 10} s (SHOEBOX_SERVER_TIMEOUT_SECONDS)`,
      { cause: error },
    );
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code;
  const host = new URL(base).host;
  let message: string;
  if (code === 'ECONNREFUSED') message = `no Shoebox server answers at ${base} (connection refused): is it running?`;
  else if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
    message = `the server at ${base} closed the connection before its answer was whole (did it stop?)`;
  } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') message = `${host} is not a name this machine can find`;
  else if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH') message = `the server at ${base} cannot be reached (${code})`;
  else message = `the server at ${base} could not be talked to: ${cause?.message ?? (error instanceof Error ? error.message : String(error))}`;
  return new ServerUnreachableError(message, { cause: error });
}

/** Statuses whose answers have no body (a Response may not be made with one). */
const NO_BODY = new Set([101, 103, 204, 205, 304]);

/** `url` on the server at `base`, given up after `silenceMs` without a sign of life; failures are ServerUnreachableError. */
export async function serverFetch(base: string, url: URL, init: RequestInit, silenceMs: number): Promise<Response> {
  const silence = new Silence(silenceMs);
  const failed = (error: unknown) => {
    silence.stop();
    return unreachable(base, error, silence.fired ? silenceMs : null);
  };
  let body = init.body;
  const headers = new Headers(init.headers);
  if (body instanceof FormData) {
    // sent as a stream whose every chunk taken is a sign of life: a server that stops reading an upload is seen
    const encoded = new Response(body);
    headers.set('content-type', encoded.headers.get('content-type')!);
    body = watched(
      encoded.body!,
      silence,
      (error) => (error instanceof Error ? error : new Error(String(error))),
      () => {},
    );
  }
  const redirects = new RedirectGuard({ endpoint: new URL(base), name: 'the server', hosts: 'any' });
  const send = async (target: URL, request: RequestInit) => {
    const answer = await fetch(target, request);
    silence.touch();
    return answer;
  };
  let response: Response;
  try {
    const request = { ...init, headers, body, signal: silence.signal, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) };
    response = await fetchFollowing(url, request, redirects, send);
  } catch (error) {
    if (!(error instanceof RedirectRefusedError)) throw failed(error);
    silence.stop();
    throw new ServerUnreachableError(`the server at ${base} answered with a redirect, which was not followed: ${error.reason}`);
  }
  if (!response.body || NO_BODY.has(response.status)) {
    silence.stop();
    return response;
  }
  const answer = watched(response.body, silence, failed, () => silence.stop());
  return new Response(answer, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** The stream, each chunk read a sign of life, its errors said by `failed`. */
function watched(stream: ReadableStream<Uint8Array>, silence: Silence, failed: (error: unknown) => Error, ended: () => void): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        silence.touch();
        if (done) {
          ended();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        controller.error(failed(error));
      }
    },
    cancel(reason) {
      ended();
      return reader.cancel(reason);
    },
  });
}
