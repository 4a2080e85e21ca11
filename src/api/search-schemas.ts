import { z } from 'zod';
import { MEDIA_TYPES } from '../model/video.js';
import { PHOTO_STATES } from '../model/photo-state.js';
import { DEFAULT_CUTOFF, DEFAULT_RRF_K } from '../search/fusion.js';
import { SEARCH_FIELDS, SEARCH_MODES, SUGGESTION_KINDS } from '../model/search-vocabulary.js';
import type { SearchFilters } from '../search/types.js';
import { booleanParam, dateParam, photoListItem } from './schemas.js';

/** A list as `a,b` or as the parameter repeated (`tags=a&tags=b`). */
const listParam = (what: string, max = 50) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((value) =>
      (Array.isArray(value) ? value : [value])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().max(200)).max(max, { message: `at most ${max} ${what}` }))
    .describe(`comma-separated, or the parameter repeated`);

const nearParam = z
  .string()
  .regex(/^\s*-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?\s*$/, { message: 'must be "latitude,longitude" in decimal degrees' })
  .transform((v) => v.split(',').map(Number) as [number, number])
  .refine(([lat, lon]) => Math.abs(lat) <= 90 && Math.abs(lon) <= 180, { message: 'latitude must be within ±90 and longitude within ±180' });

const filterFields = {
  categories: listParam('categories').optional().describe('category names; a photo in any of them passes'),
  tags: listParam('tags').optional().describe('tags a photo must all have (CLIP, caption or keywords)'),
  people: listParam('people')
    .pipe(z.array(z.uuid({ message: 'people must be person ids (UUIDs)' })))
    .optional()
    .describe('person ids'),
  peopleMatch: z.enum(['all', 'any']).default('all').describe('whether a photo needs all the people or any of them'),
  from: dateParam.optional().describe('taken on or after (ISO 8601)'),
  to: dateParam.optional().describe('taken on or before (ISO 8601)'),
  camera: z.string().min(1).max(200).optional().describe('part of the camera make and model, case-insensitive'),
  place: z.string().min(1).max(200).optional().describe('a city, state or country (or its two-letter code)'),
  hasLocation: booleanParam.optional().describe('has GPS coordinates'),
  near: nearParam.optional().describe('"latitude,longitude": photos taken within `radiusKm` of it'),
  radiusKm: z.coerce.number().positive().max(20_000).default(10).describe('for `near`, default 10 km'),
  minRating: z.coerce.number().int().min(0).max(5).optional(),
  favorite: booleanParam.optional(),
  state: z.enum(PHOTO_STATES).optional(),
  album: z.uuid({ message: 'album must be an album id (UUID)' }).optional().describe('album id: photos in that album'),
  hideDuplicates: booleanParam.optional().describe('show one photo per duplicate group (the suggested keeper)'),
  origin: z.enum(['camera', 'generated']).optional().describe('`generated`: images made by image generation; `camera`: all the others'),
  type: z.enum(MEDIA_TYPES).optional().describe('`photo` or `video`: items of that kind only'),
};

const dateOrder = (q: { from?: Date; to?: Date }) => !q.from || !q.to || q.from <= q.to;
const dateOrderMessage = { message: '`from` must not be after `to`', path: ['from'] };

/** Result pages stop here: each arm is ranked to a fixed depth. */
export const MAX_SEARCH_RESULTS = 2000;

export const searchQuery = z
  .object({
    q: z.string().trim().min(1, { message: 'give a query' }).max(500),
    mode: z.enum(SEARCH_MODES).default('hybrid').describe('hybrid (both arms, fused), keyword, or semantic'),
    page: z.coerce.number().int().min(1).default(1),
    limit: z.coerce.number().int().min(1).max(100).default(30),
    cutoff: z.coerce
      .number()
      .min(0)
      .max(1)
      .default(DEFAULT_CUTOFF)
      .describe('drop semantic-only hits whose similarity is below cutoff × the best similarity of the search; 0 keeps all'),
    k: z.coerce.number().int().min(1).max(1000).default(DEFAULT_RRF_K).describe('the RRF constant'),
    ...filterFields,
  })
  .refine(dateOrder, dateOrderMessage)
  .refine((q) => q.page * q.limit <= MAX_SEARCH_RESULTS, {
    message: `results stop at ${MAX_SEARCH_RESULTS}: page × limit must not exceed it`,
    path: ['page'],
  });

export const similarQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(30),
    minSimilarity: z.coerce.number().min(-1).max(1).optional().describe('drop hits below this cosine similarity'),
    ...filterFields,
  })
  .refine(dateOrder, dateOrderMessage);

export const similarBody = z.object({ photoId: z.uuid({ message: 'photoId must be a UUID' }) });

type FilterInput = {
  [K in keyof typeof filterFields]?: z.output<(typeof filterFields)[K]>;
};

export function filtersOf(query: FilterInput): SearchFilters {
  return {
    categories: query.categories,
    tags: query.tags,
    people: query.people,
    peopleMatch: query.peopleMatch,
    from: query.from,
    to: query.to,
    camera: query.camera,
    place: query.place,
    hasLocation: query.hasLocation,
    near: query.near ? { latitude: query.near[0], longitude: query.near[1], radiusKm: query.radiusKm ?? 10 } : undefined,
    minRating: query.minRating,
    favorite: query.favorite,
    state: query.state,
    album: query.album,
    hideDuplicates: query.hideDuplicates,
    origin: query.origin,
    type: query.type,
  };
}

const explanation = z.object({
  keyword: z
    .object({
      rank: z.number().int(),
      score: z.number().describe('ts_rank_cd of the weighted document, or the trigram similarity when `fuzzy`'),
      fuzzy: z.boolean().describe('found by trigram similarity (a typo or a partial word), not by the full text'),
      matches: z
        .array(
          z.object({
            field: z.enum(SEARCH_FIELDS),
            words: z.array(z.string()),
            where: z
              .array(z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }))
              .optional()
              .describe('for text read on the photo (`ocr`): where those words are, as fractions (0–1) of its width and height; at most 10'),
          }),
        )
        .describe('the fields that matched, with the words as written there'),
    })
    .nullable(),
  semantic: z.object({ rank: z.number().int(), similarity: z.number().describe('cosine similarity to the query') }).nullable(),
  closeMatch: z
    .boolean()
    .describe('found only through a similar spelling while the words as typed found other photos: listed after every other hit'),
});

export const searchResult = z.object({
  items: z.array(z.object({ photo: photoListItem, score: z.number().describe('RRF score'), explanation })),
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
  mode: z.enum(SEARCH_MODES).describe('the mode that ran'),
  requestedMode: z.enum(SEARCH_MODES),
  alternatives: z
    .array(z.object({ label: z.string(), similarity: z.number() }))
    .describe('when the words as typed found fewer than 20 photos: library terms that look like them, also searched for (typos)'),
  notices: z.array(z.string()).describe('why the results may differ from what was asked (no CLIP model, …)'),
});

export const similarResult = z.object({
  source: z.object({ photoId: z.string().optional(), filename: z.string().optional() }),
  items: z.array(z.object({ photo: photoListItem, similarity: z.number(), rank: z.number().int() })),
});

export const suggestQuery = z.object({
  q: z.string().trim().min(1, { message: 'give the text typed so far' }).max(200),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  kinds: listParam('kinds', 5).pipe(z.array(z.enum(SUGGESTION_KINDS))).optional().describe(`any of ${SUGGESTION_KINDS.join(', ')}`),
});

export const suggestResult = z.object({
  items: z.array(
    z.object({
      kind: z.enum(SUGGESTION_KINDS),
      label: z.string(),
      key: z.string().describe("the person's or album's id; the lower-case term otherwise"),
      photos: z.number().int(),
      match: z.enum(['prefix', 'word', 'similar']),
    }),
  ),
});
