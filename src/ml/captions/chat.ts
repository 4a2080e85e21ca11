// A minimal OpenAI chat-completions client: one POST, with the retry, timeout and error policy that every
// caption request shares. No SDK: the protocol surface we need is small and servers vary in what they accept.
import { setTimeout as sleep } from 'node:timers/promises';
import { redact, splitCredentials, urlSecrets } from '../../net/redact.js';
import { fetchFollowing, providerRedirects, RedirectRefusedError, type RedirectGuard } from '../../net/redirects.js';
import { CaptionError, type CaptionErrorCode } from './provider.js';

export type ChatContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | ChatContentPart[];
}

export interface ChatEndpointConfig {
  /** The part before `/chat/completions`, e.g. `http://localhost:11434/v1`; a full endpoint URL is also accepted. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Per request, including reading the body. Default 60 s. */
  timeoutMs?: number;
  /** Requests per call for 429/5xx/network failures. Default 3. */
  maxAttempts?: number;
  /** First backoff before a retry; doubles each time. Default 500 ms. */
  retryDelayMs?: number;
  /** The longest Retry-After honoured. Default 10 s. */
  maxRetryDelayMs?: number;
  /** The setting named in 401/403 errors. */
  apiKeyEnv?: string;
}

export interface ChatReply {
  content: string;
  /** `length` means the reply was cut off by a token limit. */
  finishReason: string | null;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_ATTEMPTS = 3;

/** Request fields that some servers reject with a 400; each is dropped (and remembered) when that happens. */
const OPTIONAL_FIELDS = {
  response_format: /response_format|json_schema/i,
  temperature: /temperature/i,
} as const;
type OptionalField = keyof typeof OPTIONAL_FIELDS;

export class ChatClient {
  readonly model: string;
  /** The endpoint as shown in messages and ids: no credentials, no query string. */
  readonly endpoint: string;
  private readonly url: string;
  private readonly apiKey: string | undefined;
  /** `user:password@` of the URL, sent as Basic auth when there is no key. */
  private readonly basicAuth: string | null;
  /** Everything scrubbed from messages: the key, and the URL's password and key parameters. */
  private readonly secrets: string[];
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly apiKeyEnv: string;
  private readonly unsupported = new Set<OptionalField>();
  /** Redirects are followed within the endpoint's origin only: the preview, the query and the key go nowhere else. */
  private readonly redirects: RedirectGuard;

  constructor(config: ChatEndpointConfig) {
    const { url, basic } = splitCredentials(completionsUrl(config.baseUrl));
    this.url = url;
    this.redirects = providerRedirects(new URL(url));
    this.basicAuth = basic;
    this.endpoint = displayUrl(this.url);
    this.model = config.model;
    this.apiKey = config.apiKey || undefined;
    this.secrets = [this.apiKey, ...urlSecrets(config.baseUrl)].filter((s): s is string => !!s);
    this.timeoutMs = positive(config.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs');
    this.maxAttempts = positive(config.maxAttempts, DEFAULT_MAX_ATTEMPTS, 'maxAttempts');
    this.retryDelayMs = config.retryDelayMs ?? 500;
    this.maxRetryDelayMs = config.maxRetryDelayMs ?? 10_000;
    this.apiKeyEnv = config.apiKeyEnv ?? 'SHOEBOX_CAPTION_API_KEY';
  }

  /** Whether this server has refused `response_format` (then the prompt alone carries the schema). */
  get supportsResponseFormat(): boolean {
    return !this.unsupported.has('response_format');
  }

  async complete(messages: ChatMessage[], options: { jsonSchema?: { name: string; schema: object }; signal?: AbortSignal } = {}): Promise<ChatReply> {
    const { signal } = options;
    let lastCause = '';
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      const optional: Partial<Record<OptionalField, unknown>> = { temperature: 0.2 };
      if (options.jsonSchema) {
        optional.response_format = { type: 'json_schema', json_schema: { ...options.jsonSchema, strict: true } };
      }
      for (const field of this.unsupported) delete optional[field];
      const body = JSON.stringify({ model: this.model, messages, stream: false, ...optional });

      const timeout = AbortSignal.timeout(this.timeoutMs);
      let status: number;
      let text: string;
      let headers: Headers;
      try {
        const res = await fetchFollowing(
          this.url,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              accept: 'application/json',
              ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : this.basicAuth ? { authorization: this.basicAuth } : {}),
            },
            body,
            signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          },
          this.redirects,
        );
        status = res.status;
        headers = res.headers;
        text = await res.text();
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        if (e instanceof RedirectRefusedError) throw this.error('http', `${this.where()} answered with a redirect, which was not followed: ${e.reason}`, false);
        // A model that took longer than timeoutMs will most likely do so again: fail now rather than multiply it.
        if (timeout.aborted) {
          throw this.error('timeout', `${this.where()} did not answer within ${this.timeoutMs} ms`, true);
        }
        lastCause = networkCause(e);
        if (attempt < this.maxAttempts) {
          await this.pause(this.backoff(attempt), signal);
          continue;
        }
        throw this.unavailable(attempt, lastCause);
      }

      if (status >= 200 && status < 300) return this.parseReply(text);

      // Scrubbed before shortening, so a cut can never leave part of the key behind.
      const detail = errorDetail(this.scrub(text));
      if (status === 401 || status === 403) {
        const hint = this.apiKey ? `check ${this.apiKeyEnv}` : `no API key is set: check ${this.apiKeyEnv}`;
        throw this.error('auth', `${this.where()} refused the request (HTTP ${status}${detail ? `: ${detail}` : ''}); ${hint}`, false);
      }
      if (status === 400 || status === 422) {
        const rejected = (Object.keys(OPTIONAL_FIELDS) as OptionalField[]).find((f) => f in optional && OPTIONAL_FIELDS[f].test(text));
        if (rejected) {
          // Remembered for this client, so later photos skip the failing request. Not counted as an attempt.
          this.unsupported.add(rejected);
          attempt--;
          continue;
        }
      }
      if (status === 408 || status === 429 || status >= 500) {
        lastCause = `HTTP ${status}${detail ? `: ${detail}` : ''}`;
        if (attempt < this.maxAttempts) {
          await this.pause(retryAfterMs(headers.get('retry-after'), this.maxRetryDelayMs) ?? this.backoff(attempt), signal);
          continue;
        }
        throw this.unavailable(attempt, lastCause);
      }
      const hint = status === 404 ? ' (is the base URL right, usually ending in /v1, and is the model available?)' : '';
      throw this.error('http', `${this.where()} rejected the request with HTTP ${status}${detail ? `: ${detail}` : ''}${hint}`, false);
    }
  }

  private parseReply(text: string): ChatReply {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw this.error('bad-response', `${this.where()} answered with something that is not JSON: ${snippet(this.scrub(text))}`, true);
    }
    const choice = (json as { choices?: { message?: { content?: unknown }; finish_reason?: unknown }[] })?.choices?.[0];
    if (!choice) {
      throw this.error('bad-response', `${this.where()} answered without choices: ${errorDetail(this.scrub(text))}`, true);
    }
    return {
      content: messageText(choice.message?.content),
      finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : null,
    };
  }

  /** Every error leaves through here so the key is scrubbed from all of it, endpoint included. */
  private error(code: CaptionErrorCode, message: string, retryable: boolean): CaptionError {
    return new CaptionError(code, this.scrub(message), retryable);
  }

  private where(): string {
    return `Caption endpoint ${this.endpoint} (model ${this.model})`;
  }

  private unavailable(attempts: number, cause: string): CaptionError {
    return this.error('unavailable', `${this.where()} failed after ${attempts} attempt(s): ${cause}`, true);
  }

  private backoff(attempt: number): number {
    return Math.min(this.maxRetryDelayMs, this.retryDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
  }

  private async pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await sleep(ms, undefined, signal ? { signal } : undefined);
    } catch (e) {
      throw signal?.aborted ? signal.reason : e;
    }
  }

  /** Servers echo request URLs and headers in error bodies, fetch prints URLs whole: no secret may reach a message. */
  private scrub(s: string): string {
    return redact(s, this.secrets);
  }
}

/** `content` is a string, or (some servers) an array of parts. */
function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p === 'object' && typeof p.text === 'string' ? p.text : '')).join('');
  }
  return '';
}

function completionsUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new Error(`Caption endpoint URL is not a URL: ${redact(JSON.stringify(baseUrl))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Caption endpoint must be http(s): ${displayUrl(url.href)}`);
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/chat\/completions$/, '')}/chat/completions`;
  return url.href;
}

/** A URL as shown in messages: no credentials, no query string. */
export function displayUrl(href: string): string {
  const url = new URL(href);
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return url.href;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`Caption ${name} must be a positive number, got ${value}`);
  return value;
}

/** Retry-After in seconds or as an HTTP date, capped; null when absent or unreadable. */
export function retryAfterMs(header: string | null, capMs: number): number | null {
  if (!header) return null;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(capMs, Math.max(0, ms)) : null;
}

/** What a failed fetch says, with its cause's code (ECONNREFUSED…). */
export function networkCause(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const cause = err.cause?.code ?? err.cause?.message;
  return cause ? `${err.message} (${cause})` : String(err.message ?? e);
}

/** The useful part of an error body: OpenAI-style `{error: {message}}`, else the text itself, shortened. */
export function errorDetail(text: string): string {
  try {
    const json = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown };
    const err = json.error;
    const message =
      typeof err === 'string'
        ? err
        : err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string'
          ? (err as { message: string }).message
          : typeof json.message === 'string'
            ? json.message
            : typeof json.detail === 'string'
              ? json.detail
              : null;
    if (message) return snippet(message);
  } catch {
    // not JSON: fall through to the raw text
  }
  return snippet(text);
}

function snippet(text: string, max = 300): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}
