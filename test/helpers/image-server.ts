// A loopback image generator speaking two real protocols: the OpenAI Images API (POST /v1/images/generations as
// JSON, /v1/images/edits as multipart, answers as b64_json or url) and the Stable Diffusion web UI API
// (POST /sdapi/v1/txt2img and /img2img, HTTP Basic auth). It draws a real PNG from each prompt — a mosaic whose
// colours come from the prompt's hash and seed — and records what it answered, so a test can tell which prompt
// made which stored photo. Words in the prompt script its behaviour:
//   [slow:MS]      answer after MS milliseconds
//   [429:N]        the first N requests of this prompt get 429 with Retry-After: 1
//   [500:N]        the first N requests of this prompt get 500
//   [refuse]       400 content_policy_violation (OpenAI) — the provider's content policy
//   [malformed]    200 with a body that is not JSON
//   [notimage]     200 with base64 of text instead of an image
//   [url]          answer with a url to the image instead of b64_json
//   [url-to:HREF]  answer with HREF as the image's url (an address elsewhere)
//   [redirect-to:HREF]  answer 307 to HREF (the request, its key and body, asked again there)
//   [redirect-once]  the first request of this prompt gets 307 to its own URL
//   [echo]         500 whose body echoes the request's URL and headers, as some servers' error pages do
//   [faithful]     an edit that keeps its source almost as it is (a near-copy of it)
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import type { ImageProviderConfig } from '../../src/config/image-providers.js';

export interface ImageServerRequest {
  api: 'generations' | 'edits' | 'txt2img' | 'img2img';
  prompt: string;
  negativePrompt: string | null;
  size: string;
  seed: number | null;
  model: string | null;
  /** Fields of the request (JSON body or multipart text parts). */
  fields: Record<string, unknown>;
  /** An edit's source image and mask: their pixel sizes. */
  image: { width: number; height: number } | null;
  mask: boolean;
  status: number;
  /** Milliseconds from the request's arrival to the end of the answer: the provider's own time (benches subtract it). */
  servedMs: number;
}

export interface ImageServer {
  /** Base URL for SHOEBOX_IMAGE_URL: `…/v1` for OpenAI, the root for the web UI. */
  openaiUrl: string;
  sdUrl: string;
  /** Every request, in order. */
  requests: ImageServerRequest[];
  /** sha256 of each image answered, with the prompt that made it. */
  answered: { sha256: string; prompt: string; seed: number | null }[];
  /** Refuse requests with a `seed` field, as OpenAI does (400 "Unrecognized request argument supplied: seed"). */
  rejectSeed: boolean;
  /** Refuse `response_format`, as gpt-image-1 does, and answer b64_json anyway. */
  rejectResponseFormat: boolean;
  /** Every answer waits this long (a provider's own time, for benches). */
  delayMs: number;
  /** Draws the image of a prompt, seed and size ahead, so that asking for it costs no drawing (a zero-latency provider). */
  prepare(prompt: string, seed: number, width: number, height: number, image?: Buffer): Promise<void>;
  /** Serves `image` at /files/<name> (what a url answer points at). */
  store(name: string, image: Buffer): void;
  close(): Promise<void>;
}

export const IMAGE_SERVER_KEY = 'sk-test-images-0123456789abcdef';
export const SD_AUTH = 'artist:s3cret-palette';

export async function startImageServer(): Promise<ImageServer> {
  const failures = new Map<string, number>();
  const stored = new Map<string, Buffer>();
  const drawn = new Map<string, Buffer>();
  const state: ImageServer = {
    openaiUrl: '',
    sdUrl: '',
    requests: [],
    answered: [],
    rejectSeed: false,
    rejectResponseFormat: false,
    delayMs: 0,
    prepare: async (prompt, seed, width, height, image) => {
      drawn.set(`${prompt}|${seed}|${width}x${height}`, image ?? (await drawImage(prompt, seed, width, height)));
    },
    store: (name, image) => void stored.set(name, image),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: String(error) } }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = performance.now();
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname.startsWith('/files/')) {
      const image = stored.get(url.pathname.slice('/files/'.length));
      if (!image) return void res.writeHead(404).end();
      return void res.writeHead(200, { 'content-type': 'image/png' }).end(image);
    }
    const api =
      url.pathname === '/v1/images/generations'
        ? 'generations'
        : url.pathname === '/v1/images/edits'
          ? 'edits'
          : url.pathname === '/sdapi/v1/txt2img'
            ? 'txt2img'
            : url.pathname === '/sdapi/v1/img2img'
              ? 'img2img'
              : null;
    if (!api || req.method !== 'POST') return void json(res, 404, { detail: 'Not Found' });
    const openai = api === 'generations' || api === 'edits';
    const record: ImageServerRequest = {
      api,
      prompt: '',
      negativePrompt: null,
      size: '',
      seed: null,
      model: null,
      fields: {},
      image: null,
      mask: false,
      status: 0,
      servedMs: 0,
    };
    res.once('finish', () => (record.servedMs = performance.now() - arrived));
    state.requests.push(record);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      json(res, status, payload, headers);
    };

    // credentials as each protocol sends them
    if (openai && req.headers.authorization !== `Bearer ${IMAGE_SERVER_KEY}`) {
      return answer(401, {
        error: { message: `Incorrect API key provided: ${String(req.headers.authorization).slice(7, 14)}…`, code: 'invalid_api_key' },
      });
    }
    if (!openai && req.headers.authorization !== `Basic ${Buffer.from(SD_AUTH).toString('base64')}`) return answer(401, { detail: 'Not authenticated' });

    let fields: Record<string, unknown>;
    let source: Buffer | null = null;
    if (api === 'edits') {
      const parts = await multipart(req, body);
      fields = parts.fields;
      source = parts.files.image ?? null;
      record.mask = Boolean(parts.files.mask);
    } else {
      try {
        fields = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        return answer(400, { error: { message: 'We could not parse the JSON body of your request.' } });
      }
      if (api === 'img2img') source = Buffer.from(String((fields.init_images as string[] | undefined)?.[0] ?? ''), 'base64');
      if (api === 'img2img' && fields.mask) record.mask = true;
    }
    record.fields = fields;
    record.prompt = String(fields.prompt ?? '');
    record.negativePrompt = typeof fields.negative_prompt === 'string' ? fields.negative_prompt : null;
    record.model =
      typeof fields.model === 'string'
        ? fields.model
        : ((fields.override_settings as { sd_model_checkpoint?: string } | undefined)?.sd_model_checkpoint ?? null);
    const seed = fields.seed === undefined || fields.seed === -1 ? null : Number(fields.seed);
    record.seed = seed;
    const [width, height] = openai
      ? String(fields.size ?? '1024x1024')
          .split('x')
          .map(Number)
      : [Number(fields.width ?? 512), Number(fields.height ?? 512)];
    record.size = `${width}x${height}`;
    if (source) {
      const meta = await sharp(source).metadata();
      record.image = { width: meta.width!, height: meta.height! };
    }

    if (openai && state.rejectSeed && 'seed' in fields) {
      return answer(400, { error: { message: 'Unrecognized request argument supplied: seed', type: 'invalid_request_error' } });
    }
    if (openai && state.rejectResponseFormat && 'response_format' in fields) {
      return answer(400, { error: { message: "Unknown parameter: 'response_format'.", type: 'invalid_request_error' } });
    }
    const prompt = record.prompt;
    if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
    const delay = /\[slow:(\d+)\]/.exec(prompt);
    if (delay) await new Promise((resolve) => setTimeout(resolve, Number(delay[1])));
    for (const [pattern, status] of [
      [/\[429:(\d+)\]/, 429],
      [/\[500:(\d+)\]/, 500],
    ] as const) {
      const match = pattern.exec(prompt);
      if (!match) continue;
      const key = `${status}:${prompt}`;
      const seen = failures.get(key) ?? 0;
      if (seen < Number(match[1])) {
        failures.set(key, seen + 1);
        return answer(
          status,
          { error: { message: status === 429 ? 'Rate limit reached for images per minute' : 'The server had an error' } },
          status === 429 ? { 'retry-after': '1' } : {},
        );
      }
    }
    const redirect = /\[redirect-to:([^\]\s]+)\]/.exec(prompt)?.[1] ?? (prompt.includes('[redirect-once]') && !failures.has(`307:${prompt}`) ? req.url : null);
    if (redirect) {
      failures.set(`307:${prompt}`, 1);
      record.status = 307;
      return void res.writeHead(307, { location: redirect }).end();
    }
    if (prompt.includes('[refuse]')) {
      return answer(400, {
        error: {
          code: 'content_policy_violation',
          message: 'Your request was rejected as a result of our safety system.',
          type: 'invalid_request_error',
        },
      });
    }
    if (prompt.includes('[echo]')) {
      return answer(500, { error: { message: `Internal error handling POST ${req.url} with headers ${JSON.stringify(req.headers)}` } });
    }
    const elsewhere = /\[url-to:([^\]\s]+)\]/.exec(prompt);
    if (elsewhere) return answer(200, { created: 1_700_000_000, data: [{ url: elsewhere[1] }] });
    if (prompt.includes('[malformed]')) {
      record.status = 200;
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"created": 17000, "data": [');
    }

    const ready = source ? undefined : drawn.get(`${prompt}|${seed}|${width}x${height}`);
    const image = prompt.includes('[notimage]')
      ? Buffer.from('this is not an image at all')
      : (ready ?? (await drawImage(prompt, seed, width!, height!, source, prompt.includes('[faithful]') ? 0.97 : 0.7)));
    const sha256 = createHash('sha256').update(image).digest('hex');
    if (!prompt.includes('[notimage]')) state.answered.push({ sha256, prompt, seed });
    if (!openai) return answer(200, { images: [image.toString('base64')], parameters: {}, info: JSON.stringify({ seed: seed ?? 4242, prompt }) });
    if (prompt.includes('[url]')) {
      stored.set(`${sha256}.png`, image);
      return answer(200, { created: 1_700_000_000, data: [{ url: `${state.openaiUrl.replace(/\/v1$/, '')}/files/${sha256}.png` }] });
    }
    return answer(200, { created: 1_700_000_000, data: [{ b64_json: image.toString('base64'), revised_prompt: `A detailed rendering: ${prompt}` }] });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  state.openaiUrl = `http://127.0.0.1:${port}/v1`;
  state.sdUrl = `http://127.0.0.1:${port}`;
  return state;
}

/**
 * A mosaic of 16×12 tiles whose colours follow from the prompt and seed: distinct prompts give images far apart
 * (PDQ and CLIP alike), the same prompt and seed the same bytes. An edit's tiles are blended with its source,
 * which keeps `keep` of the result.
 */
export async function drawImage(prompt: string, seed: number | null, width: number, height: number, source: Buffer | null = null, keep = 0.7): Promise<Buffer> {
  // without a seed, a new image each time, as a provider draws its own seed
  const hash = createHash('sha256')
    .update(`${prompt}|${seed ?? `random ${Math.random()}`}`)
    .digest();
  let state = hash.readUInt32LE(0) || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
  const cols = 16;
  const rows = 12;
  const tiles = Array.from({ length: cols * rows }, () => [next() * 255, next() * 255, next() * 255]);
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const tile = tiles[Math.floor((y * rows) / height) * cols + Math.floor((x * cols) / width)]!;
      const i = (y * width + x) * 3;
      pixels[i] = tile[0]!;
      pixels[i + 1] = tile[1]!;
      pixels[i + 2] = tile[2]!;
    }
  }
  let image = sharp(pixels, { raw: { width, height, channels: 3 } });
  if (source) {
    const under = await sharp(source).resize(width, height, { fit: 'fill' }).flatten({ background: '#ffffff' }).raw().toBuffer();
    for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round(pixels[i]! * (1 - keep) + under[i]! * keep);
    image = sharp(pixels, { raw: { width, height, channels: 3 } });
  }
  return image.png().toBuffer();
}

function json(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A multipart/form-data body's text fields and files, through the WHATWG parser Node ships (Response.formData). */
async function multipart(req: IncomingMessage, body: Buffer): Promise<{ fields: Record<string, string>; files: Record<string, Buffer> }> {
  const form = await new Response(new Uint8Array(body), { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
  const fields: Record<string, string> = {};
  const files: Record<string, Buffer> = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else files[name] = Buffer.from(await value.arrayBuffer());
  }
  return { fields, files };
}

/** The settings of a provider on this server's OpenAI Images API, as a test server is given them. */
export function openaiProvider(server: ImageServer, extra: Partial<ImageProviderConfig> = {}): ImageProviderConfig {
  return {
    kind: 'openai',
    url: server.openaiUrl,
    apiKey: IMAGE_SERVER_KEY,
    timeoutMs: 20_000,
    maxAttempts: 2,
    retryDelayMs: 50,
    urlSetting: 'SHOEBOX_IMAGE_URL',
    apiKeySetting: 'SHOEBOX_IMAGE_API_KEY',
    ...extra,
  };
}
