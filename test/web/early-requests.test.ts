// index.html asks for the gallery's timeline and first photos before the app's code has loaded, then for the
// first screen's thumbnails; the app then takes those responses instead of asking again, and its tiles find the
// thumbnails cached. Both halves must name the same URLs, and a response is used once.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { photoUrls, request } from '../../web/src/api.js';
import { getTimeline, photoRange } from '../../web/src/client/library.js';
import { CHUNK } from '../../web/src/store/photoSequence.js';

const html = fs.readFileSync(path.join(import.meta.dirname, '../../web/index.html'), 'utf8');
const earlyScript = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

interface EarlyWindow {
  __shoeboxEarly?: Map<string, Promise<Response>>;
  __shoeboxEarlyImages?: { src: string }[];
}

/** Runs index.html's early script as a browser would at `pathname`, with `fetch` answering every URL. */
function runEarlyScript(pathname: string, answer: (url: string) => Response, screen = { width: 1280, height: 860 }): { window: EarlyWindow; asked: string[] } {
  const window: EarlyWindow = {};
  const asked: string[] = [];
  const fetch = async (url: string) => {
    asked.push(url);
    return answer(url);
  };
  class Image {
    src = '';
    decoding = '';
  }
  new Function('window', 'location', 'fetch', 'Image', 'innerWidth', 'innerHeight', earlyScript)(
    window,
    { pathname },
    fetch,
    Image,
    screen.width,
    screen.height,
  );
  return { window, asked };
}

describe('early requests', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('index.html asks early for exactly what the gallery asks first', async () => {
    const early = runEarlyScript('/', () => json({ total: 0, groupBy: 'day', buckets: [], items: [] }));
    const earlyUrls = [...early.window.__shoeboxEarly!.keys()];
    expect(earlyUrls).toHaveLength(2);
    expect(early.asked).toEqual(earlyUrls);
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      asked.push(url);
      return json({ total: 0, groupBy: 'day', buckets: [], items: [] });
    });
    await getTimeline('day');
    await photoRange(0, CHUNK);
    expect(asked).toEqual(earlyUrls);
  });

  it('asks for the thumbnails of the first photos that have one, newest first, at the URLs the tiles use', async () => {
    // [state, hasThumbnail]: a photo still analysed shows its thumbnail; one without (yet, or failed) does not.
    const photos: [string, boolean][] = [
      ['completed', true],
      ['pending', false],
      ['processing', true],
      ['partial', true],
      ['failed', false],
      ['processing', false],
      ...Array.from({ length: 60 }, (): [string, boolean] => ['completed', true]),
    ];
    const items = photos.map(([state, hasThumbnail], i) => ({ id: `photo-${i}`, state, hasThumbnail }));
    const { window } = runEarlyScript('/', (url) => (url.startsWith('/api/photos') ? json({ items, total: items.length }) : json({ buckets: [] })));
    await vi.waitFor(() => expect(window.__shoeboxEarlyImages).toBeDefined());
    const srcs = window.__shoeboxEarlyImages!.map((image) => image.src);
    const withThumbnail = items.filter((item) => item.hasThumbnail);
    // 1280 × 860: 7 columns of tiles at least 168 px wide (+ gap), 5 rows on screen and one more
    expect(srcs).toEqual(withThumbnail.slice(0, 7 * 6).map((item) => photoUrls.thumbnail(item.id)));

    // a phone: three columns of 104 px tiles
    const phone = runEarlyScript('/', (url) => (url.startsWith('/api/photos') ? json({ items, total: items.length }) : json({ buckets: [] })), {
      width: 375,
      height: 780,
    });
    await vi.waitFor(() => expect(phone.window.__shoeboxEarlyImages).toBeDefined());
    expect(phone.window.__shoeboxEarlyImages).toHaveLength(3 * 9);
  });

  it('asks for nothing early on other pages, and for no thumbnail when the photos request fails', async () => {
    expect(runEarlyScript('/search', () => json({})).asked).toEqual([]);
    const failed = runEarlyScript('/', () => new Response('{"message":"boom"}', { status: 500 }));
    await vi.waitFor(() => expect(failed.window.__shoeboxEarlyImages).toEqual([]));
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
