// The captions step against a real OpenAI-compatible server on loopback: an outage fails only this step,
// with the reason (and none of the credentials in the endpoint's URL), and a retry fills it in once it is back.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assets, startTestServer, upload, waitForTerminal, type TestServer, authFetch } from '../helpers/server.js';

const GOOD = {
  caption: 'Chalkboards listing craft beers above a bar',
  description: 'Three chalkboards list beers with their styles and prices.',
  primary_category: 'document',
  tags: ['beer', 'chalkboard', 'menu', 'bar', 'craft beer'],
  detected_objects: [{ name: 'chalkboard', confidence: 0.93 }],
  scene_type: 'indoor',
  suggested_cluster_name: 'Beer menus',
  quality_grade: 'B',
  quality_reason: 'Sharp, slightly tilted.',
};

const URL_PASSWORD = 'pw-in-the-url-31337';
const QUERY_KEY = 'key-in-the-query-4242';

describe('captions from an OpenAI-compatible endpoint', () => {
  let endpoint: Server;
  let url: string;
  let healthy = false;
  let calls = 0;
  let authorization: string | undefined;
  let server: TestServer;

  beforeAll(async () => {
    endpoint = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        calls++;
        authorization = req.headers.authorization;
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const image = body.messages.at(-1).content.find((part: { type: string }) => part.type === 'image_url');
        if (!healthy) {
          // as some servers' error pages do: the request's URL and headers echoed back
          const message = `model is loading (POST ${req.url}, headers ${JSON.stringify(req.headers)})`;
          return res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message } }));
        }
        if (!image?.image_url?.url.startsWith('data:image/jpeg;base64,')) return res.writeHead(400).end('{"error":{"message":"no image"}}');
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: JSON.stringify(GOOD) } }] }));
      });
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    // credentials in the URL: user:password@ (sent as Basic auth) and a key in the query
    url = `http://caption-user:${URL_PASSWORD}@127.0.0.1:${(endpoint.address() as AddressInfo).port}/v1?key=${QUERY_KEY}`;
    server = await startTestServer({ ml: { caption: { url, model: 'llava:13b', timeoutMs: 5_000, maxAttempts: 2 } } });
  });

  afterAll(async () => {
    await server?.dispose();
    await new Promise((resolve) => endpoint.close(resolve));
  });

  it('fails only the captions step while the endpoint is down, then a retry fills it in', async () => {
    const response = await upload(server.url, [{ path: path.join(assets, 'albums/text/craft-beer.jpg') }]);
    const id = response.body.items[0].id as string;
    expect((await waitForTerminal(server.url, [id], 300_000))[id]).toBe('partial');
    const down = (await (await authFetch(`${server.url}/api/photos/${id}`)).json()) as any;
    expect(down.steps.captions.status).toBe('failed');
    expect(down.steps.captions.error).toMatch(/503|model is loading/);
    expect(down.steps.captions.error).toContain('127.0.0.1');
    expect(authorization).toBe(`Basic ${Buffer.from(`caption-user:${URL_PASSWORD}`).toString('base64')}`);
    for (const secret of [URL_PASSWORD, QUERY_KEY, authorization!.slice(6)]) expect(JSON.stringify(down)).not.toContain(secret);
    for (const step of ['preprocessing', 'metadata', 'hashes', 'palette', 'faces', 'ocr']) expect(down.steps[step].status).toBe('done');
    expect(down.caption).toBeNull();
    expect(calls).toBeGreaterThanOrEqual(2); // retried before giving up

    healthy = true;
    const retry = await authFetch(`${server.url}/api/photos/${id}/retry`, { method: 'POST' });
    expect(((await retry.json()) as { reset: string[] }).reset).toContain('captions');
    expect((await waitForTerminal(server.url, [id], 120_000))[id]).toBe('completed');
    const up = (await (await authFetch(`${server.url}/api/photos/${id}`)).json()) as any;
    expect(up.caption).toMatchObject({
      caption: GOOD.caption,
      source: 'provider',
      model: 'llava:13b',
      primaryCategory: 'document',
      qualityGrade: 'B',
      sceneType: 'indoor',
      suggestedClusterName: 'Beer menus',
    });
    expect(up.caption.tags).toEqual(GOOD.tags);
    expect(up.steps.captions.version).toBe('1+llm:llava:13b');
    // Caption tags map to categories like CLIP tags do ("menu" is a document).
    expect(up.categories).toContain('documents');
  }, 400_000);
});
