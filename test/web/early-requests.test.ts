// index.html asks for the gallery's timeline and first photos before the app's code has loaded; the app then takes
// those responses instead of asking again. Both halves must name the same URLs, and a response is used once.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { request } from '../../web/src/api.js';
import { getTimeline, photoRange } from '../../web/src/client/library.js';
import { CHUNK } from '../../web/src/store/photoSequence.js';

const html = fs.readFileSync(path.join(import.meta.dirname, '../../web/index.html'), 'utf8');
const earlyUrls = [...html.matchAll(/'(\/api\/[^']+)'/g)].map((match) => match[1]!);
const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

describe('early requests', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('index.html asks early for exactly what the gallery asks first', async () => {
    expect(earlyUrls).toHaveLength(2);
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      asked.push(url);
      return json({ total: 0, groupBy: 'day', buckets: [], items: [] });
    });
    await getTimeline('day');
    await photoRange(0, CHUNK);
    expect(asked).toEqual(earlyUrls);
  });

  it('answers the first request for an early URL with the early response, later ones from the server', async () => {
    const served: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      served.push(url);
      return json({ from: 'server' });
    });
    vi.stubGlobal('window', { __shoeboxEarly: new Map([['/api/timeline?groupBy=day', Promise.resolve(json({ from: 'early' }))]]) });
    expect(await request('GET', '/api/timeline?groupBy=day')).toEqual({ from: 'early' });
    expect(await request('GET', '/api/timeline?groupBy=day')).toEqual({ from: 'server' });
    expect(await request('GET', '/api/photos?offset=0&limit=200')).toEqual({ from: 'server' });
    expect(served).toEqual(['/api/timeline?groupBy=day', '/api/photos?offset=0&limit=200']);
  });

  it('reports an early request that failed as the server being unreachable', async () => {
    const failed = Promise.reject(new TypeError('Failed to fetch'));
    failed.catch(() => {});
    vi.stubGlobal('window', { __shoeboxEarly: new Map([['/api/timeline?groupBy=day', failed]]) });
    await expect(request('GET', '/api/timeline?groupBy=day')).rejects.toThrow(/Cannot reach the Shoebox server/);
  });
});
