// The request policy every image provider shares: a timeout per request, bounded retries with backoff on network
// failures, 408, 429 and 5xx (Retry-After honoured), and the key scrubbed from every message that leaves.
import { setTimeout as sleep } from 'node:timers/promises';
import { AnswerFetchError, fetchAnswerUrl } from '../../net/answer-fetch.js';
import { redact, splitCredentials } from '../../net/redact.js';
import { fetchFollowing, providerRedirects, RedirectRefusedError } from '../../net/redirects.js';
import { displayUrl, errorDetail, networkCause, retryAfterMs } from '../captions/chat.js';
import { ImageGenerationError, type ImageErrorCode } from './provider.js';

export interface ImageHttpOptions {
  /** How the provider is named in messages, e.g. `Image provider "default" (openai, model dall-e-3) at http://host/v1`. */
  where: string;
  /** Scrubbed from every message (servers echo request URLs and headers in error bodies): the key, the URL's password and key parameters. */
  secrets: readonly (string | null | undefined)[];
  /** Whether a key is set (a 401 then says to check it, else that none is set). */
  hasKey: boolean;
  /** The setting named when the key is refused. */
  apiKeyEnv: string;
  timeoutMs: number;
  maxAttempts: number;
  retryDelayMs?: number;
  /** The longest wait before a retry, Retry-After included. */
  maxRetryDelayMs?: number;
  /** The largest image accepted from a URL answer. */
  maxImageBytes: number;
  /** The provider's configured URL: URL answers are read from its origin, and from answerHosts. */
  providerUrl: string;
  answerHosts: readonly string[];
  /** The setting that lists answerHosts, named when an answer's host is refused. */
  answerHostsSetting: string;
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
        // user:password@ in the URL travels as Basic auth: fetch refuses such a URL (and prints it whole)
        const target = splitCredentials(url);
        const request = init();
        const headers = new Headers(request.headers);
        if (target.basic && !headers.has('authorization')) headers.set('authorization', target.basic);
        // redirects within the provider's origin only: the prompt, the image and the key go nowhere else
        const res = await fetchFollowing(
          target.url,
          { ...request, headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout },
          providerRedirects(new URL(target.url)),
        );
        status = res.status;
        retryAfter = res.headers.get('retry-after');
        text = await this.readCapped(res);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (error instanceof ImageGenerationError) throw error; // an answer too large: not worth asking again
        if (error instanceof RedirectRefusedError)
          throw this.error('http', `${this.options.where} answered with a redirect, which was not followed: ${error.reason}`);
        // an image that took longer than the timeout will most likely do so again: fail rather than multiply it
        if (timeout.aborted) throw this.error('timeout', `${this.options.where} did not answer within ${Math.round(this.options.timeoutMs / 1000)} s`);
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
      const check = this.options.hasKey ? `check ${this.options.apiKeyEnv}` : `no key is set: check ${this.options.apiKeyEnv}`;
      return this.error('auth', `${this.options.where} refused the request (${said}); ${check}`);
    }
    return this.error('http', `${this.options.where} rejected the request with ${said}${hint}`);
  }

  /**
   * Reads an image a URL answer points at: only from the provider's own origin or an allowed host, never from an
   * address the provider is not on (net/answer-fetch.ts), with the same timeout and a size limit.
   */
  async download(url: string, signal?: AbortSignal): Promise<Buffer> {
    try {
      return await fetchAnswerUrl(url, {
        providerUrl: this.options.providerUrl,
        allowedHosts: this.options.answerHosts,
        allowedHostsSetting: this.options.answerHostsSetting,
        timeoutMs: this.options.timeoutMs,
        maxBytes: this.options.maxImageBytes,
        signal,
      });
    } catch (error) {
      if (!(error instanceof AnswerFetchError)) throw error;
      const code = error.kind === 'timeout' || error.kind === 'unavailable' ? error.kind : 'bad-response';
      throw this.error(code, `${this.options.where}: ${error.message}`);
    }
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
    return redact(text, this.options.secrets);
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
