// The photos themselves: one row per original kept for an owner, with what its file says about it.
import { sql } from 'drizzle-orm';
import { bigint, boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { FaceRegion } from '../../model/face-region.js';
import type { Encoding, Lineage } from '../../model/file-facts.js';
import type { ImageQuality } from '../../model/image-quality.js';
import type { StoredEdit } from '../../model/photo-edit.js';
import type { MotionInfo, VideoInfo } from '../../model/video.js';
import type { Provenance } from './provenance.js';
import { users } from './users.js';

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
    /** The user set (or removed) the position, on the map: reading the file again keeps theirs and its place names. */
    locationByUser: boolean('location_by_user').notNull().default(false),
    orientation: integer('orientation'),
    make: text('make'),
    model: text('model'),
    lens: text('lens'),
    /** The file's rating (EXIF/XMP, 0–5), or the user's once they set one (see ratingByUser). */
    rating: integer('rating'),
    /** The user set (or cleared) the rating: re-reading the file's metadata leaves it alone. */
    ratingByUser: boolean('rating_by_user').notNull().default(false),
    keywords: text('keywords')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    description: text('description'),
    pdqHash: text('pdq_hash'),
    pdqQuality: integer('pdq_quality'),
    /** PDQ of the seven other orientations (PDQ_DIHEDRAL_NAMES order): a mirrored copy is ~128 bits away otherwise. */
    pdqVariants: text('pdq_variants').array(),
    palette: jsonb('palette').$type<{ hex: string; share: number }[]>(),
    /** Sharpness per tile and exposure of the upright preview (hashes step): what the best shot is chosen by. */
    quality: jsonb('quality').$type<ImageQuality>(),
    /**
     * When the thumbnail and preview were last written (null: never). A photo shows in the library from then on,
     * while its other steps run, and stays shown while any step, preprocessing included, is redone.
     */
    thumbnailAt: timestamp('thumbnail_at', { withTimezone: true }),
    /** People the file names (MWG / Microsoft face regions, metadata step): name and box on the upright image, 0–1. */
    faceRegions: jsonb('face_regions').$type<FaceRegion[]>(),
    /**
     * People the file names without a place on the image (XMP PersonInImage, a Google Takeout sidecar's people[]),
     * metadata step; put on a face where one name and one face are left (library/people/hints.ts), else shown as hints.
     */
    peopleNamed: text('people_named').array(),
    /**
     * Archived by the user (or by an import: Google Photos' archive, iCloud's hidden): out of the timeline, kept in
     * albums, a person's photos, the favourites, search and the archive's own list (photo-filter.ts).
     */
    archived: boolean('archived').notNull().default(false),
    /**
     * The user's non-destructive edit (quarter turns, a crop) with the upright original's size; null: none. The
     * original never changes; width and height, the renditions and the faces are the edited image's.
     */
    edit: jsonb('edit').$type<StoredEdit>(),
    /** A video's length (preprocessing, from ffprobe); null for a photo, or before it was probed. */
    durationMs: integer('duration_ms'),
    /** A video's streams as probed: container, codecs, frame rate, rotation, coded size, bit rate. */
    video: jsonb('video').$type<VideoInfo>(),
    /** A motion photo's short video (the metadata step finds it, the transcode step probes it); null: a still. */
    motion: jsonb('motion').$type<MotionInfo>(),
    /**
     * An Apple Live Photo's content identifier, on its still and on its MOV until the two meet: then the MOV is part
     * of the still (motion.source 'live') and its own row is gone (library/live-photos/live-photos.ts).
     */
    liveId: text('live_id'),
    /**
     * What may stack the photo with others (library/stacks/rules.ts, written by the metadata step): `name:` its base
     * name without an edit suffix or a raw/HEIC/JPEG extension, `burst:` a burst's identifier (Apple's BurstUUID, or the
     * one a phone puts in its burst frames' names). Photos sharing a key are stacked when their capture times agree.
     */
    stackKeys: text('stack_keys').array(),
    /**
     * How the file stores its pixels (lossless or not, bits per channel) and what its own tags say of its making (the
     * camera's maker notes, the software that wrote it, XMP document ids): the metadata step writes them, the
     * duplicates' rules read them to tell a source from its copies. Null: not read yet (a photo stored before them,
     * until `reprocess --step metadata`): the rules then go by the format alone.
     */
    encoding: jsonb('encoding').$type<Encoding>(),
    lineage: jsonb('lineage').$type<Lineage>(),
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
    /** What the user marked on it was last written to its sidecar (write-back, library/write-back/write-back.ts); null: due. */
    writtenBackAt: timestamp('written_back_at', { withTimezone: true }),
    /** In the trash since then (restorable until the trash is emptied); null for a live photo. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * When it last joined a run of work (admitted, retried, reopened: its state became pending or processing from
     * another), set by the trigger `photos_run_joined` (migration 0041). The Jobs page's run begins at the earliest of
     * the working photos'; `updated_at` could not say it, as every step writes it.
     */
    runJoinedAt: timestamp('run_joined_at', { withTimezone: true }),
    /**
     * When it was taken on the camera's clock (the digits of taken_at_text, without their offset), else the file
     * date in UTC, else null (undated): what the timeline groups by day and month and what lists sort by, so
     * that a day's photos are together whatever time zone each was taken in.
     */
    takenLocal: timestamp('taken_local').generatedAlwaysAs(TAKEN_LOCAL),
  },
  (t) => [
    index('photos_trash_idx')
      .on(t.ownerId, t.deletedAt)
      .where(sql`${t.deletedAt} is not null`),
    uniqueIndex('photos_owner_sha256_uq').on(t.ownerId, t.sha256),
    index('photos_owner_sort_idx').on(t.ownerId, sql`coalesce(${t.takenAt}, ${t.createdAt}) desc`, t.id),
    index('photos_state_idx').on(t.state),
    // places named in a search ("videos from Lisbon"): the photos of a place without reading every row
    index('photos_place_city_idx')
      .on(t.placeCity)
      .where(sql`${t.placeCity} is not null`),
    index('photos_place_state_idx')
      .on(t.placeState)
      .where(sql`${t.placeState} is not null`),
    index('photos_place_country_idx')
      .on(t.placeCountry)
      .where(sql`${t.placeCountry} is not null`),
    // the place filter ("in Lisbon", ?place=): a photo's names folded as the filter compares them (migration 0042)
    index('photos_place_names_idx').using('gin', sql`shoebox_place_names(${t.placeCity}, ${t.placeState}, ${t.placeCountry}, ${t.placeCountryCode})`),
    index('photos_storage_key_idx').on(t.storageKey),
    // a Live Photo's other half, looked for when either arrives; its MOV found by its bytes and its file
    index('photos_live_idx')
      .on(t.ownerId, t.liveId)
      .where(sql`${t.liveId} is not null`),
    index('photos_stack_keys_idx').using('gin', t.stackKeys),
    index('photos_live_sha256_idx')
      .on(sql`(${t.motion}->>'sha256')`)
      .where(sql`${t.motion}->>'source' = 'live'`),
    index('photos_live_key_idx')
      .on(sql`(${t.motion}->>'key')`)
      .where(sql`${t.motion}->>'source' = 'live'`),
    index('photos_favorite_idx')
      .on(t.ownerId)
      .where(sql`${t.favorite}`),
    // The timeline's order (newest taken first, undated last, newest upload, then id as the tiebreaker); holds
    // every column the order needs, so a deep page is skipped over in the index alone, and `archived` after the
    // unique id (it orders nothing): the timeline leaves the archive out and counts its photos from the index alone.
    index('photos_timeline_idx')
      .on(t.ownerId, t.takenLocal.desc().nullsLast(), t.createdAt.desc(), t.id.desc(), t.archived)
      .where(sql`${t.deletedAt} is null`),

    // the jobs feed asks "did anything change?" every second: the latest change, from the index
    index('photos_updated_idx').on(t.updatedAt),
    index('photos_source_idx')
      .on(t.sourcePhotoId)
      .where(sql`${t.sourcePhotoId} is not null`),
    // a generation job's images (its progress, read every second while someone watches; what a resumed job skips)
    index('photos_generation_job_idx')
      .on(t.generationJobId)
      .where(sql`${t.generationJobId} is not null`),
    index('photos_library_idx')
      .on(t.libraryId)
      .where(sql`${t.libraryId} is not null`),
    // the grace period's sweep: offline photos, oldest first
    index('photos_offline_idx')
      .on(t.offlineAt)
      .where(sql`${t.offlineAt} is not null`),
  ],
);

export type PhotoRow = typeof photos.$inferSelect;
