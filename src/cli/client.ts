import fs from 'node:fs';
import path from 'node:path';
import type { AlbumSummary } from '../library/albums/index.js';
import type { DuplicateGroup } from '../library/duplicate-review/index.js';
import type { JobsSnapshot } from '../library/jobs/index.js';
import type { EmbeddedSizeNotice } from '../model/embedded-size.js';
import { serverFetch, silenceLimitMs } from './server-fetch.js';

/** How long a health check waits: a server that does not answer that at once is not going to answer the command. */
const HEALTH_SILENCE_MS = 15_000;

/** Talks to a running Shoebox server over its REST API. */
export interface UploadItem {
  id?: string;
  duplicate?: boolean;
  /** `photo` or `video`. */
  type?: string;
  error?: string;
  statusCode?: number;
}

export class ShoeboxClient {
  constructor(
    readonly baseUrl: string,
    /** Sent as x-api-key; without one only the public routes answer. */
    private readonly apiKey: string | null = null,
    /** How long the server may stay silent before a call is given up (server-fetch.ts). */
    private readonly silenceMs: number = silenceLimitMs(),
  ) {}

  /** The headers that sign a request in. */
  authHeaders(): Record<string, string> {
    return this.apiKey ? { 'x-api-key': this.apiKey } : {};
  }

  /** fetch on this server, signed in; a server that refuses, drops or stops answering fails it with ServerUnreachableError. */
  fetch(route: string, init: RequestInit = {}, silenceMs = this.silenceMs): Promise<Response> {
    const headers = { ...this.authHeaders(), ...(init.headers as Record<string, string>) };
    return serverFetch(this.baseUrl, new URL(route, this.baseUrl), { ...init, headers }, silenceMs);
  }

  async request<T>(method: string, route: string, body?: unknown, silenceMs = this.silenceMs): Promise<T> {
    const init: RequestInit = {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    };
    const response = await this.fetch(route, init, silenceMs);
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : null;
    if (!response.ok) throw new Error(parsed?.message ?? `${method} ${route} answered ${response.status}`);
    return parsed as T;
  }

  /** The server's health: it answers at once from what it knows (its probes run in the background), or not at all. */
  health() {
    return this.request<{ status: string; embeddedSize?: EmbeddedSizeNotice | null }>(
      'GET',
      '/api/health',
      undefined,
      Math.min(this.silenceMs, HEALTH_SILENCE_MS),
    );
  }

  /**
   * Uploads a photo (and its sidecar, sent under `sidecarName`); answers the photo's item and the sidecar's. The file's
   * modification time goes with it (or `modifiedAt`, the time an export says dates it) unless `fileDate` is false (a
   * file just unpacked: its time is now, not a date).
   */
  async upload(file: string, sidecar: string | null, options: { sidecarName?: string; fileDate?: boolean; modifiedAt?: Date } = {}): Promise<UploadItem[]> {
    const form = new FormData();
    const modified = options.modifiedAt?.getTime() ?? fs.statSync(file).mtimeMs;
    if (options.fileDate !== false) form.append('lastModified', String(Math.round(modified)));
    form.append('file', await fs.openAsBlob(file), path.basename(file));
    if (sidecar) form.append('file', await fs.openAsBlob(sidecar), options.sidecarName ?? path.basename(sidecar));
    const response = await this.fetch('/api/photos', { method: 'POST', body: form });
    const body = (await response.json()) as { items?: UploadItem[]; message?: string };
    if (!body.items?.[0]) throw new Error(body.message ?? `upload answered ${response.status}`);
    return body.items;
  }

  /** GET /api/search with the API's own query parameters. */
  search(params: Record<string, string | string[]>) {
    return this.request<unknown>('GET', `/api/search?${queryString(params)}`);
  }

  /** POST /api/search/similar with an image file (embedded by the server, not stored). */
  async similarToFile(file: string, params: Record<string, string | string[]>): Promise<unknown> {
    const form = new FormData();
    form.append('file', await fs.openAsBlob(file), path.basename(file));
    const response = await this.fetch(`/api/search/similar?${queryString(params)}`, { method: 'POST', body: form });
    const body = (await response.json()) as { message?: string };
    if (!response.ok) throw new Error(body.message ?? `image search answered ${response.status}`);
    return body;
  }

  /** GET /api/duplicates with its query parameters. */
  duplicates(params: Record<string, string>) {
    return this.request<{ items: DuplicateGroup[]; total: number }>('GET', `/api/duplicates?${queryString(params)}`);
  }

  /** GET /api/albums with its query parameters. */
  albums(params: Record<string, string>) {
    return this.request<{ items: AlbumSummary[]; total: number }>('GET', `/api/albums?${queryString(params)}`);
  }

  /** GET /api/jobs: the pipeline's progress. */
  jobs() {
    return this.request<JobsSnapshot>('GET', '/api/jobs');
  }

  states(ids: string[]) {
    return this.request<{ states: Record<string, string>; joined?: Record<string, string> }>('POST', '/api/photos/states', { ids });
  }

  reprocess(step: string, all: boolean) {
    return this.request<{ queued: number }>('POST', '/api/reprocess', { step, all });
  }
}

function queryString(params: Record<string, string | string[]>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) for (const v of Array.isArray(value) ? value : [value]) search.append(name, v);
  return search.toString();
}
