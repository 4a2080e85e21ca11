// Image generation against a loopback server that speaks the OpenAI Images API and the Stable Diffusion web UI API:
// jobs end with the right photos (the very bytes the server drew for each prompt) or a failed state with the
// reason; retries, refusals, malformed answers, cancellation, the daily quota and other users' jobs.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photoSteps } from '../../src/db/schema.js';
import type { ImageProviderConfig } from '../../src/config/image-providers.js';
import { drawImage, IMAGE_SERVER_KEY, SD_AUTH, startImageServer, type ImageServer } from '../helpers/image-server.js';
import { PLAIN_CAPTION, startChatEndpoint } from '../helpers/caption-endpoint.js';
import { runCli } from '../helpers/cli.js';
import {
  assets,
  authFetch,
  json,
  onPostgres,
  startTestServer,
  tempDir,
  upload,
  waitForTerminal,
  type TestServer,
  withoutFacesOrText,
} from '../helpers/server.js';

type Job = {
  id: string;
  state: string;
  photoIds: string[];
  made: number;
  failed: number;
  error: string | null;
  failures: { index: number; error: string; refused: boolean }[];
};

function provider(kind: ImageProviderConfig['kind'], url: string, apiKey: string | null, extra: Partial<ImageProviderConfig> = {}): ImageProviderConfig {
  const prefix = extra.urlSetting?.replace(/URL$/, '') ?? 'SHOEBOX_IMAGE_';
  return {
    kind,
    url,
    ...(apiKey ? { apiKey } : {}),
    timeoutMs: 20_000,
    maxAttempts: 3,
    retryDelayMs: 50,
    urlSetting: `${prefix}URL`,
    apiKeySetting: `${prefix}API_KEY`,
    ...extra,
  };
}

async function waitForJob(base: string, id: string, headers: Record<string, string> = {}, timeoutMs = 60_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await json(`${base}/api/generate/jobs/${id}`, { headers })).body as Job;
    if (!['queued', 'running'].includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job not finished in time: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A TCP listener that counts connections: an address Shoebox must never be made to reach. */
async function startTrap(): Promise<{ port: number; connections: number; close(): Promise<void> }> {
  const trap = { port: 0, connections: 0, close: async () => undefined as void };
  const server = createNetServer((socket) => {
    trap.connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  trap.port = (server.address() as AddressInfo).port;
  trap.close = () => new Promise((resolve) => server.close(() => resolve()));
  return trap;
}

async function originalSha(base: string, photoId: string): Promise<string> {
  const response = await authFetch(`${base}/api/photos/${photoId}/original`);
  expect(response.status).toBe(200);
  return createHash('sha256')
    .update(Buffer.from(await response.arrayBuffer()))
    .digest('hex');
}

const QUERY_SECRET = 'query-secret-4711';

describe('image generation without a provider', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
  });
  afterAll(async () => server?.dispose());

  it('starts without the creation tools: their routes answer 404 and no item has a catalogue step (no row: not shown or counted), until an admin switches them on', async () => {
    const base = server.url;
    expect((await json(`${base}/api/creation-tools`)).body).toEqual({ on: false });
    const uploaded = await upload(base, [{ path: path.join(assets, 'albums/nature/prairie_falcon.jpg') }]);
    const id = uploaded.body.items[0].id as string;
    await waitForTerminal(base, [id]);
    const refused: [string, string, unknown?][] = [
      ['GET', '/api/generate/providers'],
      ['POST', '/api/generate', { prompt: 'a lighthouse' }],
      ['POST', `/api/photos/${id}/inspire`],
      ['POST', '/api/products', { photoIds: [id], productType: 'ring' }],
      ['GET', '/api/product-types'],
      ['GET', '/api/catalogue.csv'],
    ];
    for (const [method, route, body] of refused) {
      const answer = await json(`${base}${route}`, { method, json: body });
      expect(answer.status, route).toBe(404);
      expect(answer.body.message, route).toContain('creation tools (Create, product shots, the catalogue) are off');
    }
    const off = (await json(`${base}/api/photos/${id}`)).body;
    expect(off.state).toBe('completed');
    expect(Object.keys(off.steps)).toContain('captions');
    expect(Object.keys(off.steps)).not.toContain('catalogue');
    // no row at all: the jobs and the stats count no catalogue step, and nothing runs it again
    const catalogueRow = async (photoId: string) =>
      (
        await server.lib.db
          .select()
          .from(photoSteps)
          .where(and(eq(photoSteps.photoId, photoId), eq(photoSteps.step, 'catalogue')))
      )[0] ?? null;
    expect(await catalogueRow(id)).toBeNull();
    const jobSteps = async () => (await json(`${base}/api/jobs`)).body.steps as Record<string, Record<string, number>>;
    expect(Object.keys(await jobSteps())).toContain('captions');
    expect(Object.keys(await jobSteps())).not.toContain('catalogue');
    expect(Object.keys((await json(`${base}/api/stats`)).body.steps)).not.toContain('catalogue');
    const reprocess = await json(`${base}/api/reprocess`, { method: 'POST', json: { step: 'catalogue' } });
    expect(reprocess.status).toBe(409);
    expect(reprocess.body.message).toContain('creation tools');
    expect((await json(`${base}/api/photos/${id}/retry`, { method: 'POST' })).body.reset).not.toContain('catalogue');
    await waitForTerminal(base, [id]);
    // (nor does a start: reconcile.test.ts)

    expect((await json(`${base}/api/admin/creation-tools`, { method: 'PUT', json: { on: 'yes' } })).status).toBe(400);
    expect((await json(`${base}/api/admin/creation-tools`, { method: 'PUT', json: { on: true } })).body).toEqual({ on: true });
    expect((await json(`${base}/api/creation-tools`)).body).toEqual({ on: true });
    await waitForTerminal(base, [id]);
    const on = (await json(`${base}/api/photos/${id}`)).body;
    expect(on.steps.catalogue).toMatchObject({ status: 'skipped', error: expect.stringContaining('not a product') });
    await expect.poll(async () => (await jobSteps()).catalogue, { timeout: 10_000 }).toMatchObject({ skipped: 1, pending: 0, running: 0 });

    // switched off and on again: a product's fields, once written, stay and are not written again; other items' steps go
    const productId = (await upload(base, [{ path: path.join(assets, 'albums/nature/silver_fir.jpg') }])).body.items[0].id as string;
    await waitForTerminal(base, [productId]);
    expect((await json(`${base}/api/products`, { method: 'POST', json: { photoIds: [productId], productType: 'ring' } })).status).toBe(200);
    await waitForTerminal(base, [productId]);
    const written = (await json(`${base}/api/photos/${productId}`)).body.steps.catalogue;
    expect(written.status).toBe('done');
    expect((await json(`${base}/api/admin/creation-tools`, { method: 'PUT', json: { on: false } })).body).toEqual({ on: false });
    expect(await catalogueRow(id)).toBeNull();
    expect(Object.keys((await json(`${base}/api/photos/${productId}`)).body.steps)).not.toContain('catalogue');
    await expect.poll(async () => Object.keys(await jobSteps()), { timeout: 10_000 }).not.toContain('catalogue');
    expect((await json(`${base}/api/admin/creation-tools`, { method: 'PUT', json: { on: true } })).body).toEqual({ on: true });
    await waitForTerminal(base, [id, productId]);
    expect((await json(`${base}/api/photos/${productId}`)).body.steps.catalogue).toEqual(written);
    expect((await json(`${base}/api/photos/${id}`)).body.steps.catalogue).toMatchObject({ status: 'skipped', error: expect.stringContaining('not a product') });
    await expect.poll(async () => (await jobSteps()).catalogue, { timeout: 10_000 }).toMatchObject({ done: 1, skipped: 1, pending: 0, failed: 0 });
  });

  it('says which setting to add (409), and the rest of the library works', async () => {
    const providers = await json(`${server.url}/api/generate/providers`);
    expect(providers.status).toBe(200);
    expect(providers.body).toMatchObject({ providers: [], configured: false, inspire: false });
    expect(providers.body.setup).toContain('SHOEBOX_IMAGE_URL');
    const refused = await json(`${server.url}/api/generate`, { method: 'POST', json: { prompt: 'a lighthouse at dusk' } });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('SHOEBOX_IMAGE_URL');
    const uploaded = await upload(server.url, [{ path: path.join(assets, 'albums/nature/polemonium_reptans.jpg') }]);
    expect(uploaded.status).toBe(201);
    expect((await json(`${server.url}/api/generate/jobs`)).body.items).toEqual([]);
  });
});

describe('image generation through providers', () => {
  let images: ImageServer;
  let chat: { url: string; close(): Promise<void> };
  const chatSystemPrompts: string[] = [];
  let server: TestServer;
  let base: string;

  beforeAll(async () => {
    images = await startImageServer();
    // the caption endpoint: captions for the pipeline, prompts for "inspired by"
    chat = await startChatEndpoint((system) => {
      if (!system.includes('image-generation model')) return JSON.stringify(PLAIN_CAPTION);
      chatSystemPrompts.push(system);
      return JSON.stringify({
        prompt: 'A small purple wildflower cluster in soft morning light, shallow depth of field [faithful]',
        negativePrompt: 'text, watermark',
      });
    });
    const chatUrl = chat.url;
    server = await startTestServer({
      ...withoutFacesOrText({
        ml: { caption: { url: chatUrl, model: 'llava:7b', timeoutMs: 10_000, maxAttempts: 2 } },
        images: {
          providers: {
            default: provider('openai', images.openaiUrl, IMAGE_SERVER_KEY, { model: 'dall-e-3' }),
            sd: provider('automatic1111', images.sdUrl, SD_AUTH, { model: 'sdxl_base_1.0.safetensors', urlSetting: 'SHOEBOX_IMAGE_SD_URL' }),
            wrongkey: provider('openai', images.openaiUrl, 'sk-wrong-key-9876543210', { urlSetting: 'SHOEBOX_IMAGE_WRONGKEY_URL' }),
            // credentials in the URL: user:password@ (sent as Basic auth) and a key in the query
            sdcreds: provider('automatic1111', `${images.sdUrl.replace('://', `://${SD_AUTH}@`)}/?key=${QUERY_SECRET}`, null, {
              urlSetting: 'SHOEBOX_IMAGE_SDCREDS_URL',
              maxAttempts: 2,
            }),
            hosts: provider('openai', images.openaiUrl, IMAGE_SERVER_KEY, {
              urlSetting: 'SHOEBOX_IMAGE_HOSTS_URL',
              answerHosts: ['localhost', '169.254.169.254'],
            }),
          },
          concurrency: 2,
          imagesPerDay: 0,
        },
      }),
      creationTools: true,
    });
    base = server.url;
  });

  afterAll(async () => {
    await server?.dispose();
    await images?.close();
    await chat?.close();
  });

  const generate = (body: Record<string, unknown>) => json(`${base}/api/generate`, { method: 'POST', json: body });

  it('makes images from a prompt: each a photo with origin `generated`, its provenance, through the pipeline', async () => {
    const listed = await json(`${base}/api/generate/providers`);
    expect(listed.body.configured).toBe(true);
    expect(listed.body.providers.map((p: { name: string }) => p.name)).toEqual(['default', 'sd', 'wrongkey', 'sdcreds', 'hosts']);
    for (const secret of [IMAGE_SERVER_KEY, 's3cret-palette', QUERY_SECRET]) expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(listed.body.quota).toEqual({ limit: null, used: 0, left: null });

    const started = await generate({ prompt: 'a red bicycle leaning on a harbour wall', n: 2, size: '320x256', seed: 7 });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ state: 'queued', requested: 2, provider: 'default', size: '320x256' });
    const job = await waitForJob(base, started.body.id);
    expect(job).toMatchObject({ state: 'completed', made: 2, failed: 0, error: null });
    expect(job.photoIds).toHaveLength(2);

    // the bytes the server drew for that prompt, with seeds 7 and 8, in that order
    // (the two are asked for at once: they come back in either order)
    const drawn = images.answered.filter((a) => a.prompt === 'a red bicycle leaning on a harbour wall').sort((a, b) => a.seed! - b.seed!);
    expect(drawn.map((a) => a.seed)).toEqual([7, 8]);
    const sent = images.requests.filter((r) => r.prompt === 'a red bicycle leaning on a harbour wall');
    expect(sent.every((r) => r.api === 'generations' && r.model === 'dall-e-3' && r.size === '320x256' && r.fields.response_format === 'b64_json')).toBe(true);
    const states = await waitForTerminal(base, job.photoIds);
    for (const [index, id] of job.photoIds.entries()) {
      expect(states[id]).toBe('completed');
      expect(await originalSha(base, id)).toBe(drawn[index]!.sha256);
      const photo = (await json(`${base}/api/photos/${id}`)).body;
      expect(photo).toMatchObject({
        origin: 'generated',
        hasThumbnail: true,
        width: 320,
        height: 256,
        filename: `a-red-bicycle-leaning-on-a-harbour-wall-${index + 1}.png`,
      });
      expect(photo.provenance).toMatchObject({
        prompt: 'a red bicycle leaning on a harbour wall',
        revisedPrompt: 'A detailed rendering: a red bicycle leaning on a harbour wall',
        provider: 'default',
        providerKind: 'openai',
        model: 'dall-e-3',
        seed: 7 + index,
        size: '320x256',
        mode: 'text',
        sourcePhotoId: null,
        jobId: job.id,
        index,
      });
      expect(Date.parse(photo.provenance.generatedAt)).toBeGreaterThan(Date.now() - 120_000);
    }

    // the origin filter on the list and on search
    const camera = await upload(base, [{ path: path.join(assets, 'albums/nature/polemonium_reptans.jpg') }]);
    await waitForTerminal(base, [camera.body.items[0].id]);
    const generatedOnly = await json(`${base}/api/photos?origin=generated&limit=100`);
    expect(generatedOnly.body.items.map((p: { id: string }) => p.id).sort()).toEqual(expect.arrayContaining([...job.photoIds].sort()));
    expect(generatedOnly.body.items.every((p: { origin: string }) => p.origin === 'generated')).toBe(true);
    const cameraOnly = await json(`${base}/api/photos?origin=camera&limit=100`);
    expect(cameraOnly.body.items.map((p: { id: string }) => p.id)).toEqual([camera.body.items[0].id]);
    const found = await json(`${base}/api/search?q=bicycle&mode=keyword&origin=generated`);
    expect(found.body.items.map((hit: { photo: { id: string } }) => hit.photo.id).sort()).toEqual([...job.photoIds].sort());
    expect((await json(`${base}/api/search?q=bicycle&mode=keyword&origin=camera`)).body.items).toEqual([]);
    expect((await json(`${base}/api/photos?origin=painted`)).status).toBe(400);
  });

  it('speaks the Stable Diffusion web UI API: negative prompt, checkpoint, the seed it reports', async () => {
    const started = await generate({
      prompt: 'an isometric castle in a snow globe',
      negativePrompt: 'blurry, text',
      size: '256x256',
      provider: 'sd',
    });
    expect(started.status).toBe(202);
    const job = await waitForJob(base, started.body.id);
    expect(job.state).toBe('completed');
    const request = images.requests.find((r) => r.prompt === 'an isometric castle in a snow globe')!;
    expect(request).toMatchObject({
      api: 'txt2img',
      negativePrompt: 'blurry, text',
      model: 'sdxl_base_1.0.safetensors',
      size: '256x256',
      seed: null,
    });
    const photo = (await json(`${base}/api/photos/${job.photoIds[0]}`)).body;
    expect(photo.provenance).toMatchObject({ provider: 'sd', providerKind: 'automatic1111', seed: 4242, negativePrompt: 'blurry, text' });
    expect(await originalSha(base, job.photoIds[0]!)).toBe(images.answered.find((a) => a.prompt === request.prompt)!.sha256);
  });

  it('retries 429 (after Retry-After) and 5xx, and fails with the reason when they last', async () => {
    const began = Date.now();
    const limited = await waitForJob(base, (await generate({ prompt: 'a paper boat on a puddle [429:2]', size: '256x256' })).body.id);
    expect(limited.state).toBe('completed');
    expect(Date.now() - began).toBeGreaterThanOrEqual(2000); // two waits of Retry-After: 1
    expect(images.requests.filter((r) => r.prompt.includes('paper boat')).map((r) => r.status)).toEqual([429, 429, 200]);

    const down = await waitForJob(base, (await generate({ prompt: 'a kite over dunes [500:5]', size: '256x256' })).body.id);
    expect(down).toMatchObject({ state: 'failed', made: 0, failed: 1, photoIds: [] });
    expect(down.error).toMatch(/failed after 3 attempt\(s\): HTTP 500/);
    expect(down.error).toContain(images.openaiUrl);
  });

  it('reports refusals, malformed answers and answers that are not images, storing nothing', async () => {
    const refused = await waitForJob(base, (await generate({ prompt: 'something forbidden [refuse]', n: 2, size: '256x256' })).body.id);
    expect(refused).toMatchObject({ state: 'failed', made: 0, failed: 2, photoIds: [] });
    expect(refused.failures.every((f) => f.refused)).toBe(true);
    expect(refused.error).toMatch(/refused the request under its content policy.*safety system/);

    const malformed = await waitForJob(base, (await generate({ prompt: 'a teapot [malformed]', size: '256x256' })).body.id);
    expect(malformed.state).toBe('failed');
    expect(malformed.error).toMatch(/not JSON/);
    const notImage = await waitForJob(base, (await generate({ prompt: 'a teacup [notimage]', size: '256x256' })).body.id);
    expect(notImage.state).toBe('failed');
    expect(notImage.error).toMatch(/not an image/);
    for (const job of [refused, malformed, notImage]) {
      const photos = await json(`${base}/api/photos?origin=generated&limit=500`);
      expect(photos.body.items.some((p: { id: string }) => job.photoIds.includes(p.id))).toBe(false);
    }

    const wrong = await waitForJob(base, (await generate({ prompt: 'a lamp', n: 3, size: '256x256', provider: 'wrongkey' })).body.id);
    expect(wrong.state).toBe('failed');
    expect(wrong.error).toContain('SHOEBOX_IMAGE_WRONGKEY_API_KEY');
    expect(wrong.failed).toBeLessThan(3); // a refused key stops the job instead of trying every image
    expect(JSON.stringify(wrong)).not.toContain('sk-wrong-key-9876543210');
  });

  it('reads url answers, and drops fields a server refuses (seed, response_format)', async () => {
    const viaUrl = await waitForJob(base, (await generate({ prompt: 'a lemon tree in a pot [url]', size: '256x256' })).body.id);
    expect(viaUrl.state).toBe('completed');
    expect(await originalSha(base, viaUrl.photoIds[0]!)).toBe(images.answered.find((a) => a.prompt.includes('lemon tree'))!.sha256);

    images.rejectSeed = true;
    images.rejectResponseFormat = true;
    try {
      const strict = await waitForJob(base, (await generate({ prompt: 'a glass marble', size: '256x256', seed: 3 })).body.id);
      expect(strict.state).toBe('completed');
      const photo = (await json(`${base}/api/photos/${strict.photoIds[0]}`)).body;
      expect(photo.provenance.seed).toBeNull(); // the server took no seed: none is claimed
      const last = images.requests.filter((r) => r.prompt === 'a glass marble').at(-1)!;
      expect(last.status).toBe(200);
      expect(last.fields).not.toHaveProperty('seed');
      expect(last.fields).not.toHaveProperty('response_format');
    } finally {
      images.rejectSeed = false;
      images.rejectResponseFormat = false;
    }
  });

  it('keeps URL credentials out of job errors: user:password@ travels as Basic auth, echoed keys are scrubbed', async () => {
    const echoed = await waitForJob(base, (await generate({ prompt: 'a broken server [echo]', size: '256x256', provider: 'sdcreds' })).body.id);
    expect(echoed.state).toBe('failed');
    expect(echoed.error).toMatch(/failed after 2 attempt\(s\): HTTP 500: Internal error handling POST/);
    expect(echoed.error).toContain('127.0.0.1');
    const request = images.requests.filter((r) => r.prompt.includes('a broken server')).at(-1)!;
    expect(request.status).toBe(500); // the server was reached: the credentials went as Basic auth
    const listed = JSON.stringify((await json(`${base}/api/generate/jobs`)).body);
    for (const text of [JSON.stringify(echoed), listed]) {
      for (const secret of ['s3cret-palette', Buffer.from(SD_AUTH).toString('base64'), QUERY_SECRET]) expect(text).not.toContain(secret);
    }
  });

  it('reads url answers only from the provider itself or an allowed host, never from an address it is not on', async () => {
    const trap = await startTrap();
    try {
      const port = new URL(images.openaiUrl).port;
      for (const [href, reason] of [
        [`http://127.0.0.1:${trap.port}/steal.png`, /not the provider's own http:\/\/127\.0\.0\.1:\d+.*SHOEBOX_IMAGE_ANSWER_HOSTS/],
        ['http://169.254.169.254/latest/meta-data/iam/', /not the provider's own/],
        [`http://localhost:${port}/files/x.png`, /not the provider's own/], // the same server by another origin: not allowed for this provider
      ] as const) {
        const job = await waitForJob(base, (await generate({ prompt: `a stolen picture [url-to:${href}]`, size: '256x256' })).body.id);
        expect(job.state, href).toBe('failed');
        expect(job.error, href).toMatch(reason);
      }
      // allowed by name, but on a link-local address the provider is not on: refused before connecting
      const metadata = await waitForJob(
        base,
        (await generate({ prompt: 'metadata [url-to:http://169.254.169.254/latest/meta-data/]', size: '256x256', provider: 'hosts' })).body.id,
      );
      expect(metadata.state).toBe('failed');
      expect(metadata.error).toMatch(/link-local address, where the provider is not/);
      expect(trap.connections).toBe(0);

      // an allowed host on loopback, where the provider is too: read
      const image = await drawImage('served by name', 7, 256, 256);
      images.store('by-name.png', image);
      const sha = createHash('sha256').update(image).digest('hex');
      const viaName = await waitForJob(
        base,
        (await generate({ prompt: `an allowed host [url-to:http://localhost:${port}/files/by-name.png]`, size: '256x256', provider: 'hosts' })).body.id,
      );
      expect(viaName.state).toBe('completed');
      expect(await originalSha(base, viaName.photoIds[0]!)).toBe(sha);
    } finally {
      await trap.close();
    }
  });

  // the provider's client alone: the same on both engines
  it.skipIf(onPostgres())('follows a provider’s redirect within its origin only: the prompt and the key go to no other host', async () => {
    const trap = await startTrap();
    try {
      const once = await waitForJob(base, (await generate({ prompt: 'moved once [redirect-once]', size: '256x256' })).body.id);
      expect(once.state).toBe('completed');
      expect(images.requests.filter((r) => r.prompt.includes('moved once')).map((r) => r.status)).toEqual([307, 200]);
      const away = await waitForJob(
        base,
        (await generate({ prompt: `moved away [redirect-to:http://127.0.0.1:${trap.port}/v1/images/generations]`, size: '256x256' })).body.id,
      );
      expect(away.state).toBe('failed');
      expect(away.error).toMatch(
        /answered with a redirect, which was not followed: it leads to http:\/\/127\.0\.0\.1:\d+, off the provider's own http:\/\/127\.0\.0\.1:\d+/,
      );
      expect(away.error).not.toContain(IMAGE_SERVER_KEY);
      expect(images.requests.filter((r) => r.prompt.includes('moved away'))).toHaveLength(1); // not asked again
      expect(trap.connections).toBe(0);
    } finally {
      await trap.close();
    }
  });

  it('cancels a running job before its next image; the image in flight is not stored', async () => {
    const started = await generate({ prompt: 'a slow sunrise [slow:1500]', n: 4, size: '256x256' });
    const deadline = Date.now() + 10_000;
    while (!images.requests.some((r) => r.prompt.includes('slow sunrise')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const cancelled = await json(`${base}/api/generate/jobs/${started.body.id}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    const job = await waitForJob(base, started.body.id);
    expect(job.state).toBe('cancelled');
    expect(job.photoIds).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await json(`${base}/api/generate/jobs/${started.body.id}`)).body.photoIds).toEqual([]);
    expect(images.requests.filter((r) => r.prompt.includes('slow sunrise')).length).toBeLessThanOrEqual(2); // the two slots' first requests
  });

  it('writes a prompt from a photo, then makes an image from it that is never a duplicate of its source', async () => {
    const uploaded = await upload(base, [{ path: path.join(assets, 'albums/nature/cyclamen_persicum.jpg') }]);
    const sourceId = uploaded.body.items[0].id as string;
    await waitForTerminal(base, [sourceId]);
    const inspired = await json(`${base}/api/photos/${sourceId}/inspire`, { method: 'POST' });
    expect(inspired.status).toBe(200);
    expect(inspired.body).toMatchObject({ negativePrompt: 'text, watermark', model: 'llava:7b' });
    expect(inspired.body.prompt).toMatch(/^A small purple wildflower/);
    expect(chatSystemPrompts.at(-1)).toContain('Never include names of people');

    const started = await generate({
      prompt: inspired.body.prompt,
      negativePrompt: inspired.body.negativePrompt,
      sourcePhotoId: sourceId,
      size: '512x384',
      n: 2,
    });
    expect(started.status).toBe(202);
    const job = await waitForJob(base, started.body.id);
    expect(job.state).toBe('completed');
    const sent = images.requests.filter((r) => r.prompt.startsWith('A small purple wildflower'));
    expect(sent.every((r) => r.api === 'edits' && r.image?.width === 512 && r.image?.height === 384)).toBe(true);
    await waitForTerminal(base, job.photoIds);
    for (const id of job.photoIds) {
      const photo = (await json(`${base}/api/photos/${id}`)).body;
      expect(photo.provenance).toMatchObject({ mode: 'edit', sourcePhotoId: sourceId });
      expect(photo.duplicateGroup).toBeNull();
    }
    const groups = (await json(`${base}/api/duplicates`)).body.items as { members: { photoId: string }[] }[];
    const grouped = groups.flatMap((group) => group.members.map((m) => m.photoId));
    expect(grouped).not.toContain(sourceId);
    for (const id of job.photoIds) expect(grouped).not.toContain(id);

    expect((await json(`${base}/api/photos/${sourceId}/inspire`, { method: 'POST', headers: { 'x-api-key': 'nope' } })).status).toBe(401);
  });

  it('validates requests with the reason', async () => {
    for (const [body, reason] of [
      [{ prompt: '' }, /prompt/],
      [{ prompt: '   ' }, /prompt/],
      [{ prompt: 'x'.repeat(4001) }, /4000/],
      [{ prompt: 'a cat', n: 11 }, /n/],
      [{ prompt: 'a cat', size: 'big' }, /WIDTHxHEIGHT/],
      [{ prompt: 'a cat', size: '100x100' }, /multiple of 8/],
      [{ prompt: 'a cat', size: '8192x8192' }, /4096/],
      [{ prompt: 'a cat', provider: 'midjourney' }, /no image provider named "midjourney".*default, sd, wrongkey/],
      [{ prompt: 'a cat', seed: -1 }, /seed/],
      [{ prompt: 'a cat', mode: 'edit' }, /sourcePhotoId/],
      [{ prompt: 'a cat', extra: true }, /extra|unrecognized/i],
    ] as const) {
      const answer = await generate(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.message).toMatch(reason);
    }
    const missing = await generate({ prompt: 'a cat', sourcePhotoId: '00000000-0000-4000-8000-000000000000' });
    expect(missing.status).toBe(404);
    expect((await json(`${base}/api/generate/jobs/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });
});

describe('image generation quota and isolation', () => {
  let images: ImageServer;
  let server: TestServer;
  let base: string;
  let bobCookie: string;

  beforeAll(async () => {
    images = await startImageServer();
    server = await startTestServer(
      withoutFacesOrText({
        images: { providers: { default: provider('openai', images.openaiUrl, IMAGE_SERVER_KEY) }, concurrency: 2, imagesPerDay: 3 },
      }),
    );
    base = server.url;
    const setup = await fetch(`${base}/api/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      // the set-up's answer to what the library is for switches the creation tools on
      body: JSON.stringify({ name: 'Ann', email: 'ann@example.org', password: 'ann password 1', purpose: 'both' }),
    });
    expect(setup.status).toBeLessThan(300);
    expect((await json(`${base}/api/creation-tools`)).body).toEqual({ on: true });
    const created = await json(`${base}/api/admin/users`, {
      method: 'POST',
      json: { name: 'Bob', email: 'bob@example.org', password: 'bob password 1' },
    });
    expect(created.status).toBe(201);
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ email: 'bob@example.org', password: 'bob password 1' }),
    });
    bobCookie = /shoebox_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
  });

  afterAll(async () => {
    await server?.dispose();
    await images?.close();
  });

  it('counts images against the day, per user; another user cannot see or cancel a job', async () => {
    const first = await json(`${base}/api/generate`, { method: 'POST', json: { prompt: 'a blue door', n: 2, size: '256x256' } });
    expect(first.status).toBe(202);
    const over = await json(`${base}/api/generate`, { method: 'POST', json: { prompt: 'a green door', n: 2, size: '256x256' } });
    expect(over.status).toBe(429);
    expect(over.body.message).toMatch(/2 of 3 images used in the last 24 hours, this asks for 2 \(1 left\)/);
    expect((await json(`${base}/api/generate`, { method: 'POST', json: { prompt: 'a green door', n: 1, size: '256x256' } })).status).toBe(202);
    expect((await waitForJob(base, first.body.id)).state).toBe('completed');

    // failed images cost nothing once the job has ended
    const quota = (await json(`${base}/api/generate/providers`)).body.quota;
    expect(quota).toMatchObject({ limit: 3, left: 0 });
    // a product-shots request over the quota changes nothing: the photo does not join the catalogue
    const uploaded = await upload(base, [{ path: path.join(assets, 'albums/nature/silver_fir.jpg') }]);
    await waitForTerminal(base, [uploaded.body.items[0].id]);
    const shots = await json(`${base}/api/product-shots`, {
      method: 'POST',
      json: { photoIds: [uploaded.body.items[0].id], productType: 'ring', size: '256x256' },
    });
    expect(shots.status).toBe(429);
    expect(shots.body.message).toMatch(/this asks for 4/);
    expect((await json(`${base}/api/products`)).body.total).toBe(0);

    const bob = { cookie: bobCookie, origin: base };
    expect((await json(`${base}/api/generate/jobs/${first.body.id}`, { headers: bob })).status).toBe(404);
    expect((await json(`${base}/api/generate/jobs/${first.body.id}/cancel`, { method: 'POST', headers: bob })).status).toBe(404);
    expect((await json(`${base}/api/generate/jobs`, { headers: bob })).body.items).toEqual([]);
    // Bob has a day of his own; an admin gives him a figure of his own
    const bobJob = await json(`${base}/api/generate`, { method: 'POST', json: { prompt: 'a red door', n: 3, size: '256x256' }, headers: bob });
    expect(bobJob.status).toBe(202);
    const bobPhotos = (await waitForJob(base, bobJob.body.id, bob)).photoIds;
    expect(bobPhotos).toHaveLength(3);
    expect((await json(`${base}/api/photos/${bobPhotos[0]}`)).status).toBe(404);
    expect((await json(`${base}/api/generate`, { method: 'POST', json: { prompt: 'a door', size: '256x256' }, headers: bob })).status).toBe(429);
    const bobId = (await json(`${base}/api/auth/me`, { headers: bob })).body.id;
    const raised = await json(`${base}/api/admin/users/${bobId}`, { method: 'PATCH', json: { generationImagesPerDay: 5 } });
    expect(raised.body.generationImagesPerDay).toBe(5);
    expect((await json(`${base}/api/generate/providers`, { headers: bob })).body.quota).toEqual({ limit: 5, used: 3, left: 2 });
    expect((await json(`${base}/api/generate`, { method: 'POST', json: { prompt: 'a door', n: 3, size: '256x256' }, headers: bob })).status).toBe(429);
    expect((await json(`${base}/api/generate`, { method: 'POST', json: { prompt: 'a door', n: 2, size: '256x256' }, headers: bob })).status).toBe(202);
    expect((await json(`${base}/api/admin/users/${bobId}`, { method: 'PATCH', json: { generationImagesPerDay: 0 } })).status).toBe(200);
    expect((await json(`${base}/api/generate/providers`, { headers: bob })).body.quota).toMatchObject({ limit: 0, left: 0 });
    expect((await json(`${base}/api/admin/users/${bobId}`, { method: 'PATCH', json: { generationImagesPerDay: -1 } })).status).toBe(400);
  });
});

describe('image generation from the CLI', () => {
  let images: ImageServer;
  let server: TestServer;

  beforeAll(async () => {
    images = await startImageServer();
    server = await startTestServer({
      ...withoutFacesOrText({
        images: { providers: { default: provider('openai', images.openaiUrl, IMAGE_SERVER_KEY) }, concurrency: 2, imagesPerDay: 0 },
      }),
      creationTools: true,
    });
  });

  afterAll(async () => {
    await server?.dispose();
    await images?.close();
  });

  it('`shoebox generate` through the running server, and on a library folder with no server, printing the new photos', async () => {
    // (on a PostgreSQL library the server holds no lock on its folder: the command then works on the library itself,
    // with the same provider settings)
    const providerEnv = { SHOEBOX_IMAGE_URL: images.openaiUrl, SHOEBOX_IMAGE_API_KEY: IMAGE_SERVER_KEY };
    const viaServer = await runCli(['generate', 'a lantern on a jetty', '--n', '2', '--size', '256x256', '--seed', '5', '--data', server.dataDir], providerEnv);
    expect(viaServer.code, viaServer.stderr).toBe(0);
    const ids = viaServer.stdout.trim().split('\n');
    expect(ids).toHaveLength(2);
    for (const id of ids)
      expect((await json(`${server.url}/api/photos/${id}`)).body.provenance).toMatchObject({ prompt: 'a lantern on a jetty', size: '256x256' });
    expect(viaServer.stderr).toMatch(/completed: 2 of 2 images made/);

    const refused = await runCli(['generate', 'a lamp', '--size', 'huge', '--data', server.dataDir], providerEnv);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/WIDTHxHEIGHT/);

    const alone = tempDir();
    try {
      // a library whose admin switched the creation tools on, with no server running on it now
      await (await startTestServer({ ...withoutFacesOrText({ dataDir: alone }), creationTools: true })).close();
      const env = { SHOEBOX_IMAGE_URL: images.openaiUrl, SHOEBOX_IMAGE_API_KEY: IMAGE_SERVER_KEY, SHOEBOX_IMAGE_PROVIDER: 'automatic1111' };
      const onFolder = await runCli(['generate', 'a fern in the rain', '--size', '256x256', '--json', '--data', alone], {
        ...env,
        SHOEBOX_IMAGE_PROVIDER: 'openai',
      });
      expect(onFolder.code, onFolder.stderr).toBe(0);
      const job = JSON.parse(onFolder.stdout);
      expect(job).toMatchObject({ state: 'completed', made: 1 });
      expect(onFolder.stdout).not.toContain(IMAGE_SERVER_KEY);
      const none = await runCli(['generate', 'a fern', '--data', alone]);
      expect(none.code).not.toBe(0);
      expect(none.stderr).toContain('SHOEBOX_IMAGE_URL');
      const exported = await runCli(['catalogue', 'export', '--data', alone]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
        'photoId,productType,name,description,attributes,mainColour,mainColourHex,qualityGrade,qualityReason,heightMm,widthMm,originalUrl,shotUrls',
      );
    } finally {
      fs.rmSync(alone, { recursive: true, force: true });
    }
  }, 180_000);
});
