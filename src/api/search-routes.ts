import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { RateLimiter } from '../auth/rate-limit.js';
import { UserError } from '../base/errors.js';
import type { Library, Resources } from '../library/library.js';
import { cleanFileName } from '../library/ingest/index.js';
import { searchLibrary, similarToImage, similarToPhoto, suggest, understandFor } from '../library/photo-search/index.js';
import { multipartUserError } from './multipart-errors.js';
import { errorBody } from './schemas.js';
import { Slots } from './slots.js';
import { receiveAsUpload } from './body-deadlines.js';
import {
  filtersOf,
  parseQueryParams,
  searchQuery,
  searchResult,
  similarBody,
  similarQuery,
  similarResult,
  suggestQuery,
  suggestResult,
  understood,
} from './search-schemas.js';

export function searchRoutes(app: FastifyInstance, context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // an image search decodes and embeds the image sent: the expensive route a script could flood
  const imageSearches = new RateLimiter(context.settings.imageSearchesPerMinute, 60_000);
  const { searchConcurrency, searchQueue, searchesPerUser } = context.settings;
  // searches take turns: fifty at once would keep the event loop and the database from uploads and the pipeline
  const slots = new Slots({ running: searchConcurrency, queue: searchQueue, perKey: searchesPerUser });

  /** Runs a search in its turn; past the bounds a 429 (this user) or 503 (everyone) with Retry-After, at once. */
  async function inTurn<T>(request: FastifyRequest, reply: FastifyReply, search: () => Promise<T>): Promise<T | FastifyReply> {
    const release = await slots.enter(request.actor!.userId);
    if (release === 'per-key') {
      reply.header('retry-after', '1');
      throw new UserError('too-many-requests', `too many searches at once (${searchesPerUser} running or waiting per user): wait for their answers first`);
    }
    if (release === 'queue') {
      const message = `the server is busy with other searches (${searchQueue} waiting): try again in a few seconds`;
      return reply.code(503).header('retry-after', '2').send({ statusCode: 503, error: 'Service Unavailable', message });
    }
    try {
      return await search();
    } finally {
      release();
    }
  }

  api.get('/api/search', {
    config: { access: 'read' },
    schema: {
      tags: ['search'],
      summary: 'Search photos by what is in them, who, where, what is written in them, or what they look like',
      description:
        'Keyword search (tags, people, places, albums and keywords weigh most; then caption and description; OCR ' +
        'text; file name and camera) with prefixes, "quoted phrases", -exclusions and OR, plus trigram matching ' +
        'for typos when few photos match exactly; semantic search with the CLIP model; fused by Reciprocal Rank ' +
        'Fusion (score = Σ 1/(k + rank)). Filters apply inside both. Each hit says which arm found it, at which ' +
        'rank, which fields matched with which words, and its cosine similarity. Without a CLIP model, hybrid ' +
        'answers with keyword results and says so in `notices`; semantic answers 409. Each arm is ranked to a ' +
        'fixed depth (keyword 500, semantic 100), so the same query always pages the ' +
        'same way; `total` is the length of the fused list. The query is understood first (`understood`): named ' +
        'people (together), places, dates ("last summer", "christmas 2022", "since March"; in `tz`, from `today`), ' +
        'videos, screenshots, selfies, cameras, favourites, "4 stars", "best", albums ("not in any album"), quoted ' +
        'words and negations ("not", "without", "sans", "ohne") become filters, in English, French and German; ' +
        'what is left is searched as words and meaning; with nothing left, the filters list the items newest first ' +
        '("best": favourites, ratings and the best shot first). Explicit filter parameters win over the same kind ' +
        'understood; `understand=false` searches `q` exactly as typed.',
      querystring: searchQuery,
      response: { 200: searchResult, 400: errorBody, 409: errorBody, 429: errorBody, 503: errorBody },
    },
    handler: async (request, reply) => {
      const { q, mode, page, limit, cutoff, k, understand, tz, today } = request.query;
      return inTurn(request, reply, () =>
        searchLibrary(request.lib, { q, mode, page, limit, cutoff, rrfK: k, filters: filtersOf(request.query), understand, timeZone: tz, today }),
      );
    },
  });

  api.post('/api/search/similar', {
    config: { access: 'read' },
    schema: {
      tags: ['search'],
      summary: 'Photos that look like a photo of the library, or like an uploaded image',
      description:
        'Either JSON `{"photoId": "…"}` (the photo itself is left out), or multipart/form-data with one `file` ' +
        '(any supported format; it is embedded and not stored). Filters, `limit` and `minSimilarity` go in the ' +
        'query string, as for /api/search. 409: no CLIP model, or the photo has no embedding yet.',
      consumes: ['application/json', 'multipart/form-data'],
      querystring: similarQuery,
      response: {
        200: similarResult,
        400: errorBody,
        404: errorBody,
        408: errorBody,
        409: errorBody,
        413: errorBody,
        415: errorBody,
        422: errorBody,
        429: errorBody,
        503: errorBody,
      },
    },
    handler: async (request, reply) => {
      const options = { filters: filtersOf(request.query), limit: request.query.limit, minSimilarity: request.query.minSimilarity };
      if (request.isMultipart()) {
        const wait = imageSearches.take(request.actor!.userId);
        if (wait > 0) {
          reply.header('retry-after', String(Math.ceil(wait / 1000)));
          throw new UserError(
            'too-many-requests',
            `too many image searches (${context.settings.imageSearchesPerMinute} a minute): try again in ${Math.ceil(wait / 1000)} s`,
          );
        }
      }
      if (request.isMultipart()) {
        return withUploadedImage(request.lib, request, reply, (file, name) => inTurn(request, reply, () => similarToImage(request.lib, file, name, options)));
      }
      const body = similarBody.safeParse(request.body ?? {});
      if (!body.success) {
        throw new UserError(
          'invalid',
          `send JSON {"photoId": "<uuid>"} or multipart/form-data with a \`file\`: ${body.error.issues.map((i) => i.message).join('; ')}`,
        );
      }
      return inTurn(request, reply, () => similarToPhoto(request.lib, body.data.photoId, options));
    },
  });

  api.get('/api/search/parse', {
    config: { access: 'read' },
    schema: {
      tags: ['search'],
      summary: 'How a query would be understood, without searching',
      description:
        'The same understanding GET /api/search does first (people, places, dates, kinds, cameras, ratings, albums, ' +
        'quoted words, negations, and what is left as words), for clients that show or edit it before searching.',
      querystring: parseQueryParams,
      response: { 200: understood, 400: errorBody, 429: errorBody, 503: errorBody },
    },
    handler: async (request, reply) =>
      inTurn(request, reply, () => understandFor(request.lib, request.query.q, { timeZone: request.query.tz, today: request.query.today })),
  });

  api.get('/api/search/suggest', {
    config: { access: 'read' },
    schema: {
      tags: ['search'],
      summary: 'Tags, people, places, cameras and albums as you type',
      description:
        'Terms starting with the text first, then terms with a word starting with it, then similar ones (typos), ' +
        'each group by how many photos the term finds.',
      querystring: suggestQuery,
      response: { 200: suggestResult, 400: errorBody, 429: errorBody, 503: errorBody },
    },
    handler: async (request, reply) => inTurn(request, reply, () => suggest(request.lib, request.query.q, request.query.limit, request.query.kinds)),
  });
}

/** Streams the request's one `file` to a temp file, runs `work` on it, and removes it whatever happens. */
async function withUploadedImage<T>(
  lib: Library,
  request: FastifyRequest,
  reply: FastifyReply,
  work: (file: string, filename: string) => Promise<T>,
): Promise<T> {
  const temp = lib.scratch.tempPath();
  receiveAsUpload(request.raw);
  try {
    let filename: string | null = null;
    try {
      for await (const part of request.parts()) {
        if (part.type !== 'file') continue;
        if (filename !== null) {
          part.file.resume();
          throw new UserError('invalid', 'send one image to search with');
        }
        filename = cleanFileName(part.filename || 'image');
        await pipeline(part.file, createWriteStream(temp));
        if (part.file.truncated) throw new UserError('too-large', `${filename} is over the upload limit of ${lib.settings.maxUploadBytes} bytes`);
      }
    } catch (error) {
      throw multipartUserError(error, request) ?? error;
    }
    if (filename === null) throw new UserError('invalid', 'the multipart request has no `file` part');
    return await work(temp, filename);
  } finally {
    await fs.rm(temp, { force: true });
  }
}
