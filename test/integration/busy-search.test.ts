// A household browsing must not stop an import: 30 photos uploaded while 50 clients search without pause finish
// within a bound close to the time the same import takes on a quiet server (measured first, in this test).
// Before searches took turns, the import took 57 s instead of 9 (bench/README.md).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assets, authFetch, startTestServer, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

const NATURE = path.join(assets, 'albums/nature');
const nature = fs.readdirSync(NATURE).filter((name) => name.endsWith('.jpg'));
const WORDS = ['falcon', 'rocks', 'fir', 'anemone', 'ridge', 'cactus', 'cyclamen', 'violet', 'green', 'sky'];

/** 30 distinct files from the corpus: each photo with a tail of its own after the image (new bytes, same picture). */
function batch(tag: string) {
  return Array.from({ length: 30 }, (_, i) => {
    const name = nature[i % nature.length]!;
    const data = Buffer.concat([fs.readFileSync(path.join(NATURE, name)), Buffer.from(`\n${tag}-${i}`)]);
    return { name: `${tag}-${i}-${name}`, data };
  });
}

/** Uploads 30 photos, 5 to a request as a browser does, and waits until every one is analysed: the milliseconds. */
async function importBatch(server: TestServer, tag: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  const files = batch(tag);
  const ids: string[] = [];
  for (let i = 0; i < files.length; i += 5) {
    const response = await upload(server.url, files.slice(i, i + 5));
    expect(response.status).toBe(201);
    ids.push(...response.body.items.map((item: { id: string }) => item.id));
  }
  const states = await waitForTerminal(server.url, ids, timeoutMs);
  expect(Object.values(states).every((state) => state === 'completed')).toBe(true);
  return Date.now() - started;
}

describe('an import while 50 clients search', () => {
  let server: TestServer;

  beforeAll(async () => {
    // every one of the 50 clients is let in (one user here): the bound on searches running at once does the work. Every
    // step runs: the bound below is a ratio to the quiet import, which without faces and OCR is too short to hold it
    server = await startTestServer({ searchesPerUser: 50 });
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('finishes within a bound close to its time on a quiet server', async () => {
    const quiet = await importBatch(server, 'quiet', 30_000);
    let stop = false;
    let searches = 0;
    let failed = 0;
    let refused = 0;
    const client = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const q = `${WORDS[(n + i) % WORDS.length]} ${WORDS[(n * 3 + i) % WORDS.length]}`;
        const response = await authFetch(`${server.url}/api/search?q=${encodeURIComponent(q)}&limit=100`).catch(() => null);
        await response?.arrayBuffer();
        if (response?.status === 200) searches++;
        else if (response?.status === 429 || response?.status === 503) {
          refused++; // as a browser would: again after the wait the server asks for
          await new Promise((resolve) => setTimeout(resolve, 1000 * Number(response.headers.get('retry-after') ?? 1)));
        } else failed++;
      }
    };
    const clients = Array.from({ length: 50 }, (_, n) => client(n));
    try {
      await new Promise((resolve) => setTimeout(resolve, 500)); // the searches under way first
      // before the searches were bounded the import took 6.4 times as long (57.4 s against 9.0 s); with them about twice,
      // up to 2.6 times when another test file shares the two cores: 3.5 times keeps that margin and still fails the old way
      const bound = Math.max(3.5 * quiet, quiet + 20_000);
      const busy = await importBatch(server, 'busy', bound);
      console.log(`import of 30 photos: ${quiet} ms on a quiet server, ${busy} ms during ${searches} searches by 50 clients (${refused} asked to wait)`);
      expect(busy).toBeLessThan(bound);
      expect(searches).toBeGreaterThan(50); // the searches were answered too
    } finally {
      stop = true;
      await Promise.all(clients);
    }
    expect(failed).toBe(0);
  }, 180_000);
});

describe('the per-user bound on searches', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText()); // the default bound: 8 running or waiting per user
  });

  afterAll(async () => {
    await server?.dispose();
  });

  /** How many connections the server holds open. */
  const connections = () => new Promise<number>((resolve, reject) => server.app.server.getConnections((error, n) => (error ? reject(error) : resolve(n))));

  it('refuses searches past the per-user bound at once, with 429 and Retry-After', async () => {
    // 40 searches arrive while the database is busy (a transaction holds it), as they do on a loaded server: without
    // it an empty library answers each before the next arrives, and whether any is refused is a matter of timing
    let free!: () => void;
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const transaction = server.lib.db.transaction(async () => {
      held();
      await new Promise<void>((resolve) => (free = resolve));
    });
    await holding;
    const sent = Array.from({ length: 40 }, (_, i) => authFetch(`${server.url}/api/search?q=falcon${i}`));
    const deadline = Date.now() + 10_000;
    while ((await connections()) < 40 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100)); // their requests read
    free();
    await transaction;
    const responses = await Promise.all(sent);
    const refused = responses.filter((response) => response.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(responses.filter((response) => response.status === 200).length).toBeGreaterThanOrEqual(8);
    expect(responses.every((response) => response.status === 200 || response.status === 429)).toBe(true);
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused[0]!.json()) as { message: string }).message).toMatch(/too many searches at once \(8 running or waiting per user\)/);
    // and once they are answered, the user searches again
    expect((await authFetch(`${server.url}/api/search?q=falcon`)).status).toBe(200);
  });
});
