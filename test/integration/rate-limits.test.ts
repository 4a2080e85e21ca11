// Per-user limits on the expensive routes: image search by upload, and files uploaded per hour.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assets, authFetch, json, startTestServer, type TestServer, withoutFacesOrText } from '../helpers/server.js';

const NATURE = path.join(assets, 'albums/nature');
const files = fs
  .readdirSync(NATURE)
  .filter((name) => name.endsWith('.jpg'))
  .slice(0, 5);

describe('rate limits', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText({ imageSearchesPerMinute: 2, uploadsPerHour: 3 }));
  }, 60_000);

  afterAll(async () => {
    await server?.dispose();
  });

  const form = (names: string[]) => {
    const body = new FormData();
    for (const name of names) body.append('file', new Blob([new Uint8Array(fs.readFileSync(path.join(NATURE, name)))]), name);
    return body;
  };

  it('refuses a third image search by upload within the minute, saying when to try again', async () => {
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 3; i++) {
      last = await authFetch(`${server.url}/api/search/similar`, { method: 'POST', body: form([files[0]!]) });
      statuses.push(last.status);
    }
    expect(statuses[2]).toBe(429);
    expect(statuses.slice(0, 2)).not.toContain(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await last!.json()) as { message: string }).message).toMatch(/2 a minute/);
    // searching by a photo of the library is not limited
    expect((await json(`${server.url}/api/search/similar`, { method: 'POST', json: { photoId: '00000000-0000-4000-8000-000000000000' } })).status).toBe(404);
  });

  it('stores the files within the hourly budget and refuses the rest, each with its reason', async () => {
    const first = await authFetch(`${server.url}/api/photos`, { method: 'POST', body: form(files.slice(0, 4)) });
    expect(first.status).toBe(201);
    const items = ((await first.json()) as { items: { id?: string; statusCode?: number; error?: string }[] }).items;
    expect(items.filter((item) => item.id)).toHaveLength(3);
    expect(items[3]).toMatchObject({ statusCode: 429 });
    expect(items[3]!.error).toMatch(/3 files an hour/);
    const second = await authFetch(`${server.url}/api/photos`, { method: 'POST', body: form([files[4]!]) });
    expect(second.status).toBe(429);
    expect((await json(`${server.url}/api/photos`)).body.total).toBe(3);
  });
});
