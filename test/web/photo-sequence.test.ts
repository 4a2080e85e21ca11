// The gallery's ordering of photos (web/src/store/photoSequence.ts) against a stand-in for the API: the timeline
// and the first photos asked for together, chunks fetched as the screen nears them, fetches for places scrolled
// past aborted, any stretch and any single photo reachable (the photo page steps through 100k this way).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHUNK, PhotoSequence } from '../../web/src/store/photoSequence.js';

const TOTAL = 5_000;
/** Ten photos a day, newest first. */
const BUCKETS = Array.from({ length: TOTAL / 10 }, (_, i) => ({
  key: new Date(Date.UTC(2024, 0, 1) - i * 86_400_000).toISOString().slice(0, 10),
  count: 10,
  videos: 0,
  offset: i * 10,
}));
const photo = (i: number) => ({ id: `p${i}`, filename: `IMG_${i}.jpg`, state: 'completed', takenAt: null, colour: null, favorite: false, rating: null });

interface Call {
  url: URL;
  signal: AbortSignal | undefined;
  settle: () => void;
}

let calls: Call[] = [];
/** When false, answers wait until `settle()` (or an abort). */
let answerAtOnce = true;

beforeEach(() => {
  calls = [];
  answerAtOnce = true;
  vi.stubGlobal('fetch', (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://shoebox.test');
    const signal = init.signal ?? undefined;
    return new Promise<Response>((resolve, reject) => {
      const answer = () => {
        if (url.pathname === '/api/timeline') return resolve(Response.json({ total: TOTAL, videos: 0, groupBy: 'day', buckets: BUCKETS }));
        const offset = Number(url.searchParams.get('offset'));
        const limit = Number(url.searchParams.get('limit'));
        const items = Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, i) => photo(offset + i));
        resolve(Response.json({ items, total: TOTAL, offset, limit }));
      };
      signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      calls.push({ url, signal, settle: answer });
      if (answerAtOnce) queueMicrotask(answer);
    });
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const photoCalls = () => calls.filter((call) => call.url.pathname === '/api/photos');
const offsets = () => photoCalls().map((call) => Number(call.url.searchParams.get('offset')));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PhotoSequence', () => {
  it('asks for the timeline and the newest photos at once, then knows every photo’s place', async () => {
    const sequence = new PhotoSequence('all', {});
    answerAtOnce = false;
    const loading = sequence.ensureLoaded();
    // Both requests are out before either is answered.
    expect(calls.map((call) => call.url.pathname).sort()).toEqual(['/api/photos', '/api/timeline']);
    expect(calls.find((call) => call.url.pathname === '/api/photos')!.url.searchParams.get('limit')).toBe(String(CHUNK));
    for (const call of calls) call.settle();
    await loading;
    await sleep(0);
    expect(sequence.total).toBe(TOTAL);
    expect(sequence.photoAt(0)?.id).toBe('p0');
    expect(sequence.photoAt(CHUNK - 1)?.id).toBe(`p${CHUNK - 1}`);
    expect(sequence.photoAt(CHUNK)).toBeUndefined();
    expect(sequence.indexOf(`p${CHUNK - 1}`)).toBe(CHUNK - 1);
    // The first screen is loaded: asking for it again fetches nothing.
    sequence.want(0, 60);
    await sleep(100);
    expect(photoCalls()).toHaveLength(1);
  });

  it('fetches the chunks the screen comes near, and aborts those it has scrolled past', async () => {
    const sequence = new PhotoSequence('all', {});
    await sequence.ensureLoaded();
    answerAtOnce = false;
    sequence.want(2_010, 2_090);
    await sleep(100);
    expect(offsets().slice(1)).toEqual([2_000]);
    const passed = photoCalls()[1]!;
    // A jump far away before the answer came: that fetch is dropped, the new place fetched.
    sequence.want(4_410, 4_500);
    expect(passed.signal?.aborted).toBe(true);
    await sleep(100);
    expect(offsets().slice(1)).toEqual([2_000, 4_400]);
    photoCalls()[2]!.settle();
    await sleep(0);
    expect(sequence.photoAt(4_450)?.id).toBe('p4450');
    expect(sequence.photoAt(2_050)).toBeUndefined();
  });

  it('gives any stretch of photos (a shift-click range, a whole day) and any single photo, fetching what is missing', async () => {
    const sequence = new PhotoSequence('all', {});
    await sequence.ensureLoaded();
    const stretch = await sequence.range(150, 1_350);
    expect(stretch.map((p) => p.id)).toEqual(Array.from({ length: 1_200 }, (_, i) => `p${150 + i}`));
    // What was loaded came from memory; the rest in pages of at most 500.
    expect(offsets().slice(1)).toEqual([200, 700, 1_200]);
    expect(Number(photoCalls()[3]!.url.searchParams.get('limit'))).toBe(150);

    // The photo page stepping to the 4,321st photo and its neighbours.
    const at = await sequence.load(4_321);
    expect(at?.id).toBe('p4321');
    expect(sequence.indexOf('p4321')).toBe(4_321);
    expect((await sequence.load(4_320))?.id).toBe('p4320');
    expect(await sequence.load(TOTAL)).toBeUndefined();
  });

  it('keeps showing what it had while a refresh fetches the photos on screen again', async () => {
    const sequence = new PhotoSequence('all', {});
    await sequence.ensureLoaded();
    sequence.want(0, 60);
    const before = sequence.getSnapshot().timeline;
    answerAtOnce = false;
    const refreshing = sequence.refresh();
    calls.find((call) => call.url.pathname === '/api/timeline' && calls.indexOf(call) > 1)!.settle();
    await sleep(0);
    // Fetching the first chunk again, the old copy and the old timeline still shown meanwhile: the new layout
    // comes with the photos that go in it.
    expect(offsets().slice(1)).toEqual([0]);
    expect(sequence.photoAt(10)?.id).toBe('p10');
    expect(sequence.getSnapshot().timeline).toBe(before);
    photoCalls()[1]!.settle();
    await refreshing;
    expect(sequence.getSnapshot().timeline).not.toBe(before);
    expect(sequence.photoAt(10)?.id).toBe('p10');
  });

  it('leaves out the photos hidden on this device (trashed offline) whatever the server still answers, and shows them again', async () => {
    const sequence = new PhotoSequence('all', {});
    await sequence.ensureLoaded();
    sequence.hide(new Set(['p3', 'p12']));
    // the layout closes up: each day loses its photo, and every later place moves back
    expect(sequence.total).toBe(TOTAL - 2);
    expect(
      sequence
        .getSnapshot()
        .timeline!.buckets.slice(0, 3)
        .map((bucket) => [bucket.offset, bucket.count]),
    ).toEqual([
      [0, 9],
      [9, 9],
      [18, 10],
    ]);
    expect(sequence.photoAt(3)?.id).toBe('p4');
    expect(sequence.photoAt(11)?.id).toBe('p13');
    expect(sequence.indexOf('p3')).toBeUndefined();
    expect(sequence.indexOf('p13')).toBe(11);
    expect((await sequence.range(0, 5)).map((p) => p.id)).toEqual(['p0', 'p1', 'p2', 'p4', 'p5']);
    // the server's answers (or the offline cache's) still hold them: a refresh does not bring them back
    await sequence.refresh();
    expect(sequence.total).toBe(TOTAL - 2);
    expect(sequence.photoAt(3)?.id).toBe('p4');
    // a place beyond what is loaded is the server's two further on
    expect((await sequence.load(CHUNK))?.id).toBe(`p${CHUNK + 2}`);
    expect(sequence.indexOf(`p${CHUNK + 2}`)).toBe(CHUNK);
    // the server refused: they are back in their places
    sequence.hide(new Set());
    expect(sequence.total).toBe(TOTAL);
    expect(sequence.photoAt(3)?.id).toBe('p3');
  });
});
