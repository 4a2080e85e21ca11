import { z } from 'zod';
import { MIN_CROP } from '../model/photo-edit.js';
import { PHOTO_STATES, STEP_NAMES, STEP_STATUSES } from '../model/photo-state.js';
import { PHOTO_ORIGINS, SHOT_TYPES, TIMELINE_GROUPINGS } from '../model/photo-vocabulary.js';
import { MEDIA_TYPES } from '../model/video.js';
import { STACK_KINDS } from '../model/stack.js';
import { bboxParam, nearParam, radiusKmParam } from './geo-params.js';
import { photoCodeList, photoOcrText } from './photo-text-schemas.js';
import { photoCaptionSchema, photoObjectsSchema, photoTagsSchema } from './photo-analysis-schemas.js';

// One set of schemas: request validation, response serialisation, TypeScript types and the OpenAPI document.

export const booleanParam = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .describe('true or false');

/**
 * Dates the database and every client agree on: years 1 to 9999 in UTC (JavaScript reaches further both ways, and
 * Postgres refuses year 0 and six-digit years as JavaScript writes them).
 */
const EARLIEST_DATE = Date.parse('0001-01-01T00:00:00Z');
const LATEST_DATE = Date.parse('9999-12-31T23:59:59.999Z');

export const dateParam = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), { message: 'must be an ISO 8601 date, e.g. 2024-05-01 or 2024-05-01T12:00:00Z' })
  .refine(
    (v) => {
      const at = Date.parse(v);
      return Number.isNaN(at) || (at >= EARLIEST_DATE && at <= LATEST_DATE);
    },
    { message: 'must be a date from 0001-01-01 to 9999-12-31 (UTC)' },
  )
  .transform((v) => new Date(v));

/** A user's today, YYYY-MM-DD, a day that exists between 1900 and 2200 (search's relative dates, memories). */
export const todayParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'today must be YYYY-MM-DD' })
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), {
    message: 'today must be a day that exists',
  })
  .refine((v) => Number(v.slice(0, 4)) >= 1900 && Number(v.slice(0, 4)) <= 2200, { message: 'today must be between the years 1900 and 2200' });

/** The filters the photo list and the timeline share. */
export const libraryFilterQuery = z.object({
  from: dateParam.optional().describe('taken on or after (ISO 8601; a photo without a date counts from its upload)'),
  to: dateParam.optional().describe('taken on or before (ISO 8601)'),
  state: z.enum(PHOTO_STATES).optional(),
  camera: z.string().min(1).max(200).optional().describe('matches camera make or model, case-insensitive'),
  hasGps: booleanParam.optional(),
  bbox: bboxParam.optional(),
  near: nearParam.optional(),
  radiusKm: radiusKmParam,
  place: z.string().trim().min(1).max(200).optional().describe('a city, state or country (or its two-letter code), whole name, case- and accent-insensitive'),
  album: z.uuid({ message: 'album must be an album id (UUID)' }).optional().describe('album id: photos in that album'),
  person: z.uuid({ message: 'person must be a person id (UUID)' }).optional().describe('person id: photos with a face of that person'),
  favorite: booleanParam.optional().describe('true: favourites only; false: all but the favourites'),
  minRating: z.coerce.number().int().min(1).max(5).optional().describe("rated at least this many stars (1–5): the user's rating, else the file's"),
  hideDuplicates: booleanParam
    .optional()
    .describe(
      'leave out the copies the automatic choice proposes for the trash: a group shows its suggested keeper and what it keeps beside it (a RAW, another version of the shot, a photo with more than the keeper)',
    ),
  origin: z.enum(PHOTO_ORIGINS).optional().describe('`generated`: images made by image generation; `camera`: all the others'),
  type: z.enum(MEDIA_TYPES).optional().describe('`photo` or `video`: items of that kind only'),
  archived: z
    .enum(['exclude', 'only', 'include'])
    .optional()
    .describe('`exclude`: archived items left out (the default, but for an album, a person and the favourites: `include`); `only`: the archive'),
  stacks: z
    .enum(['collapse', 'expand'])
    .optional()
    .describe(
      "`collapse` (default): a stack (raw+JPEG, HEIC+JPEG, a burst, an original and its edits) is one item, its cover, with `stack.count`; `expand`: each of its photos. An album's or a person's photos are always listed one by one",
    ),
  owner: z
    .uuid({ message: 'owner must be a user id' })
    .optional()
    .describe(
      "a partner's user id: that partner's shared library alone (404 unless they share it with you); without it, your timeline, with the partners you chose to show in it",
    ),
});

const fromNotAfterTo = (q: { from?: Date; to?: Date }) => !q.from || !q.to || q.from <= q.to;
const fromNotAfterToMessage = { message: '`from` must not be after `to`', path: ['from'] };

export const photoListQuery = libraryFilterQuery
  .extend({
    page: z.coerce.number().int().min(1).default(1).describe('1-based page of `limit` photos (ignored when `offset` is given)'),
    offset: z.coerce.number().int().min(0).optional().describe("index of the first photo in the whole ordering, e.g. a timeline bucket's `offset`"),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .refine(fromNotAfterTo, fromNotAfterToMessage);

export const timelineQuery = libraryFilterQuery
  .extend({ groupBy: z.enum(TIMELINE_GROUPINGS).default('day').describe('`day` (YYYY-MM-DD) or `month` (YYYY-MM) buckets') })
  .refine(fromNotAfterTo, fromNotAfterToMessage);

export const timelineResult = z.object({
  total: z.number().int().describe('photos the filters keep'),
  videos: z.number().int().describe('how many of them are videos'),
  groupBy: z.enum(TIMELINE_GROUPINGS),
  buckets: z.array(
    z.object({
      key: z.string().describe("'YYYY-MM-DD' or 'YYYY-MM' as the camera's clock wrote the date (else the file date in UTC); 'undated' for photos without one"),
      count: z.number().int(),
      videos: z.number().int().describe('how many of them are videos'),
      offset: z.number().int().describe("index of the bucket's first photo in the ordering of GET /api/photos (pass it as `offset`)"),
    }),
  ),
});

export const photoIdParams = z.object({ id: z.uuid({ message: 'photo id must be a UUID' }) });

/** How many photos a stack holds, and of those videos (its tile says "2 photos and 1 video"). */
const stackCounts = { count: z.number().int().describe('photos in the stack, this one included'), videos: z.number().int().describe('of them videos') };
export const photoListItem = z.object({
  id: z.string(),
  ownerId: z.string().describe("the owner's user id: another user's for a partner's photo or one in a shared album"),
  state: z.string(),
  filename: z.string(),
  takenAt: z.string().nullable().describe('date taken as the camera wrote it (ISO 8601, with offset when known), else the file date'),
  width: z.number().int().nullable().describe('pixels, upright (after EXIF orientation)'),
  height: z.number().int().nullable(),
  mime: z.string(),
  type: z.enum(MEDIA_TYPES).describe('`video` for a clip (its thumbnail and preview are its poster frame), else `photo`'),
  durationMs: z.number().int().nullable().describe("a video's length in milliseconds; null for a photo, or a video not probed yet"),
  motion: z
    .boolean()
    .describe(
      'a still with a short video — a motion photo (Samsung, Google) or an Apple Live Photo (its MOV is part of it, never an item of its own) — played from GET /api/photos/{id}/video, its file at /original?part=motion',
    ),
  sizeBytes: z.number().int(),
  make: z.string().nullable(),
  model: z.string().nullable(),
  hasGps: z.boolean(),
  favorite: z.boolean(),
  archived: z.boolean().describe('out of the timeline (GET /api/photos?archived=only lists them); kept in albums, people, favourites and search'),
  rating: z.number().int().nullable().describe("0–5: the user's rating, else the file's (EXIF/XMP); null when neither has one"),
  colour: z.string().nullable().describe("dominant colour (#rrggbb, the palette's first), a placeholder while the thumbnail loads"),
  hasThumbnail: z
    .boolean()
    .describe('the thumbnail and preview exist (from the first step on): show the photo, with `state` saying whether its analysis goes on'),
  origin: z.enum(PHOTO_ORIGINS).describe('`generated` (made by image generation: see `provenance` on the photo) or `camera`'),
  libraryId: z.string().nullable().describe('the library in place its file is in (GET /api/libraries/{id}); null for an uploaded or imported photo'),
  offline: z
    .boolean()
    .describe(
      "its file is gone from its library in place (deleted, moved away, or the disk unmounted): kept and searchable, shown greyed; it goes to the trash after the library's grace period",
    ),
  createdAt: z.string(),
  deletedAt: z.string().nullable().describe('when it was moved to the trash (ISO 8601); null for a photo not in the trash'),
  stack: z
    .object({ id: z.string(), ...stackCounts })
    .nullable()
    .optional()
    .describe("in the library's list: the stack this photo is the cover of (GET /api/stacks/{id}); null when none"),
});

const ratingValue = z
  .number()
  .int({ message: 'rating must be a whole number from 0 to 5, or null' })
  .min(0, { message: 'rating must be from 0 to 5, or null' })
  .max(5, { message: 'rating must be from 0 to 5, or null' })
  .nullable()
  .describe("0–5 stars, or null to clear it; the user's rating is kept when the photo is processed again");

const locationValue = z
  .object({
    latitude: z.number().min(-90, { message: 'latitude must be within ±90' }).max(90, { message: 'latitude must be within ±90' }),
    longitude: z.number().min(-180, { message: 'longitude must be within ±180' }).max(180, { message: 'longitude must be within ±180' }),
  })
  .strict()
  .nullable()
  .describe(
    "where it was taken, in degrees (null: nowhere); the user's position and its place names are kept when the photo is processed again, and written to the sidecar where write-back is on",
  );

const photoChanges = {
  favorite: z.boolean().optional(),
  rating: ratingValue.optional(),
  archived: z.boolean().optional().describe('true: out of the timeline, into the archive; false: back'),
  location: locationValue.optional(),
};
const someChange = (body: { favorite?: boolean; rating?: number | null; archived?: boolean; location?: unknown }) =>
  body.favorite !== undefined || body.rating !== undefined || body.archived !== undefined || body.location !== undefined;
const someChangeMessage = { message: 'give at least one of: favorite, rating, archived, location' };

export const photoPatchBody = z.object(photoChanges).strict().refine(someChange, someChangeMessage);

export const photosPatchBody = z
  .object({
    ids: z
      .array(z.uuid({ message: 'photo ids must be UUIDs' }))
      .min(1)
      .max(5000)
      .describe('photo ids'),
    ...photoChanges,
  })
  .strict()
  .refine(someChange, someChangeMessage);

export const photosPatchResult = z.object({
  updated: z.number().int().describe('photos changed (ids that are not photos of the library, or in the trash, are left out)'),
});

export const photoList = z.object({
  items: z.array(photoListItem),
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int().describe('index of the first item in the whole ordering'),
});

export const photoMetadata = z.object({
  takenAt: z.string().nullable(),
  timeZone: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  orientation: z.number().int().nullable(),
  make: z.string().nullable(),
  model: z.string().nullable(),
  lens: z.string().nullable(),
  rating: z.number().nullable(),
  keywords: z.array(z.string()),
  description: z.string().nullable(),
  place: z
    .object({
      city: z.string().nullable(),
      state: z.string().nullable().describe('state, province or region'),
      country: z.string().nullable().describe('as the file names it, else in English'),
      countryCode: z.string().nullable().describe('ISO 3166-1 alpha-2'),
      source: z.enum(['metadata', 'geocoded']).describe("metadata: the file's IPTC/XMP location names; geocoded: the nearest town to its GPS position"),
    })
    .nullable()
    .describe('where it was taken; null when the file names no place and has no GPS position near a town'),
});

const box = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

/** A face with its person: a photo's `faces`, and the faces the people routes list. */
export const faceSummary = z.object({
  id: z.string(),
  photoId: z.string(),
  personId: z.string().nullable(),
  personName: z.string().nullable(),
  assignedBy: z.string().nullable().describe('`auto` (clustering), `user`, or null'),
  box: box.describe('upright pixel coordinates of the original'),
  score: z.number(),
});

const stepInfo = z.object({
  status: z.enum(STEP_STATUSES),
  error: z.string().nullable(),
  durationMs: z.number().nullable(),
  version: z.string().nullable(),
  attempts: z.number().int(),
  finishedAt: z.string().nullable().describe('when the step last ended (ISO 8601); null while it has not'),
});

const unit = (name: string) => z.number().min(0, `${name} is a fraction of the image, 0–1`).max(1, `${name} is a fraction of the image, 0–1`);
export const cropBox = z
  .object({
    x: unit('crop.x'),
    y: unit('crop.y'),
    width: unit('crop.width').min(MIN_CROP, `crop.width is at least ${MIN_CROP}`),
    height: unit('crop.height').min(MIN_CROP, `crop.height is at least ${MIN_CROP}`),
  })
  .refine((crop) => crop.x + crop.width <= 1.000001 && crop.y + crop.height <= 1.000001, 'the crop must lie inside the image (x + width ≤ 1, y + height ≤ 1)')
  .describe('on the turned image, as fractions of its width and height from its top-left corner');

export const photoEdit = z.object({
  rotate: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]).describe('clockwise quarter turns of the upright original'),
  crop: cropBox.nullable(),
});

export const photoDetail = photoListItem.extend({
  edit: photoEdit.nullable().describe('the rotation and crop the user gave it (PUT /api/photos/{id}/edit); null: the original as it is'),
  owner: z
    .object({ id: z.string(), name: z.string(), you: z.boolean() })
    .describe("whose photo it is: someone else's (shared with you) is read-only, without its duplicate group or source path"),
  sha256: z.string(),
  video: z
    .object({
      container: z.string().describe('as ffprobe names it, e.g. "mov,mp4,m4a,3gp,3g2,mj2"'),
      width: z.number().int().describe('coded width, before rotation'),
      height: z.number().int(),
      rotation: z.number().int().describe('clockwise degrees a player turns it'),
      fps: z.number().nullable(),
      videoCodec: z.string(),
      audioCodec: z.string().nullable(),
      bitRate: z.number().int().nullable().describe('bits per second, the whole file'),
      playsAsIs: z.boolean().describe('browsers play the original as it is (else /video waits for the `transcode` step)'),
    })
    .nullable()
    .describe("a video's streams (GET /api/photos/{id}/video plays it); null for a photo"),
  sourcePath: z.string().nullable(),
  hasSidecar: z.boolean(),
  sidecar: z
    .enum(['xmp', 'takeout-json'])
    .nullable()
    .describe("the kind of sidecar kept with it: XMP, or a Google Takeout JSON one (an iCloud export's facts are kept in that form)"),
  updatedAt: z.string(),
  metadata: photoMetadata,
  pdq: z.object({ hash: z.string(), quality: z.number().int() }).nullable(),
  palette: z.array(z.object({ hex: z.string(), share: z.number() })).nullable(),
  provenance: z
    .object({
      prompt: z.string(),
      negativePrompt: z.string().nullable(),
      revisedPrompt: z.string().nullable().describe('the prompt as the provider rewrote it, where it says'),
      provider: z.string(),
      providerKind: z.string(),
      model: z.string().nullable(),
      seed: z.number().int().nullable(),
      size: z.string(),
      mode: z.enum(['text', 'edit']),
      sourcePhotoId: z.string().nullable().describe('the photo it was made from (null for another user, or when there is none)'),
      jobId: z.string(),
      index: z.number().int(),
      generatedAt: z.string(),
      shot: z.enum(SHOT_TYPES).optional().describe('a product shot: white, hand, dimensions, lifestyle or model'),
      productPhotoId: z.string().optional().describe("a product shot: the product's photo"),
      productType: z.string().optional(),
      composited: z.boolean().optional().describe("a product shot: the product's own pixels were laid over the generated scene (it was a cut-out)"),
    })
    .nullable()
    .describe('how a generated image was made; null for a camera photo'),
  steps: z.record(z.string(), stepInfo),
  faces: z.array(faceSummary),
  objects: photoObjectsSchema,
  tags: photoTagsSchema,
  categories: z.array(z.string()).describe('category names, through the tags (see /api/categories)'),
  ocr: photoOcrText,
  codes: photoCodeList,
  caption: photoCaptionSchema,
  embedding: z.object({ model: z.string(), dimensions: z.number().int() }).nullable(),
  albums: z
    .array(z.object({ id: z.string(), name: z.string(), kind: z.enum(['manual', 'auto']) }))
    .describe('the active albums it is in (manual and automatic)'),
  duplicateGroup: z
    .object({
      id: z.string(),
      kind: z.enum(['duplicate', 'burst']).describe('`duplicate`: copies to review (/duplicates); `burst`: frames seconds apart'),
      tier: z
        .string()
        .describe(
          "what ties it to the group: `pdq` (perceptual hash), `clip` (embedding) or `burst`; for the photo that started the group, its closest member's",
        ),
      keeperId: z.string().nullable().describe('the suggested keeper'),
      size: z.number().int().describe('photos in the group, this one included'),
    })
    .nullable()
    .describe('the duplicate group it is in (else its burst); null when in none'),
  stack: z
    .object({
      id: z.string(),
      kind: z.enum(STACK_KINDS),
      coverId: z.string().nullable().describe('the photo its tile shows'),
      ...stackCounts,
    })
    .nullable()
    .describe('the stack it is in (GET /api/stacks/{id}); null when in none, or when the photo is not yours'),
  peopleHints: z
    .array(z.string())
    .describe(
      "people the file says are in the photo without saying where (XMP PersonInImage, a Google Takeout sidecar's people[]) " +
        'who are on none of its faces; one name left with one unnamed face is put on it',
    ),
});

export const errorBody = z.object({ statusCode: z.number().int(), error: z.string(), message: z.string() });

export const retryResult = z.object({ id: z.string(), state: z.string(), reset: z.array(z.enum(STEP_NAMES)) });

export const reprocessBody = z.object({
  step: z.enum(STEP_NAMES),
  all: z.boolean().default(false).describe('redo the step everywhere, not only where it failed or was skipped'),
});

export const reprocessResult = z.object({ step: z.enum(STEP_NAMES), queued: z.number().int() });
