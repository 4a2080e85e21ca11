// What Shoebox adds to image generation, against a loopback provider speaking the OpenAI Images API:
//   overhead   a zero-latency provider (its 1024×1024 PNGs drawn ahead: crops of corpus photos, ~1.5 MB each, as a
//              real model's output weighs): from POST /api/generate to the photo stored with its thumbnail, per
//              image (target ≤ 150 ms: queue, request, checks, storing, the pipeline's first lane);
//   batch      product sets of the realistic set's 12 MP phone photos (bench/analysis/realistic-set.ts) with a
//              provider that answers each image in 1 s: 4 shots each, at the configured concurrency, timed from
//              the request to the job's end, with the process's memory sampled as the sets go by (flat, not
//              growing with the number of products).
// Usage: npm run bench:create [-- --runs 20 --products 100 --concurrency 4 --json]. Results: bench/results/create-latest.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { loadSettings } from '../../src/config/settings.js';
import { createLogger } from '../../src/base/logger.js';
import { startServer } from '../../src/api/server.js';
import { readLocalApiKey } from '../../src/auth/local-key-file.js';
import { IMAGE_SERVER_KEY, startImageServer } from '../../test/helpers/image-server.js';
import { makeRealisticSet } from '../analysis/realistic-set.js';
import { arg } from '../args.js';
import { procStatusMb, waitForQuiet } from '../machine.js';
import { repoRoot } from '../search/generate.js';
import { assets } from '../../test/helpers/corpus.js';

const RUNS = Number(arg('runs') ?? 20);
const PRODUCTS = Number(arg('products') ?? 100);
const CONCURRENCY = Number(arg('concurrency') ?? 4);
const PROVIDER_MS = Number(arg('provider-ms') ?? 1000);
const JSON_ONLY = process.argv.includes('--json');
const log = (line: string) => (JSON_ONLY ? process.stderr.write(`${line}\n`) : console.log(line));
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

async function main(): Promise<Record<string, unknown>> {
  const corpus = assets;
  const set = await makeRealisticSet(corpus, path.join(repoRoot, 'bench/analysis/.work'));
  const files = set.photos.map((photo) => path.join(set.dir, photo.name));
  const images = await startImageServer();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-create-'));
  const settings = loadSettings(
    {
      dataDir,
      port: 0,
      host: '127.0.0.1',
      logLevel: 'warn',
      images: {
        providers: {
          default: {
            kind: 'openai',
            url: images.openaiUrl,
            apiKey: IMAGE_SERVER_KEY,
            model: 'bench',
            timeoutMs: 60_000,
            maxAttempts: 2,
            urlSetting: 'SHOEBOX_IMAGE_URL',
            apiKeySetting: 'SHOEBOX_IMAGE_API_KEY',
          },
        },
        concurrency: CONCURRENCY,
        imagesPerDay: 0,
      },
    },
    {},
  );
  const server = await startServer(settings, createLogger('warn'));
  const key = readLocalApiKey(dataDir)!;
  const api = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${server.url}${route}`, {
      method,
      headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await response.json()) as any;
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${json?.message}`);
    return json;
  };
  const results: Record<string, unknown> = { machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model }, date: new Date().toISOString() };
  try {
    // ---- overhead, with a provider that answers at once ------------------------------------------------------
    const sources = files.filter((file) => !file.endsWith('.heic')).slice(0, RUNS);
    if (sources.length > 0) await measureOverhead(sources);
    async function measureOverhead(sources: string[]) {
      for (const [i, file] of sources.entries()) {
        const png = await sharp(file).rotate().resize(1024, 1024, { fit: 'cover' }).png().toBuffer();
        await images.prepare(`bench overhead ${i}`, i, 1024, 1024, png);
      }
      await waitForQuiet({
        maxSeconds: 120,
        quietCores: 0.5,
        onBusy: (busy) => log(`waiting for the machine to be quiet (${round(busy)} cores busy)`),
      });
      const stored: number[] = [];
      const shown: number[] = [];
      const served: number[] = [];
      const parts = { queued: [] as number[], requestAndStore: [] as number[], untilThumbnail: [] as number[], preprocessingStep: [] as number[] };
      const at = (iso: string) => Date.parse(iso);
      for (let i = 0; i < sources.length; i++) {
        // timed by the server's own clocks (job created, photo stored, its first step done), so that the bench's
        // polling (this same process, the same database) does not slow what it measures; plus the request's trip
        const posted = performance.now();
        const job = await api('POST', '/api/generate', { prompt: `bench overhead ${i}`, size: '1024x1024', seed: i });
        const trip = performance.now() - posted;
        let photo: any = null;
        for (;;) {
          await sleep(100);
          const ran = await api('GET', `/api/generate/jobs/${job.id}`);
          if (!ran.photoIds[0]) continue;
          photo = await api('GET', `/api/photos/${ran.photoIds[0]}`);
          if (!['completed', 'partial', 'failed'].includes(photo.state)) continue; // the rest of its pipeline runs before the next request
          parts.queued.push(at(ran.startedAt) - at(ran.createdAt));
          parts.requestAndStore.push(at(photo.createdAt) - at(ran.startedAt));
          break;
        }
        const thumbnailAt = at(photo.steps.preprocessing.finishedAt);
        stored.push(at(photo.createdAt) - at(job.createdAt) + trip);
        shown.push(thumbnailAt - at(job.createdAt) + trip);
        parts.untilThumbnail.push(thumbnailAt - at(photo.createdAt));
        parts.preprocessingStep.push(photo.steps.preprocessing.durationMs);
        served.push(images.requests.at(-1)!.servedMs);
        await sleep(100);
      }
      const ownMs = shown.map((ms, k) => ms - served[k]!);
      results.overhead = {
        runs: sources.length,
        imageBytes: Math.round((await sharp(sources[0]!).rotate().resize(1024, 1024, { fit: 'cover' }).png().toBuffer()).length),
        storedMs: { median: round(percentile(stored, 50)), p90: round(percentile(stored, 90)) },
        thumbnailMs: { median: round(percentile(shown, 50)), p90: round(percentile(shown, 90)) },
        providerOwnMs: { median: round(percentile(served, 50)) },
        shoeboxMs: { median: round(percentile(ownMs, 50)), p90: round(percentile(ownMs, 90)) },
        medianPartsMs: Object.fromEntries(Object.entries(parts).map(([name, values]) => [name, round(percentile(values, 50))])),
        targetMs: 150,
      };
      log(`  parts (median ms): ${JSON.stringify((results.overhead as { medianPartsMs: unknown }).medianPartsMs)}`);
      log(
        `overhead: stored ${round(percentile(stored, 50))} ms, with its thumbnail ${round(percentile(shown, 50))} ms (median of ${sources.length}; ` +
          `p90 ${round(percentile(shown, 90))} ms), of which the loopback provider's own ${round(percentile(served, 50))} ms: Shoebox's ${round(percentile(ownMs, 50))} ms`,
      );
    }

    // ---- a batch of product sets, with a provider that takes a second an image -------------------------------
    const products = files.slice(0, PRODUCTS);
    if (products.length === 0) return results;
    log(`uploading ${products.length} product photos (12 MP)…`);
    const ids: string[] = [];
    for (let i = 0; i < products.length; i += 10) {
      const form = new FormData();
      for (const file of products.slice(i, i + 10)) form.append('file', await fs.openAsBlob(file), path.basename(file));
      const response = await fetch(`${server.url}/api/photos`, { method: 'POST', headers: { 'x-api-key': key }, body: form });
      ids.push(...((await response.json()) as { items: { id: string }[] }).items.map((item) => item.id));
    }
    for (;;) {
      const photos = await Promise.all(ids.map((id) => api('GET', `/api/photos/${id}`)));
      if (photos.every((photo) => photo.hasThumbnail)) break;
      await sleep(1000);
    }
    for (;;) {
      const jobs = await api('GET', '/api/jobs');
      if ((jobs.states.pending ?? 0) + (jobs.states.processing ?? 0) === 0) break;
      await sleep(1000);
    }
    images.delayMs = PROVIDER_MS;
    await waitForQuiet({ maxSeconds: 120, quietCores: 0.5 });
    const memory: { done: number; rssMb: number }[] = [];
    const started = performance.now();
    const job = await api('POST', '/api/product-shots', { photoIds: ids, productType: 'ring', size: '1024x1024' });
    let current = job;
    let peak = 0;
    while (current.state === 'queued' || current.state === 'running') {
      await sleep(1000);
      current = await api('GET', `/api/generate/jobs/${job.id}`);
      const rss = procStatusMb('VmRSS');
      peak = Math.max(peak, rss);
      memory.push({ done: current.made + current.failed, rssMb: Math.round(rss) });
    }
    const seconds = (performance.now() - started) / 1000;
    const atShare = (share: number) => memory.find((m) => m.done >= share * current.requested)?.rssMb ?? null;
    results.batch = {
      products: ids.length,
      images: current.requested,
      made: current.made,
      failed: current.failed,
      state: current.state,
      seconds: round(seconds),
      imagesPerSecond: round(current.made / seconds, 2),
      boundImagesPerSecond: round(CONCURRENCY / (PROVIDER_MS / 1000), 2),
      concurrency: CONCURRENCY,
      providerMs: PROVIDER_MS,
      rssMb: { at25: atShare(0.25), at50: atShare(0.5), at75: atShare(0.75), end: memory.at(-1)?.rssMb ?? null, peak: Math.round(peak) },
    };
    log(
      `batch: ${current.made} of ${current.requested} images (${ids.length} products) in ${round(seconds)} s = ${round(current.made / seconds, 2)}/s ` +
        `(bound: ${round(CONCURRENCY / (PROVIDER_MS / 1000), 2)}/s); RSS ${atShare(0.25)} → ${atShare(0.5)} → ${atShare(0.75)} → ${memory.at(-1)?.rssMb} MB`,
    );
  } finally {
    await server.close();
    await images.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}

async function report(results: Record<string, unknown>) {
  const out = path.join(repoRoot, 'bench/results/create-latest.json');
  fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  if (JSON_ONLY) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else log(`written to ${path.relative(repoRoot, out)}`);
}

await report(await main());
