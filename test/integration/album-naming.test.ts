import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  characteristicTags,
  fallbackAlbumName,
  formatDateSpan,
  nameAlbumWithProvider,
  titleCase,
  validateAlbumName,
} from '../../src/library/albums/auto-naming.js';
import { ChatClient } from '../../src/ml/captions/chat.js';
import { CaptionError } from '../../src/ml/captions/provider.js';

const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d, 12));

// ---------------------------------------------------------------------------------------------------------------
// Fallback names

describe('fallbackAlbumName', () => {
  // Six photos of plants in Utah; "outdoor" is on all of them but on most of the library too.
  const tags = [
    ['plants', 'outdoor', 'cactus'],
    ['plants', 'outdoor', 'flower'],
    ['Plants', 'outdoor', 'flower', 'flower'],
    ['plants', 'outdoor', 'rock'],
    ['plants', 'outdoor', 'cactus', 'sky'],
    ['outdoor', 'desert'],
  ];
  const library = {
    libraryPhotoCount: 10_000,
    libraryTagFrequency: new Map([
      ['outdoor', 6_000],
      ['plants', 300],
      ['cactus', 40],
      ['flower', 900],
      ['sky', 4_000],
    ]),
  };

  it('names the album "Plants · May 2024 · Utah"', () => {
    const name = fallbackAlbumName({
      tags,
      start: day(2024, 5, 3),
      end: day(2024, 5, 28),
      places: ['Utah', 'Utah', null, 'Utah', 'Arizona', null],
      ...library,
    });
    expect(name).toEqual({
      name: 'Plants · May 2024 · Utah',
      description: '6 photos of plants, cactus and flower from May 2024 in Utah.',
      tags: ['plants', 'cactus', 'flower', 'outdoor'],
      primaryCategory: null,
    });
  });

  it('leaves out what is missing, and says "Photos" when nothing is known', () => {
    expect(fallbackAlbumName({ tags, start: null, end: null, places: [], ...library }).name).toBe('Plants');
    expect(fallbackAlbumName({ tags: [[], []], start: day(2023, 12, 20), end: null, places: [null, null] })).toEqual({
      name: 'Dec 2023',
      description: '2 photos from Dec 2023.',
      tags: [],
      primaryCategory: null,
    });
    expect(fallbackAlbumName({ tags: [[]], start: null, end: null, places: [null] }).name).toBe('Photos');
  });

  it('takes the category most photos fall in from the tag → category mapping', () => {
    const tagCategories = new Map([
      ['plants', 'Nature'],
      ['cactus', 'Nature'],
      ['rock', 'Landscapes'],
      ['desert', 'Landscapes'],
    ]);
    expect(fallbackAlbumName({ tags, start: null, end: null, places: [], tagCategories }).primaryCategory).toBe('Nature');
  });
});

describe('characteristicTags', () => {
  const tags = [
    ['dog', 'grass'],
    ['dog', 'grass', 'ball'],
    ['dog', 'grass'],
    ['grass', 'frisbee'],
  ];

  it('ranks by share of the album without library counts', () => {
    expect(characteristicTags(tags)).toEqual(['grass', 'dog', 'ball', 'frisbee']);
  });

  it('ranks rare-in-the-library tags up, and drops tags on too few of the album', () => {
    const library = {
      libraryPhotoCount: 1_000,
      libraryTagFrequency: new Map([
        ['grass', 700],
        ['dog', 50],
      ]),
    };
    // ball and frisbee are not in the counts: as far as we know, only this album has them.
    expect(characteristicTags(tags, library)).toEqual(['dog', 'ball', 'frisbee', 'grass']);
    const many = [...tags, ...tags, ['cat']];
    expect(characteristicTags(many, library)).toEqual(['dog', 'grass']);
  });
});

describe('formatDateSpan and titleCase', () => {
  it('writes month spans compactly', () => {
    expect(formatDateSpan(day(2024, 5, 1), day(2024, 5, 31))).toBe('May 2024');
    expect(formatDateSpan(day(2024, 6, 2), day(2024, 5, 30))).toBe('May – Jun 2024');
    expect(formatDateSpan(day(2023, 12, 28), day(2024, 1, 3))).toBe('Dec 2023 – Jan 2024');
    expect(formatDateSpan(day(2023, 3, 1), day(2024, 8, 1))).toBe('2023 – 2024');
    expect(formatDateSpan(null, day(2022, 2, 2))).toBe('Feb 2022');
    expect(formatDateSpan(null, new Date(Number.NaN))).toBeNull();
  });

  it('title-cases tags', () => {
    expect(titleCase('plants')).toBe('Plants');
    expect(titleCase('bird of prey')).toBe('Bird of Prey');
  });
});

describe('validateAlbumName', () => {
  it('normalises drift and reports broken limits', () => {
    expect(
      validateAlbumName({ cluster_name: '  Desert  plants ', description: 'Cacti.', tags: ['#Cactus', 'cactus', 'Desert'], primary_category: '' }),
    ).toEqual({ ok: true, name: { name: 'Desert plants', description: 'Cacti.', tags: ['cactus', 'desert'], primaryCategory: null } });
    const bad = validateAlbumName({ cluster_name: 'x'.repeat(81), tags: Array.from({ length: 11 }, (_, i) => `t${i}`), primary_category: 3 });
    expect(bad.ok).toBe(false);
    const error = bad.ok ? '' : bad.error;
    expect(error).toContain('cluster_name: must be at most 80 characters (it has 81)');
    expect(error).toContain('description: is missing');
    expect(error).toContain('tags: must list at most 10 tags (it has 11)');
    expect(error).toContain('primary_category: must be a string or null');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Provider names, against an OpenAI chat-completions server on loopback

interface ChatRequest {
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format?: { type: string; json_schema: { name: string; schema: { required: string[] } } };
  };
}

let server: Server;
let baseUrl: string;
let replies: string[];
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
      requests.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      // Each request gets the next scripted reply; the last one repeats.
      const content = replies[Math.min(requests.length, replies.length) - 1] ?? '';
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        }),
      );
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
  replies = [];
});

const client = () => new ChatClient({ baseUrl, model: 'qwen2.5:7b', timeoutMs: 5_000, maxAttempts: 1, retryDelayMs: 10 });

const CAPTIONS = [
  'A saguaro cactus against a blue sky.',
  'Close-up of a flowering prickly pear.',
  'Agave plants along a desert trail.',
  'A barrel cactus between red rocks.',
  'Yucca in bloom at sunset.',
  'A sixth caption that must not be sent.',
];
const HINTS = { photoCount: 37, dateSpan: 'May 2024', place: 'Utah', tags: ['plants', 'cactus'] };
const GOOD = {
  cluster_name: 'Desert Plants',
  description: 'Cacti, agaves and yuccas along the trails of southern Utah in May.',
  tags: ['Cactus', 'desert', 'succulent', 'cactus'],
  primary_category: 'Nature',
};

describe('nameAlbumWithProvider', () => {
  it('sends five captions and the facts, and retries once after an invalid reply with the problem quoted back', async () => {
    const invalid = JSON.stringify({ ...GOOD, cluster_name: '' });
    replies = [`Here you go: ${invalid}`, `\`\`\`json\n${JSON.stringify(GOOD)}\n\`\`\``];

    const name = await nameAlbumWithProvider(client(), CAPTIONS, HINTS);

    expect(name).toEqual({
      name: 'Desert Plants',
      description: GOOD.description,
      tags: ['cactus', 'desert', 'succulent'],
      primaryCategory: 'nature',
    });
    expect(requests).toHaveLength(2);
    const [first, second] = requests as [ChatRequest, ChatRequest];
    expect(first.body.model).toBe('qwen2.5:7b');
    expect(first.body.response_format?.json_schema.name).toBe('album_name');
    expect(first.body.response_format?.json_schema.schema.required).toEqual(['cluster_name', 'description', 'tags', 'primary_category']);
    const prompt = first.body.messages.at(-1)!.content;
    for (const [i, caption] of CAPTIONS.slice(0, 5).entries()) expect(prompt).toContain(`${i + 1}. ${caption}`);
    expect(prompt).not.toContain('sixth caption');
    expect(prompt).toContain("Facts from the photos' metadata: 37 photos; taken May 2024; mostly in Utah; frequent tags: plants, cactus.");
    for (const field of ['"cluster_name"', '"description"', '"tags"', '"primary_category"']) expect(prompt).toContain(field);

    // The retry: the original request, the bad reply, then what was wrong with it.
    expect(second.body.messages).toHaveLength(4);
    expect(second.body.messages[2]).toEqual({ role: 'assistant', content: `Here you go: ${invalid}` });
    expect(second.body.messages[3]!.content).toContain('cluster_name: must not be empty');
  });

  it('fails with a clear error after maxAttempts unusable replies', async () => {
    replies = ['I would call it "Desert Plants".', JSON.stringify({ ...GOOD, tags: 'cactus, desert' })];

    const error = await nameAlbumWithProvider(client(), CAPTIONS, HINTS, { maxAttempts: 3 }).then(
      () => null,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(CaptionError);
    expect((error as CaptionError).code).toBe('invalid-output');
    expect((error as CaptionError).message).toBe(
      `Album naming: endpoint ${baseUrl}/chat/completions (model qwen2.5:7b) gave no usable JSON in 3 attempt(s): ` + 'tags: must be an array of strings',
    );
    expect(requests).toHaveLength(3);
    expect(requests[1]!.body.messages.at(-1)!.content).toContain('no JSON object found in the reply');
  });

  it('refuses to ask without any caption text', async () => {
    await expect(nameAlbumWithProvider(client(), ['', '  '], HINTS)).rejects.toThrow(/no captions/);
    expect(requests).toHaveLength(0);
  });
});
