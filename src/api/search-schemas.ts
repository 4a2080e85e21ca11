import { z } from 'zod';
import { MEDIA_TYPES } from '../model/video.js';
import { PHOTO_STATES } from '../model/photo-state.js';
import { DEFAULT_CUTOFF, DEFAULT_RRF_K } from '../search/fusion.js';
import { SEARCH_FIELDS, SEARCH_MODES, SUGGESTION_KINDS } from '../model/search-vocabulary.js';
import type { SearchFilters } from '../search/types.js';
import { nearOf } from '../model/geo.js';
import { bboxParam, nearParam, radiusKmParam } from './geo-params.js';
import { booleanParam, dateParam, photoListItem, todayParam } from './schemas.js';

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

const filterFields = {
  categories: listParam('categories').optional().describe('category names; a photo in any of them passes'),
  tags: listParam('tags').optional().describe('tags a photo must all have (CLIP, a detected object or its parent word, caption or keywords)'),
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
  near: nearParam.optional(),
  radiusKm: radiusKmParam,
  bbox: bboxParam.optional(),
  minRating: z.coerce.number().int().min(0).max(5).optional(),
  favorite: booleanParam.optional(),
  state: z.enum(PHOTO_STATES).optional(),
  album: z.uuid({ message: 'album must be an album id (UUID)' }).optional().describe('album id: photos in that album'),
  hideDuplicates: booleanParam
    .optional()
    .describe(
      'leave out the copies the automatic choice proposes for the trash: a group shows its suggested keeper and what it keeps beside it (a RAW, another version of the shot, a photo with more than the keeper)',
    ),
  origin: z.enum(['camera', 'generated']).optional().describe('`generated`: images made by image generation; `camera`: all the others'),
  type: z.enum(MEDIA_TYPES).optional().describe('`photo` or `video`: items of that kind only'),
};

const understandFields = {
  understand: booleanParam.default(true).describe('read people, places, dates… out of `q` (default); false searches the words exactly as typed'),
  tz: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('the user\'s time zone (IANA, e.g. Europe/Paris) for dates such as "last summer"; the server\'s when not given'),
  today: todayParam.optional().describe("the user's today (YYYY-MM-DD) that relative dates count from; today in `tz` when not given"),
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
    ...understandFields,
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
    near: nearOf(query.near, query.radiusKm),
    bbox: query.bbox,
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
            objects: z.array(z.string()).optional().describe('for tags that are detected objects: "a dog, top left", the best first; at most 10'),
          }),
        )
        .describe('the fields that matched, with the words as written there'),
    })
    .nullable(),
  semantic: z.object({ rank: z.number().int(), similarity: z.number().describe('cosine similarity to the query') }).nullable(),
  closeMatch: z.boolean().describe('found only through a similar spelling while the words as typed found other photos: listed after every other hit'),
  satisfies: z.array(z.string()).describe('the parts of the query understood as filters that this item satisfies (every hit satisfies all of them)'),
});

const understoodPart = z.object({
  kind: z.enum(['person', 'place', 'date', 'type', 'camera', 'favorite', 'rating', 'best', 'album', 'text', 'exclusion']),
  label: z.string(),
  negated: z.boolean(),
  start: z.number().int().describe('where it is in `q` (UTF-16 offset): taking out q.slice(start, end) takes the part out'),
  end: z.number().int(),
});

export const understood = z
  .object({
    people: z.array(z.object({ id: z.string(), name: z.string(), negated: z.boolean() })).describe('named people; several: together (peopleMatch all)'),
    peopleMatch: z.enum(['all', 'any']).describe('`any` when the names were joined by "or"'),
    places: z.array(z.object({ name: z.string(), negated: z.boolean() })).describe('cities, states or countries of the library; several: any of them'),
    home: z
      .object({ negated: z.boolean() })
      .nullable()
      .describe('"at home" (within 25 km of home: set on the Memories page, else where most photos were taken), or away from it'),
    dates: z
      .array(z.object({ from: z.string(), to: z.string(), label: z.string(), negated: z.boolean() }))
      .describe('ranges of days (ISO dates, inclusive) in the time zone `tz`; several: any of them'),
    yearly: z
      .array(z.object({ from: z.string(), to: z.string(), label: z.string() }))
      .describe('days that recur each year (MM-DD, inclusive): "summer", "christmas", "march"'),
    type: z.enum(['photo', 'video']).nullable(),
    kind: z.enum(['screenshot', 'selfie']).nullable(),
    camera: z.string().nullable(),
    favorite: z.boolean().nullable(),
    minRating: z.number().int().nullable(),
    best: z.boolean().describe('"best": favourites first, then higher ratings, then the better shot'),
    album: z.object({ id: z.string(), name: z.string(), negated: z.boolean() }).nullable(),
    inAlbum: z.boolean().nullable().describe('in some album (true) or in none (false)'),
    quoted: z.array(z.string()).describe('exact words to find (in text read on the photo, captions, descriptions…)'),
    excludedWords: z.array(z.string()),
    text: z.string().describe('what was searched as words and meaning; empty: the filters alone listed the items'),
    didYouMean: z
      .array(z.object({ text: z.string(), start: z.number().int(), end: z.number().int(), options: z.array(z.object({ id: z.string(), name: z.string() })) }))
      .describe('a name that matched several people (the first was used) or a word one slip from a name (not used)'),
    parts: z.array(understoodPart).describe('each thing understood, in the order written: the chips a client shows and lets the user take out'),
    source: z
      .enum(['local', 'model'])
      .describe('`model`: read by the configured language model (SHOEBOX_SEARCH_MODEL=on) because the local reading explained nothing'),
  })
  .describe('how the query was understood (people, places, dates, kinds of item, ratings, albums, quoted words, negations) before searching');

export const parseQueryParams = z.object({
  q: z.string().trim().min(1, { message: 'give a query' }).max(500),
  tz: understandFields.tz,
  today: understandFields.today,
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
  understood: understood.nullable().describe('how `q` was understood; null with understand=false'),
});

export const similarResult = z.object({
  source: z.object({ photoId: z.string().optional(), filename: z.string().optional() }),
  items: z.array(z.object({ photo: photoListItem, similarity: z.number(), rank: z.number().int() })),
});

export const suggestQuery = z.object({
  q: z.string().trim().min(1, { message: 'give the text typed so far' }).max(200),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  kinds: listParam('kinds', 5)
    .pipe(z.array(z.enum(SUGGESTION_KINDS)))
    .optional()
    .describe(`any of ${SUGGESTION_KINDS.join(', ')}`),
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
