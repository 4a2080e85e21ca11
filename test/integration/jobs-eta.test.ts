import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobsSnapshot } from '../../src/library/jobs/jobs.js';
import { phonePhotos } from '../helpers/phone-photos.js';
import { authFetch, startTestServer, upload, type TestServer } from '../helpers/server.js';

// Issue 32, item 4: the time left that the jobs page, `shoebox jobs` and `shoebox import --wait` show (one estimate,
// GET /api/jobs' etaSeconds) must be honest. It was taken from photos finished per minute, and photos finish in bursts:
// the jobs page said "about 1 h 3 min" for under a minute of work. Here a real import of 12 MP phone photos is
// followed to its end, and every estimate given on the way is compared with the time it really took.
const PHOTOS = 48;

describe('the time left while photos are processed', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('is estimated once each step has a steady pace, and is close to the time the rest really takes', async () => {
    const photos = await phonePhotos(PHOTOS);
    const ids: string[] = [];
    for (let i = 0; i < photos.length; i += 4) {
      const { status, body } = await upload(server.url, photos.slice(i, i + 4));
      expect(status).toBe(201);
      ids.push(...body.items.map((item: { id: string }) => item.id));
    }
    const samples: { at: number; eta: number | null; working: number }[] = [];
    const deadline = Date.now() + 240_000;
    for (;;) {
      const snapshot = (await (await authFetch(`${server.url}/api/jobs`)).json()) as JobsSnapshot;
      const working = (snapshot.states.pending ?? 0) + (snapshot.states.processing ?? 0);
      samples.push({ at: Date.now(), eta: snapshot.etaSeconds, working });
      if (working === 0) break;
      expect(Date.now(), 'the import did not finish in 4 minutes').toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const end = samples.at(-1)!.at;
    expect(samples.at(-1)!.eta).toBeNull(); // nothing left: no time left shown
    const estimates = samples.filter((sample) => sample.working > 0 && sample.eta !== null);
    const report = estimates.map((sample) => `${sample.eta} s said, ${((end - sample.at) / 1000).toFixed(1)} s taken`);
    process.stdout.write(`${PHOTOS} photos in ${((end - samples[0]!.at) / 1000).toFixed(1)} s; estimates: ${report.join('; ')}\n`);
    // an estimate was given while there was work, not "estimating…" to the end
    expect(estimates.length, report.join('\n')).toBeGreaterThanOrEqual(3);
    for (const sample of estimates) {
      const taken = (end - sample.at) / 1000;
      // within a factor of three either way, give or take the polling and the last photo's own steps
      expect(sample.eta!, report.join('\n')).toBeLessThanOrEqual(3 * taken + 10);
      expect(sample.eta!, report.join('\n')).toBeGreaterThanOrEqual(taken / 3 - 10);
    }
  }, 300_000);
});
