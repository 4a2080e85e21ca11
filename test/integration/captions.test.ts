import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CaptionError,
  createCaptionProvider,
  OpenAiCompatibleProvider,
  TwoStageProvider,
  validateCaptionFields,
  type OpenAiCompatibleConfig,
} from '../../src/ml/captions/index.js';
import { extractJsonObject } from '../../src/ml/captions/parse.js';
import type { TagScore } from '../../src/ml/types.js';
import { assets } from '../helpers/corpus.js';

const ASSETS = assets;
const IMAGE = path.join(ASSETS, 'albums/text/craft-beer.jpg');
const KEY = 'sk-test-0123456789abcdef';
const TAGS: TagScore[] = [
  { name: 'beer', confidence: 0.91 },
  { name: 'glass', confidence: 0.72 },
  { name: 'bar', confidence: 0.4 },
];

interface ChatRequest {
  url: string;
  authorization: string | undefined;
  body: {
    model: string;
    messages: { role: string; content: string | { type: string; text?: string; image_url?: { url: string } }[] }[];
    response_format?: { type: string; json_schema: { name: string; strict: boolean; schema: { required: string[] } } };
  };
}

type Handler = (req: ChatRequest, res: ServerResponse, n: number) => void | Promise<void>;

/** An OpenAI chat-completions server on loopback whose behaviour each test sets. */
let server: Server;
let baseUrl: string;
let handler: Handler;
let requests: ChatRequest[];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end('not found');
        return;
      }
      const request: ChatRequest = {
        url: req.url,
        authorization: req.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      };
      requests.push(request);
      void handler(request, res, requests.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests = [];
  handler = () => {
    throw new Error('no handler set');
  };
});

function completion(res: ServerResponse, content: string, finishReason = 'stop'): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
    }),
  );
}

function httpError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ error: { message } }));
}

const GOOD = {
  caption: 'A glass of craft beer on a wooden bar counter.',
  description: 'A tall glass of amber beer with a foamy head stands on a wooden counter. Bottles line the wall behind it.',
  primary_category: 'Food',
  tags: ['Beer', 'craft beer', 'glass', ' bar ', 'beer', '#drink', 'amber'],
  detected_objects: [
    { name: 'Glass', confidence: 0.97 },
    { name: 'bottle', confidence: 1.4 },
    { name: 'counter', confidence: 85 },
  ],
  scene_type: 'Indoor',
  suggested_cluster_name: 'Brewery visit',
  quality_grade: 'a',
  quality_reason: 'Sharp and well exposed.',
};

function userText(req: ChatRequest, index = -1): string {
  const message = req.body.messages.at(index);
  if (!message) return '';
  return typeof message.content === 'string' ? message.content : message.content.map((p) => p.text ?? '').join('\n');
}

function imageUrlOf(req: ChatRequest): string | undefined {
  for (const m of req.body.messages) {
    if (typeof m.content === 'string') continue;
    for (const part of m.content) if (part.type === 'image_url') return part.image_url?.url;
  }
  return undefined;
}

function provider(overrides: Partial<OpenAiCompatibleConfig> = {}): OpenAiCompatibleProvider {
  return new OpenAiCompatibleProvider({
    baseUrl,
    model: 'llava:13b',
    apiKey: KEY,
    timeoutMs: 5_000,
    maxAttempts: 3,
    maxImageSide: 256,
    retryDelayMs: 10,
    ...overrides,
  });
}

async function captionError(promise: Promise<unknown>): Promise<CaptionError> {
  const e = await promise.then(
    () => {
      throw new Error('expected a CaptionError');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CaptionError);
  return e as CaptionError;
}

describe('OpenAiCompatibleProvider', () => {
  it('sends the image, the key, the schema and the hints; validates and normalises the reply', async () => {
    handler = (req, res) => {
      // The server side of the checks: refuse what a real server would refuse.
      if (req.authorization !== `Bearer ${KEY}`) return httpError(res, 401, 'bad key');
      if (!imageUrlOf(req)?.startsWith('data:image/jpeg;base64,')) return httpError(res, 400, 'no image');
      completion(res, JSON.stringify(GOOD));
    };
    const result = await provider().describe({ image: IMAGE, tags: TAGS, filename: 'IMG_2041.jpg' });

    expect(result).toEqual({
      caption: GOOD.caption,
      description: GOOD.description,
      primaryCategory: 'food',
      tags: ['beer', 'craft beer', 'glass', 'bar', 'drink', 'amber'],
      detectedObjects: [
        { name: 'glass', confidence: 0.97 },
        { name: 'bottle', confidence: 1 },
        { name: 'counter', confidence: 0.85 },
      ],
      sceneType: 'indoor',
      suggestedClusterName: 'Brewery visit',
      qualityGrade: 'A',
      qualityReason: 'Sharp and well exposed.',
      source: 'provider',
      model: 'llava:13b',
    });

    expect(requests).toHaveLength(1);
    const req = requests[0]!;
    expect(req.body.model).toBe('llava:13b');
    // The preview is resized before upload.
    const jpeg = Buffer.from(imageUrlOf(req)!.split(',')[1]!, 'base64');
    const meta = await sharp(jpeg).metadata();
    expect(meta.format).toBe('jpeg');
    expect(Math.max(meta.width, meta.height)).toBe(256);
    // Schema both as response_format and in words.
    expect(req.body.response_format?.type).toBe('json_schema');
    expect(req.body.response_format?.json_schema.strict).toBe(true);
    expect(req.body.response_format?.json_schema.schema.required).toContain('suggested_cluster_name');
    const prompt = userText(req);
    for (const field of ['"caption"', '"tags"', '"detected_objects"', '"quality_grade"', '"quality_reason"']) {
      expect(prompt).toContain(field);
    }
    expect(prompt).toContain('beer (0.91), glass (0.72), bar (0.40)');
    expect(prompt).toContain('IMG_2041.jpg');
  });

  it('digs the JSON out of prose and ``` fences (and reasoning blocks)', async () => {
    handler = (_req, res) =>
      completion(
        res,
        `<think>The user wants {json}.</think>Sure! Here is the catalogue entry:\n\`\`\`json\n${JSON.stringify(GOOD, null, 2)}\n\`\`\`\nLet me know if you need more.`,
      );
    const result = await provider().describe({ image: IMAGE, tags: TAGS });
    expect(result.caption).toBe(GOOD.caption);
    expect(result.qualityGrade).toBe('A');
    expect(requests).toHaveLength(1);
  });

  it('answers an invalid reply with a repair message quoting the error, then accepts the fix', async () => {
    handler = (req, res, n) => {
      if (n === 1) return completion(res, JSON.stringify({ ...GOOD, tags: [], quality_grade: 'excellent' }));
      completion(res, JSON.stringify(GOOD));
    };
    const result = await provider().describe({ image: IMAGE, tags: TAGS });
    expect(result.tags[0]).toBe('beer');
    expect(requests).toHaveLength(2);

    const retry = requests[1]!;
    const roles = retry.body.messages.map((m) => m.role);
    expect(roles).toEqual(['system', 'user', 'assistant', 'user']);
    expect(userText(retry, -2)).toContain('"excellent"'); // the bad reply, quoted back
    const repair = userText(retry);
    expect(repair).toContain('could not be used');
    expect(repair).toMatch(/tags: must list 5 to 15 keywords/);
    expect(repair).toMatch(/quality_grade: must be "A", "B" or "C"/);
    // The image is still part of the conversation.
    expect(imageUrlOf(retry)).toMatch(/^data:image\/jpeg;base64,/);
  });

  it('gives up with a clear error after maxAttempts unusable replies', async () => {
    handler = (_req, res) => completion(res, 'I am sorry, I cannot see any image.');
    const e = await captionError(provider({ maxAttempts: 2 }).describe({ image: IMAGE, tags: TAGS }));
    expect(requests).toHaveLength(2);
    expect(e.code).toBe('invalid-output');
    expect(e.message).toContain(`${baseUrl}/chat/completions`);
    expect(e.message).toContain('llava:13b');
    expect(e.message).toContain('2 attempt(s)');
    expect(e.message).toContain('no JSON object found');
  });

  it('times out after about timeoutMs when the server hangs, without retrying', async () => {
    handler = () => {}; // never answers
    const started = performance.now();
    const e = await captionError(provider({ timeoutMs: 400 }).describe({ image: IMAGE, tags: TAGS }));
    const elapsed = performance.now() - started;
    expect(e.code).toBe('timeout');
    expect(e.message).toContain('did not answer within 400 ms');
    expect(e.message).toContain(baseUrl);
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(2_500); // image encoding plus one timeout, not three
    expect(requests).toHaveLength(1);
    server.closeAllConnections();
  });

  it('retries a 500, and a 429 after its Retry-After', async () => {
    handler = (_req, res, n) => {
      if (n === 1) return httpError(res, 500, 'model is loading');
      if (n === 2) return httpError(res, 429, 'slow down', { 'retry-after': '0' });
      completion(res, JSON.stringify(GOOD));
    };
    const result = await provider().describe({ image: IMAGE, tags: TAGS });
    expect(result.caption).toBe(GOOD.caption);
    expect(requests).toHaveLength(3);
  });

  it('names the endpoint and the last cause when 5xx persists', async () => {
    handler = (_req, res) => httpError(res, 503, 'overloaded');
    const e = await captionError(provider().describe({ image: IMAGE, tags: TAGS }));
    expect(requests).toHaveLength(3);
    expect(e.code).toBe('unavailable');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain(`${baseUrl}/chat/completions`);
    expect(e.message).toContain('HTTP 503: overloaded');
  });

  it('reports a refused connection after retrying', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const e = await captionError(provider({ baseUrl: `http://127.0.0.1:${port}/v1` }).describe({ image: IMAGE, tags: TAGS }));
    expect(e.code).toBe('unavailable');
    expect(e.message).toContain(`127.0.0.1:${port}/v1/chat/completions`);
    expect(e.message).toContain('3 attempt(s)');
    expect(e.message).toContain('ECONNREFUSED');
  });

  it('does not retry a 401, and keeps the key out of the error', async () => {
    // Some servers echo the presented key back.
    handler = (req, res) => httpError(res, 401, `Incorrect API key provided: ${req.authorization?.slice(7)}`);
    const e = await captionError(provider().describe({ image: IMAGE, tags: TAGS }));
    expect(requests).toHaveLength(1);
    expect(e.code).toBe('auth');
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('check SHOEBOX_CAPTION_API_KEY');
    expect(e.message).toContain('HTTP 401');
    expect(e.message).not.toContain(KEY);
    expect(JSON.stringify(e)).not.toContain(KEY);
    expect(String(e.stack)).not.toContain(KEY);
  });

  it('drops response_format when the server rejects it, and remembers', async () => {
    handler = (req, res) => {
      if (req.body.response_format) return httpError(res, 400, 'Unrecognized request argument supplied: response_format');
      completion(res, JSON.stringify(GOOD));
    };
    const p = provider();
    expect((await p.describe({ image: IMAGE, tags: TAGS })).caption).toBe(GOOD.caption);
    expect(requests.map((r) => Boolean(r.body.response_format))).toEqual([true, false]);
    // The schema is still in the prompt.
    expect(userText(requests[1]!)).toContain('"suggested_cluster_name"');

    await p.describe({ image: IMAGE, tags: TAGS });
    expect(requests.map((r) => Boolean(r.body.response_format))).toEqual([true, false, false]);
  });

  it('fails other 4xx at once with the server message', async () => {
    handler = (_req, res) => httpError(res, 404, "model 'llava:13b' not found, try pulling it first");
    const e = await captionError(provider().describe({ image: IMAGE, tags: TAGS }));
    expect(requests).toHaveLength(1);
    expect(e.code).toBe('http');
    expect(e.message).toContain("model 'llava:13b' not found");
  });

  it('follows a redirect within the endpoint’s origin only: the preview and the key go to no other host', async () => {
    const port = new URL(baseUrl).port;
    handler = (_req, res, n) => {
      if (n === 1) return void res.writeHead(307, { location: `${baseUrl}/chat/completions` }).end();
      // the same server under another name is another origin
      if (n === 3) return void res.writeHead(308, { location: `http://localhost:${port}/v1/chat/completions` }).end();
      completion(res, JSON.stringify(GOOD));
    };
    expect((await provider().describe({ image: IMAGE, tags: TAGS })).caption).toBe(GOOD.caption);
    expect(requests).toHaveLength(2);
    expect(requests[1]!.authorization).toBe(`Bearer ${KEY}`);
    expect(imageUrlOf(requests[1]!)).toMatch(/^data:image\/jpeg;base64,/);
    const e = await captionError(provider().describe({ image: IMAGE, tags: TAGS }));
    expect(e.code).toBe('http');
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(
      /answered with a redirect, which was not followed: it leads to http:\/\/localhost:\d+, off the provider's own http:\/\/127\.0\.0\.1:\d+/,
    );
    expect(requests).toHaveLength(3);
  });

  it("rethrows the caller's abort", async () => {
    handler = () => {};
    const controller = new AbortController();
    const pending = provider().describe({ image: IMAGE, tags: TAGS, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutting down')), 200);
    await expect(pending).rejects.toThrow('shutting down');
    server.closeAllConnections();
  });
});

describe('TwoStageProvider', () => {
  const PROSE =
    'A glass of amber craft beer stands on a wooden bar.\n\nThe glass has a thick foamy head; shelves of bottles blur behind it. The photo is sharp and well lit.';

  it('describes with the vision model, extracts fields with the text model, and merges', async () => {
    handler = (req, res) => {
      if (req.body.model === 'llava:7b') {
        if (!imageUrlOf(req)) return httpError(res, 400, 'vision call without image');
        return completion(res, PROSE);
      }
      if (req.body.model === 'qwen2.5:7b') {
        if (imageUrlOf(req)) return httpError(res, 400, 'text model cannot take images');
        return completion(res, JSON.stringify({ ...GOOD, caption: 'Craft beer at the bar', description: 'ignored' }));
      }
      httpError(res, 404, 'unknown model');
    };
    const p = createCaptionProvider({ url: baseUrl, model: 'llava:7b', textModel: 'qwen2.5:7b', apiKey: KEY });
    expect(p).toBeInstanceOf(TwoStageProvider);
    const result = await p!.describe({ image: IMAGE, tags: TAGS });

    expect(requests.map((r) => r.body.model)).toEqual(['llava:7b', 'qwen2.5:7b']);
    const [vision, text] = requests as [ChatRequest, ChatRequest];
    expect(vision.body.response_format).toBeUndefined(); // plain prose
    expect(userText(vision)).toContain('Describe this photo');
    expect(text.body.response_format?.json_schema.strict).toBe(true);
    expect(userText(text)).toContain('shelves of bottles'); // the vision output reached the text model
    // Same origin: the key is shared.
    expect(text.authorization).toBe(`Bearer ${KEY}`);

    expect(result).toMatchObject({
      caption: 'Craft beer at the bar',
      description: PROSE.replace(/\s+/g, ' '),
      primaryCategory: 'food',
      qualityGrade: 'A',
      source: 'two-stage',
      model: 'llava:7b+qwen2.5:7b',
    });
    expect(result.tags).toContain('craft beer');
  });

  it('repairs the text stage like the single stage', async () => {
    handler = (req, res) => {
      if (req.body.model === 'vision') return completion(res, PROSE);
      const n = requests.filter((r) => r.body.model === 'text').length;
      completion(res, n === 1 ? '{"caption": "Beer"' : JSON.stringify(GOOD));
    };
    const p = new TwoStageProvider({
      vision: { baseUrl, model: 'vision', maxImageSide: 128 },
      text: { baseUrl, model: 'text' },
    });
    const result = await p.describe({ image: IMAGE, tags: [] });
    expect(result.model).toBe('vision+text');
    expect(requests.map((r) => r.body.model)).toEqual(['vision', 'text', 'text']);
    expect(userText(requests[2]!)).toContain('not valid JSON');
  });
});

describe('createCaptionProvider', () => {
  it('returns null without a URL and rejects a URL without a model', () => {
    expect(createCaptionProvider({})).toBeNull();
    expect(createCaptionProvider({ url: '  ', model: 'x' })).toBeNull();
    expect(() => createCaptionProvider({ url: baseUrl })).toThrow(/SHOEBOX_CAPTION_MODEL/);
    expect(() => createCaptionProvider({ url: 'not a url', model: 'x' })).toThrow(/not a URL/);
    expect(() => createCaptionProvider({ url: baseUrl, model: 'x', timeoutMs: 0 })).toThrow(/timeoutMs/);
  });

  it('builds one provider per config and accepts a full endpoint URL', async () => {
    const p = createCaptionProvider({ url: `${baseUrl}/chat/completions/`, model: 'llava:13b', apiKey: KEY });
    expect(p).toBeInstanceOf(OpenAiCompatibleProvider);
    expect(p!.id).toBe(`openai-compatible:llava:13b@${baseUrl}/chat/completions`);
    handler = (_req, res) => completion(res, JSON.stringify(GOOD));
    await p!.describe({ image: IMAGE, tags: [] });
    expect(requests[0]!.url).toBe('/v1/chat/completions');
  });

  it('does not send the key to a text endpoint on another origin', async () => {
    const other = baseUrl.replace('127.0.0.1', 'localhost');
    handler = (req, res) => completion(res, req.body.model === 'vision' ? 'A glass of beer.' : JSON.stringify(GOOD));
    const p = createCaptionProvider({ url: baseUrl, model: 'vision', apiKey: KEY, textUrl: other, textModel: 'text' });
    await p!.describe({ image: IMAGE, tags: [] });
    expect(requests.map((r) => r.authorization)).toEqual([`Bearer ${KEY}`, undefined]);
  });
});

describe('reply parsing and validation', () => {
  it('takes the first JSON object in the text', () => {
    expect(extractJsonObject('Answer: {"a": "}"} and {"b": 2}')).toEqual({ ok: true, value: { a: '}' } });
    expect(extractJsonObject('{oops} then {"b": 2}')).toEqual({ ok: true, value: { b: 2 } });
    expect(extractJsonObject('no json here')).toEqual({ ok: false, error: 'no JSON object found in the reply' });
    const cut = extractJsonObject('{"caption": "A dog');
    expect(cut.ok).toBe(false);
  });

  it('normalises, tolerates key styles and few tags, and rejects what cannot be used', () => {
    const ok = validateCaptionFields({
      Caption: '  A   dog\non grass ',
      primaryCategory: '',
      tags: 'Dog, Grass, dog',
      detected_objects: [
        { label: 'Dog', score: '87%' },
        { name: 'dog', confidence: 0.5 },
      ],
      quality_grade: 'B - acceptable',
    });
    expect(ok).toEqual({
      ok: true,
      fields: {
        caption: 'A dog on grass',
        description: null,
        primaryCategory: null,
        tags: ['dog', 'grass'],
        detectedObjects: [{ name: 'dog', confidence: 0.87 }],
        sceneType: null,
        suggestedClusterName: null,
        qualityGrade: 'B',
        qualityReason: null,
      },
    });

    const many = validateCaptionFields({ caption: 'x'.repeat(500), tags: Array.from({ length: 30 }, (_, i) => `t${i}`) });
    expect(many.ok && many.fields.tags).toHaveLength(15);
    expect(many.ok && many.fields.caption.length).toBeLessThanOrEqual(300);

    const bad = validateCaptionFields({ caption: '', tags: [], detected_objects: ['dog'] });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/caption: must not be empty.*tags: must list/);
    expect(!bad.ok && bad.error).toMatch(/detected_objects/);
  });
});
