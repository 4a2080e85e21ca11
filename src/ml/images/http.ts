// The request policy every image provider shares: a timeout per request, bounded retries with backoff on network
// failures, 408, 429 and 5xx (Retry-After honoured), and the key scrubbed from every message that leaves.
import { setTimeout as sleep } from 'node:timers/promises';
import { displayUrl, errorDetail, networkCause, retryAfterMs } from '../captions/chat.js';
import { ImageGenerationError, type ImageErrorCode } from './provider.js';

export interface ImageHttpOptions {
  /** How the provider is named in messages, e.g. `Image provider "default" (openai, model dall-e-3) at http://host/v1`. */
  where: string;
  /** Scrubbed from every message (servers echo request headers in error bodies). */
  secret?: string | null;
  /** The setting named when the key is refused. */
  apiKeyEnv: string;
  timeoutMs: number;
  maxAttempts: number;
  retryDelayMs?: number;
  /** The longest wait before a retry, Retry-After included. */
  maxRetryDelayMs?: number;
  /** The largest image accepted from a URL answer. */
  maxImageBytes: number;
}

export interface HttpAnswer {
  status: number;
  text: string;
}

export class ImageHttp {
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;

  constructor(private readonly options: ImageHttpOptions) {
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  }

  /**
   * Sends the request until it gets an answer that is not worth retrying: 2xx, or a 4xx other than 408 and 429,
   * which the caller reads (a refusal, a field to drop) or hands to `refusedRequest`. `init` is called per
   * attempt, so a body is never sent twice from a spent stream.
   */
  async send(url: string, init: () => RequestInit, signal?: AbortSignal): Promise<HttpAnswer> {
    let lastCause = '';
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      const timeout = AbortSignal.timeout(this.options.timeoutMs);
      let status: number;
      let text: string;
      let retryAfter: string | null = null;
      try {
        const res = await fetch(url, { ...init(), signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
        status = res.status;
        retryAfter = res.headers.get('retry-after');
        text = await this.readCapped(res);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (error instanceof ImageGenerationError) throw error; // an answer too large: not worth asking again
        // an image that took longer than the timeout will most likely do so again: fail rather than multiply it
        if (timeout.aborted)
          throw this.error('timeout', `${this.options.where} did not answer within ${Math.round(this.options.timeoutMs / 1000)} s`);
        lastCause = networkCause(error);
        if (attempt < this.options.maxAttempts) {
          await this.pause(this.backoff(attempt), signal);
          continue;
        }
        throw this.error('unavailable', `${this.options.where} could not be reached after ${attempt} attempt(s): ${lastCause}`);
      }
      if (status === 408 || status === 429 || status >= 500) {
        lastCause = `HTTP ${status}${detailOf(this.scrub(text)) ? `: ${detailOf(this.scrub(text))}` : ''}`;
        if (attempt < this.options.maxAttempts) {
          await this.pause(retryAfterMs(retryAfter, this.maxRetryDelayMs) ?? this.backoff(attempt), signal);
          continue;
        }
        throw this.error('unavailable', `${this.options.where} failed after ${attempt} attempt(s): ${lastCause}`);
      }
      return { status, text };
    }
  }

  /** The error for a 4xx answer the provider did not make sense of otherwise. */
  refusedRequest(answer: HttpAnswer, hint = ''): ImageGenerationError {
    const detail = detailOf(this.scrub(answer.text));
    const said = `HTTP ${answer.status}${detail ? `: ${detail}` : ''}`;
    if (answer.status === 401 || answer.status === 403) {
      const check = this.options.secret ? `check ${this.options.apiKeyEnv}` : `no key is set: check ${this.options.apiKeyEnv}`;
      return this.error('auth', `${this.options.where} refused the request (${said}); ${check}`);
    }
    return this.error('http', `${this.options.where} rejected the request with ${said}${hint}`);
  }

  /** Reads an image a URL answer points at (with the same timeout, and a size limit). */
  async download(url: string, signal?: AbortSignal): Promise<Buffer> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw this.error('bad-response', `${this.options.where} answered with an image URL that is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw this.error('bad-response', `${this.options.where} answered with an image URL that is not http(s) (${parsed.protocol})`);
    }
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    let res: Response;
    try {
      res = await fetch(parsed, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw this.error(
        timeout.aborted ? 'timeout' : 'unavailable',
        `${this.options.where}: its image at ${parsed.origin} could not be read (${networkCause(error)})`,
      );
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw this.error(
        res.status >= 500 ? 'unavailable' : 'bad-response',
        `${this.options.where}: its image at ${parsed.origin} answered HTTP ${res.status}`,
      );
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of res.body) {
      bytes += chunk.length;
      if (bytes > this.options.maxImageBytes) {
        await res.body.cancel().catch(() => undefined);
        throw this.error(
          'bad-response',
          `${this.options.where}: its image is larger than ${Math.round(this.options.maxImageBytes / 1024 / 1024)} MB`,
        );
      }
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }

  /**
   * The answer's text, refused past what an image in base64 JSON can take (4/3 of the largest image, plus room for
   * the rest): a broken or hostile server cannot fill the memory.
   */
  private async readCapped(res: Response): Promise<string> {
    const cap = Math.ceil(this.options.maxImageBytes * 1.4) + 1024 * 1024;
    if (!res.body) return '';
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of res.body) {
      bytes += chunk.length;
      if (bytes > cap) {
        await res.body.cancel().catch(() => undefined);
        throw this.error('bad-response', `${this.options.where} answered with more than ${Math.round(cap / 1024 / 1024)} MB`);
      }
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Every error leaves through here, so the key never does. */
  error(code: ImageErrorCode, message: string): ImageGenerationError {
    return new ImageGenerationError(code, this.scrub(message));
  }

  scrub(text: string): string {
    const secret = this.options.secret;
    return secret ? text.split(secret).join('***') : text;
  }

  private backoff(attempt: number): number {
    return Math.min(this.maxRetryDelayMs, this.retryDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
  }

  private async pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await sleep(ms, undefined, signal ? { signal } : undefined);
    } catch (error) {
      throw signal?.aborted ? signal.reason : error;
    }
  }
}

/** The useful part of an error body (`{error: {message}}`, `{detail}`…), shortened. */
export const detailOf = errorDetail;

/** The error's machine-readable code where the body has one (`{error: {code}}`). */
export function errorCodeOf(text: string): string | null {
  try {
    const err = (JSON.parse(text) as { error?: { code?: unknown; type?: unknown } }).error;
    if (err && typeof err === 'object') {
      if (typeof err.code === 'string') return err.code;
      if (typeof err.type === 'string') return err.type;
    }
  } catch {
    // not JSON
  }
  return null;
}

export { displayUrl };

/** `base` + `suffix` on the path, keeping the query (Azure's api-version); a base that already ends in it stays. */
export function endpointUrl(base: string, suffix: string, settingName: string): URL {
  let url: URL;
  try {
    url = new URL(base.trim());
  } catch {
    throw new Error(`${settingName} is not a URL: ${JSON.stringify(base)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${settingName} must be an http(s) URL`);
  const trimmed = url.pathname.replace(/\/+$/, '');
  url.pathname = trimmed.endsWith(suffix) ? trimmed : `${trimmed}${suffix}`;
  return url;
}
