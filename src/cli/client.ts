import fs from 'node:fs';
import path from 'node:path';

/** Talks to a running Shoebox server over its REST API. */
export class ShoeboxClient {
  constructor(readonly baseUrl: string) {}

  private async request<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(route, this.baseUrl), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : null;
    if (!response.ok) throw new Error(parsed?.message ?? `${method} ${route} answered ${response.status}`);
    return parsed as T;
  }

  health() {
    return this.request<{ status: string }>('GET', '/api/health');
  }

  /** Uploads one photo (with its sidecar and file date); answers the item for the photo. */
  async upload(file: string, sidecar: string | null): Promise<{ id?: string; duplicate?: boolean; error?: string; statusCode?: number }> {
    const form = new FormData();
    form.append('lastModified', String(Math.round(fs.statSync(file).mtimeMs)));
    form.append('file', await fs.openAsBlob(file), path.basename(file));
    if (sidecar) form.append('file', await fs.openAsBlob(sidecar), path.basename(sidecar));
    const response = await fetch(new URL('/api/photos', this.baseUrl), { method: 'POST', body: form });
    const body = (await response.json()) as { items?: { id?: string; duplicate?: boolean; error?: string; statusCode?: number }[]; message?: string };
    const item = body.items?.[0];
    if (!item) throw new Error(body.message ?? `upload answered ${response.status}`);
    return item;
  }

  states(ids: string[]) {
    return this.request<{ states: Record<string, string> }>('POST', '/api/photos/states', { ids });
  }

  reprocess(step: string, all: boolean) {
    return this.request<{ queued: number }>('POST', '/api/reprocess', { step, all });
  }
}
