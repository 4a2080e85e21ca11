import { sql } from 'drizzle-orm';
import {
  bigint,
  customType,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  real,
  smallint,
  uniqueIndex,
  uuid,
  vector,
} from 'drizzle-orm/pg-core';
import type { FaceRegion } from '../media/face-regions.js';
import type { Provenance } from './schema/creation.js';

/**
 * taken_local's expression (immutable, as a generated column needs): the wall-clock digits of taken_at_text
 * ("YYYY-MM-DDTHH:mm:ss[.SSS][±HH:MM]") when it has them, else taken_at read in UTC.
 */
const TAKEN_LOCAL = sql.raw(
  `CASE WHEN taken_at_text ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}' ` +
    `THEN make_timestamp(substr(taken_at_text, 1, 4)::int, substr(taken_at_text, 6, 2)::int, substr(taken_at_text, 9, 2)::int, ` +
    `substr(taken_at_text, 12, 2)::int, substr(taken_at_text, 15, 2)::int, substring(taken_at_text from '^.{17}(\\d{2}(?:\\.\\d+)?)')::float8) ` +
    `ELSE taken_at AT TIME ZONE 'UTC' END`,
);

/**
 * Everyone who can sign in. A library made before accounts has one row named `local` with no email: set-up turns
 * it into the admin, so its photos, people and albums stay where they are.
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Lower-cased; null only for the pre-accounts `local` owner until set-up claims it. */
    email: text('email'),
    /** Argon2id (PHC string); null for users who only sign in through single sign-on. */
    passwordHash: text('password_hash'),
    /** admin | user */
    role: text('role').notNull().default('user'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /** Bytes of originals this user may keep; null: no limit. */
    quotaBytes: bigint('quota_bytes', { mode: 'number' }),
    /** Where this user's new photos are stored: a named storage location (storage/locations.ts); null: the main store. */
    storageLocation: text('storage_location'),
    /** Images this user may generate per day (a provider costs money); null: the server's SHOEBOX_GENERATION_IMAGES_PER_DAY. */
    generationImagesPerDay: integer('generation_images_per_day'),
    /** When this user got the starting product types (null: at their first use, library/create/product-types.ts). */
    productTypesSeededAt: timestamp('product_types_seeded_at', { withTimezone: true }),
    /** When this user got the seed categories (null: at the next start, see seedCategories). */
    categoriesSeededAt: timestamp('categories_seeded_at', { withTimezone: true }),
    /** Single sign-on identity: the provider's issuer and subject (`sub`), set on the first OIDC sign-in. */
    oidcIssuer: text('oidc_issuer'),
    oidcSubject: text('oidc_subject'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_uq').on(t.email), uniqueIndex('users_oidc_uq').on(t.oidcIssuer, t.oidcSubject)],
);

export const photos = pgTable(
  'photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sha256: text('sha256').notNull(),
    filename: text('filename').notNull(),
    /** Where an imported file came from (absolute path); null for uploads. */
    sourcePath: text('source_path'),
    /** The original, relative to the data folder (content-addressed, may be shared by several owners). */
    storageKey: text('storage_key').notNull(),
    /** An XMP sidecar that came with the file, relative to the data folder. */
    sidecarKey: text('sidecar_key'),
    /** The storage location holding the original, the sidecar and the derived files; null: the main store. */
    storageLocation: text('storage_location'),
    mime: text('mime').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    state: text('state').notNull().default('pending'),
    width: integer('width'),
    height: integer('height'),
    /** The instant, for sorting and filtering; a date without a known offset is read as UTC. */
    takenAt: timestamp('taken_at', { withTimezone: true }),
    /** The date as the camera wrote it, ISO 8601 with offset when known: what the API shows. */
    takenAtText: text('taken_at_text'),
    timeZone: text('time_zone'),
    fileModifiedAt: timestamp('file_modified_at', { withTimezone: true }),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    orientation: integer('orientation'),
    make: text('make'),
    model: text('model'),
    lens: text('lens'),
    /** The file's rating (EXIF/XMP, 0–5), or the user's once they set one (see ratingByUser). */
    rating: integer('rating'),
    /** The user set (or cleared) the rating: re-reading the file's metadata leaves it alone. */
    ratingByUser: boolean('rating_by_user').notNull().default(false),
    keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
    description: text('description'),
    pdqHash: text('pdq_hash'),
    pdqQuality: integer('pdq_quality'),
    /** PDQ of the seven other orientations (PDQ_DIHEDRAL_NAMES order): a mirrored copy is ~128 bits away otherwise. */
    pdqVariants: text('pdq_variants').array(),
    palette: jsonb('palette').$type<{ hex: string; share: number }[]>(),
    /**
     * When the thumbnail and preview were last written (null: never). A photo shows in the library from then on,
     * while its other steps run, and stays shown while any step, preprocessing included, is redone.
     */
    thumbnailAt: timestamp('thumbnail_at', { withTimezone: true }),
    /** People the file names (MWG / Microsoft face regions, metadata step): name and box on the upright image, 0–1. */
    faceRegions: jsonb('face_regions').$type<FaceRegion[]>(),
    /** Where it was taken, from the file's IPTC/XMP location fields, else the nearest town to its GPS position. */
    placeCity: text('place_city'),
    placeState: text('place_state'),
    placeCountry: text('place_country'),
    placeCountryCode: text('place_country_code'),
    /** `metadata` (the photographer's own) or `geocoded` (nearest town with ≥ 1,000 people, GeoNames). */
    placeSource: text('place_source'),
    favorite: boolean('favorite').notNull().default(false),
    /** `camera` (uploaded or imported) or `generated` (made by an image-generation provider: see provenance). */
    origin: text('origin').notNull().default('camera'),
    /** How a generated image was made: prompt, provider, model, seed, size, source photo, time (library/create). */
    provenance: jsonb('provenance').$type<Provenance>(),
    /**
     * The photo a generated image was made from ("inspired by", a product shot). No foreign key: the provenance
     * outlives a source deleted for good, and a library copy (migrate/) writes photos in any order.
     */
    sourcePhotoId: uuid('source_photo_id'),
    /** The generation job that made it: images of one job are variations, never duplicates of each other. */
    generationJobId: uuid('generation_job_id'),
    /**
     * The library in place the photo's file is in (library/in-place/): its `storage_key` is then the file's absolute
     * path, read where it is and never written; its derived files are in its storage location as usual.
     */
    libraryId: uuid('library_id'),
    /** Its file is gone from its library in place (deleted, or the disk away) since then: kept, shown greyed. */
    offlineAt: timestamp('offline_at', { withTimezone: true }),
    /** What the user marked on it was last written to its sidecar (write-back, library/in-place/write-back.ts); null: due. */
    writtenBackAt: timestamp('written_back_at', { withTimezone: true }),
    /** In the trash since then (restorable until the trash is emptied); null for a live photo. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * When it was taken on the camera's clock (the digits of taken_at_text, without their offset), else the file
     * date in UTC, else null (undated): what the timeline groups by day and month and what lists sort by, so
     * that a day's photos are together whatever time zone each was taken in.
     */
    takenLocal: timestamp('taken_local').generatedAlwaysAs(TAKEN_LOCAL),
  },
  (t) => [
    index('photos_trash_idx').on(t.ownerId, t.deletedAt).where(sql`${t.deletedAt} is not null`),
    uniqueIndex('photos_owner_sha256_uq').on(t.ownerId, t.sha256),
    index('photos_owner_sort_idx').on(t.ownerId, sql`coalesce(${t.takenAt}, ${t.createdAt}) desc`, t.id),
    index('photos_state_idx').on(t.state),
    index('photos_storage_key_idx').on(t.storageKey),
    index('photos_favorite_idx').on(t.ownerId).where(sql`${t.favorite}`),
    // The timeline's order (newest taken first, undated last, newest upload, then id as the tiebreaker); holds
    // every column the order needs, so a deep page is skipped over in the index alone.
    index('photos_timeline_idx')
      .on(t.ownerId, t.takenLocal.desc().nullsLast(), t.createdAt.desc(), t.id.desc())
      .where(sql`${t.deletedAt} is null`),

    // the jobs feed asks "did anything change?" every second: the latest change, from the index
    index('photos_updated_idx').on(t.updatedAt),
    index('photos_source_idx').on(t.sourcePhotoId).where(sql`${t.sourcePhotoId} is not null`),
    // a generation job's images (its progress, read every second while someone watches; what a resumed job skips)
    index('photos_generation_job_idx').on(t.generationJobId).where(sql`${t.generationJobId} is not null`),
    index('photos_library_idx').on(t.libraryId).where(sql`${t.libraryId} is not null`),
    // the grace period's sweep: offline photos, oldest first
    index('photos_offline_idx').on(t.offlineAt).where(sql`${t.offlineAt} is not null`),
  ],
);

export const photoSteps = pgTable(
  'photo_steps',
  {
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    step: text('step').notNull(),
    status: text('status').notNull().default('pending'),
    error: text('error'),
    durationMs: integer('duration_ms'),
    version: text('version'),
    attempts: integer('attempts').notNull().default(0),
    /** When the running attempt started, renewed while it runs: its lease (settings' stepLeaseSeconds, pipeline/runner.ts). */
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** A step failed for want of a service (object storage down): when it is tried again (pipeline/retry.ts). */
    retryAt: timestamp('retry_at', { withTimezone: true }),
    /** The worker process running the step (`workers`): when its heartbeat stops, the step is taken again at once. */
    workerId: uuid('worker_id'),
  },
  (t) => [
    primaryKey({ columns: [t.photoId, t.step] }),
    index('photo_steps_retry_idx').on(t.retryAt).where(sql`${t.retryAt} is not null`),
    index('photo_steps_step_status_idx').on(t.step, t.status),
    // the jobs page: the latest step started and finished (has anything changed?), steps finished lately (the
    // rate), and failures newest first
    index('photo_steps_started_idx').on(t.startedAt),
    index('photo_steps_finished_idx').on(t.finishedAt),
    index('photo_steps_failed_idx').on(t.finishedAt.desc()).where(sql`${t.status} = 'failed'`),
  ],
);

/**
 * The cluster's worker processes, each beating its `last_seen` every SHOEBOX_WORKER_HEARTBEAT_SECONDS
 * (app/heartbeat.ts): a worker that missed three beats is dead, and the steps it ran are taken again.
 */
export const workers = pgTable('workers', {
  id: uuid('id').primaryKey(),
  host: text('host').notNull(),
  pid: integer('pid').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  lastSeen: timestamp('last_seen', { withTimezone: true }).notNull().defaultNow(),
});

export type PhotoRow = typeof photos.$inferSelect;
export type StepRow = typeof photoSteps.$inferSelect;

/** Small facts about the library itself (seed versions, the embedding model in use). */
export const libraryMeta = pgTable('library_meta', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Counters that triggers bump when what they watch changes (migration 0007), so that a server may keep a result
 * computed from many rows until its inputs move, checking one row instead of recounting. `photo_order`: a photo
 * arrived, left, moved in the timeline's order or changed a column the library's own filters read (owner, trash,
 * dates, camera, position, favourite). Bumped inside the writing transaction, so that a reader never sees the
 * new count with the old rows.
 */
export const changeMarks = pgTable('change_marks', {
  name: text('name').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
});

/**
 * One CLIP image embedding per photo. The column's dimension follows the configured model: when a model with
 * another size is configured, the library re-creates the column (and its index) and re-embeds every photo.
 */
/**
 * Graph parameters of the photos' HNSW index: ef_construction 128 instead of pgvector's 64 lifts recall@20 at
 * 100k photos from 0.966 to 0.999 for a build that takes 1.7× as long (bench/README.md).
 */
export const PHOTO_EMBEDDINGS_HNSW = { m: 16, ef_construction: 128 } as const;

export const photoEmbeddings = pgTable(
  'photo_embeddings',
  {
    photoId: uuid('photo_id')
      .primaryKey()
      .references(() => photos.id, { onDelete: 'cascade' }),
    /** The model version that produced it; a different one means it must be redone. */
    model: text('model').notNull(),
    embedding: vector('embedding', { dimensions: 512 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('photo_embeddings_hnsw_idx').using('hnsw', t.embedding.op('vector_cosine_ops')).with(PHOTO_EMBEDDINGS_HNSW)],
);

export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name'),
    hidden: boolean('hidden').notNull().default(false),
    /** A face chosen by the user; otherwise the best face is picked when listing. */
    coverFaceId: uuid('cover_face_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('people_owner_idx').on(t.ownerId)],
);

export const faces = pgTable(
  'faces',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    personId: uuid('person_id').references(() => people.id, { onDelete: 'set null' }),
    /** `auto` (clustering) or `user`; user decisions are never undone by clustering. */
    assignedBy: text('assigned_by'),
    /** Box in upright pixel coordinates of the original. */
    x: real('x').notNull(),
    y: real('y').notNull(),
    width: real('width').notNull(),
    height: real('height').notNull(),
    score: real('score').notNull(),
    landmarks: jsonb('landmarks').$type<{ x: number; y: number }[]>(),
    embedding: vector('embedding', { dimensions: 1024 }).notNull(),
    detector: text('detector').notNull(),
    /**
     * The name a face region of the file gave this face, while its person comes from there; null when the user
     * (or clustering) decided. A changed region may move such a face; a user's decision stays.
     */
    regionName: text('region_name'),
    thumbnailKey: text('thumbnail_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('faces_photo_idx').on(t.photoId),
    index('faces_person_idx').on(t.personId),
    index('faces_embedding_hnsw_idx').using('hnsw', t.embedding.op('vector_cosine_ops')),
  ],
);

/** "Not this person": remembered so that clustering never puts the face back. */
export const faceRejections = pgTable(
  'face_rejections',
  {
    faceId: uuid('face_id')
      .notNull()
      .references(() => faces.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.faceId, t.personId] })],
);

/** Zero-shot CLIP tags with their confidence. */
export const photoTags = pgTable(
  'photo_tags',
  {
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
    confidence: real('confidence').notNull(),
    source: text('source').notNull().default('clip'),
  },
  (t) => [primaryKey({ columns: [t.photoId, t.tag] }), index('photo_tags_tag_idx').on(t.tag)],
);

/** Each user's categories and the tags that map to them: photos are categorised through their tags, at query time. */
export const categories = pgTable(
  'categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    label: text('label').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('categories_owner_name_uq').on(t.ownerId, t.name)],
);

export const categoryTags = pgTable(
  'category_tags',
  {
    categoryId: uuid('category_id')
      .notNull()
      .references(() => categories.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
  },
  (t) => [primaryKey({ columns: [t.categoryId, t.tag] }), index('category_tags_tag_idx').on(t.tag)],
);

export const photoOcr = pgTable('photo_ocr', {
  photoId: uuid('photo_id')
    .primaryKey()
    .references(() => photos.id, { onDelete: 'cascade' }),
  text: text('text').notNull(),
  confidence: real('confidence'),
  words: jsonb('words').$type<{ text: string; confidence: number; box: { x: number; y: number; width: number; height: number } }[]>(),
  languages: text('languages').array().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const photoCaptions = pgTable('photo_captions', {
  photoId: uuid('photo_id')
    .primaryKey()
    .references(() => photos.id, { onDelete: 'cascade' }),
  caption: text('caption').notNull(),
  description: text('description'),
  primaryCategory: text('primary_category'),
  tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
  detectedObjects: jsonb('detected_objects').$type<{ name: string; confidence: number }[]>().notNull().default([]),
  sceneType: text('scene_type'),
  suggestedClusterName: text('suggested_cluster_name'),
  qualityGrade: text('quality_grade'),
  qualityReason: text('quality_reason'),
  /** provider | two-stage | fallback */
  source: text('source').notNull(),
  model: text('model').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type FaceRow = typeof faces.$inferSelect;
export type PersonRow = typeof people.$inferSelect;

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * What keyword search reads: one row per photo with the words of every field it can be found by, written by
 * `refreshSearchDocuments` whenever one of its sources changes. `document` weighs the fields (A: tags, people,
 * places, albums, keywords; B: caption and description; C: OCR text; D: file name and camera); `terms` lists the
 * suggestion terms the photo counts towards (kept so that a refresh can move the counts by the difference).
 */
export const photoSearch = pgTable(
  'photo_search',
  {
    photoId: uuid('photo_id')
      .primaryKey()
      .references(() => photos.id, { onDelete: 'cascade' }),
    ownerId: uuid('owner_id').notNull(),
    tags: text('tags').notNull().default(''),
    people: text('people').notNull().default(''),
    places: text('places').notNull().default(''),
    albums: text('albums').notNull().default(''),
    keywords: text('keywords').notNull().default(''),
    caption: text('caption').notNull().default(''),
    ocr: text('ocr').notNull().default(''),
    filename: text('filename').notNull().default(''),
    camera: text('camera').notNull().default(''),
    terms: text('terms').array().notNull().default(sql`'{}'::text[]`),
    document: tsvector('document').generatedAlwaysAs(
      sql`setweight(to_tsvector('shoebox', tags || ' ' || people || ' ' || places || ' ' || albums || ' ' || keywords), 'A') || setweight(to_tsvector('shoebox', caption), 'B') || setweight(to_tsvector('shoebox', ocr), 'C') || setweight(to_tsvector('shoebox', filename || ' ' || camera), 'D')`,
    ),
    /**
     * The A fields alone, with their own index: the first keyword pass ("the words are in a tag, a name, a
     * place…") is then an index lookup instead of a weight recheck of every photo the words occur in.
     */
    strong: tsvector('strong').generatedAlwaysAs(
      sql`to_tsvector('shoebox', tags || ' ' || people || ' ' || places || ' ' || albums || ' ' || keywords)`,
    ),
  },
  (t) => [
    index('photo_search_document_idx').using('gin', t.document),
    index('photo_search_strong_idx').using('gin', t.strong),
  ],
);

/**
 * Suggestion terms with the number of photos each one finds: tags, people, places, cameras, albums. Counts move
 * with each refresh of a photo's search row; a term at zero is kept (cheap) but never suggested.
 */
export const searchTerms = pgTable(
  'search_terms',
  {
    ownerId: uuid('owner_id').notNull(),
    /** tag | person | place | camera | album */
    kind: text('kind').notNull(),
    /** The value as lower-case text, or the person's/album's id. */
    key: text('key').notNull(),
    /** What the user sees and what the search box receives. */
    label: text('label').notNull(),
    normalized: text('normalized').notNull(),
    photos: integer('photos').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.ownerId, t.kind, t.key] }),
    index('search_terms_normalized_trgm_idx').using('gin', t.normalized.op('gin_trgm_ops')),
    index('search_terms_prefix_idx').on(t.ownerId, t.normalized.op('text_pattern_ops')),
  ],
);

const bit256 = customType<{ data: string }>({ dataType: () => 'bit(256)' });

/**
 * Multi-index lookup keys of a photo's PDQ hash (pdq-index.ts): 16 words of 16 bits, key = word index × 65536 +
 * word; two hashes within 31 bits share a key up to one bit, so a check probes 16 × 17 keys, not every photo.
 * Keys are stored for the photo's own hash and for its mirror image's, so a mirrored copy is found by the same
 * probe. The hash rides in the index (INCLUDE, see migration 0005): a probe confirms the distance without
 * reading the photos (~400 key hits per check at 100k photos, 0–2 of them real).
 */
export const photoPdqKeys = pgTable(
  'photo_pdq_keys',
  {
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    key: integer('key').notNull(),
    /** The hash the key came from: the photo's own, or its mirror image's. */
    hash: bit256('hash').notNull(),
    mirrored: boolean('mirrored').notNull(),
  },
  (t) => [index('photo_pdq_keys_lookup_idx').on(t.key), index('photo_pdq_keys_photo_idx').on(t.photoId)],
);

/**
 * A group of photos that are the same picture (`duplicate`: review, keep some, trash the rest) or a burst (same
 * camera within seconds, different frames: shown stacked, never offered for deletion). A group lives while it
 * waits for review: resolving or dismissing it remembers the pairs the user separated and removes the group.
 */
export const duplicateGroups = pgTable(
  'duplicate_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** duplicate | burst */
    kind: text('kind').notNull(),
    /** The member suggested to keep (largest pixels, then largest file, then earliest); the one shown when duplicates are hidden. */
    keeperId: uuid('keeper_id').references(() => photos.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('duplicate_groups_owner_idx').on(t.ownerId, t.kind)],
);

/** A photo in a group, with the evidence that put it there (which tier, matched to which photo, how close). */
export const duplicateMembers = pgTable(
  'duplicate_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => duplicateGroups.id, { onDelete: 'cascade' }),
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    /** duplicate | burst (the group's kind; a photo is in at most one group of each kind) */
    kind: text('kind').notNull(),
    /** first (started the group) | pdq | clip | burst */
    tier: text('tier').notNull(),
    matchedPhotoId: uuid('matched_photo_id').references(() => photos.id, { onDelete: 'set null' }),
    /** PDQ Hamming distance to the matched photo (bits), when PDQ was compared. */
    pdqDistance: integer('pdq_distance'),
    /** Whether the PDQ match was with a rotated or mirrored orientation. */
    pdqOrientation: text('pdq_orientation'),
    /** CLIP cosine similarity to the matched photo, when compared. */
    similarity: real('similarity'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.photoId] }),
    uniqueIndex('duplicate_members_photo_kind_uq').on(t.photoId, t.kind),
  ],
);

/** "Not duplicates": pairs the user separated, never grouped again (photo_a < photo_b). */
export const duplicateDismissals = pgTable(
  'duplicate_dismissals',
  {
    photoA: uuid('photo_a')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    photoB: uuid('photo_b')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.photoA, t.photoB] }), index('duplicate_dismissals_b_idx').on(t.photoB)],
);

/**
 * Albums: `manual` ones the user made (or kept), `auto` ones from clustering the CLIP embeddings; a dismissed
 * auto album stays (so regenerating does not bring it back) but is not listed.
 */
export const albums = pgTable(
  'albums',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    /** manual | auto */
    kind: text('kind').notNull().default('manual'),
    /** active | dismissed */
    status: text('status').notNull().default('active'),
    coverPhotoId: uuid('cover_photo_id').references(() => photos.id, { onDelete: 'set null' }),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    primaryCategory: text('primary_category'),
    /** Where an auto album's name came from: provider | fallback; user once renamed. */
    nameSource: text('name_source'),
    /** An auto album's centre (normalised CLIP embedding), for adding new photos to it incrementally. */
    centroid: real('centroid').array(),
    /** The photos an auto album was made from, sorted: regenerating recognises the same cluster. */
    signature: text('signature'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('albums_owner_idx').on(t.ownerId, t.kind, t.status)],
);

export const albumPhotos = pgTable(
  'album_photos',
  {
    albumId: uuid('album_id')
      .notNull()
      .references(() => albums.id, { onDelete: 'cascade' }),
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.albumId, t.photoId] }), index('album_photos_photo_idx').on(t.photoId)],
);

export * from './schema/accounts.js';
export * from './schema/sharing.js';
export * from './schema/creation.js';
export * from './schema/libraries.js';
export * from './schema/uploads.js';
