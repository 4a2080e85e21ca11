import { and, asc, desc, eq, gte, ilike, inArray, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { photoCaptions, photoOcr, photos, photoSteps, photoTags, type PhotoRow, type StepRow } from '../db/schema.js';
import { rows } from '../db/connection.js';
import {
  STEP_NAMES,
  stepsToRetry,
  withDependents,
  type PhotoState,
  type StepName,
  type StepStatus,
} from '../pipeline/state.js';
import { categoriesOfPhotos } from './categories.js';
import type { Library } from './library.js';
import { dropEmptyPeople, listFaces } from './people.js';
import { forgetSearchDocuments } from '../search/documents.js';
import { containsPattern, notDuplicateCopy } from '../search/filters.js';
import { leaveGroups } from './duplicates/groups.js';

export interface PhotoListQuery {
  page: number;
  limit: number;
  from?: Date;
  to?: Date;
  state?: PhotoState;
  camera?: string;
  hasGps?: boolean;
  /** Album id: photos in that album. */
  album?: string;
  /** One photo per duplicate group (its suggested keeper). */
  hideDuplicates?: boolean;
}

/** The date a photo sorts by: taken, else the file's date, else when it arrived. */
const sortDate = sql`coalesce(${photos.takenAt}, ${photos.createdAt})`;

export function photoListItem(photo: PhotoRow) {
  return {
    id: photo.id,
    state: photo.state,
    filename: photo.filename,
    takenAt: photo.takenAtText ?? photo.takenAt?.toISOString() ?? null,
    width: photo.width,
    height: photo.height,
    mime: photo.mime,
    sizeBytes: photo.sizeBytes,
    make: photo.make,
    model: photo.model,
    hasGps: photo.latitude !== null && photo.longitude !== null,
    favorite: photo.favorite,
    createdAt: photo.createdAt.toISOString(),
    deletedAt: photo.deletedAt?.toISOString() ?? null,
  };
}

export function photoMetadata(photo: PhotoRow) {
  return {
    takenAt: photo.takenAtText,
    timeZone: photo.timeZone,
    latitude: photo.latitude,
    longitude: photo.longitude,
    orientation: photo.orientation,
    make: photo.make,
    model: photo.model,
    lens: photo.lens,
    rating: photo.rating,
    keywords: photo.keywords,
    description: photo.description,
    place:
      photo.placeSource === null
        ? null
        : {
            city: photo.placeCity,
            state: photo.placeState,
            country: photo.placeCountry,
            countryCode: photo.placeCountryCode,
            source: photo.placeSource as 'metadata' | 'geocoded',
          },
  };
}

export function stepSummary(stepRows: StepRow[]) {
  const byName = new Map(stepRows.map((row) => [row.step, row]));
  return Object.fromEntries(
    STEP_NAMES.map((name) => {
      const row = byName.get(name);
      return [
        name,
        {
          status: (row?.status ?? 'pending') as StepStatus,
          error: row?.error ?? null,
          durationMs: row?.durationMs ?? null,
          version: row?.version ?? null,
          attempts: row?.attempts ?? 0,
        },
      ];
    }),
  ) as Record<StepName, { status: StepStatus; error: string | null; durationMs: number | null; version: string | null; attempts: number }>;
}

export async function listPhotos(lib: Library, query: PhotoListQuery) {
  const conditions: SQL[] = [eq(photos.ownerId, lib.ownerId), isNull(photos.deletedAt)];
  if (query.from) conditions.push(gte(sortDate, query.from));
  if (query.to) conditions.push(lte(sortDate, query.to));
  if (query.state) conditions.push(eq(photos.state, query.state));
  if (query.camera) {
    // "canon eos" matches make + model together; concat_ws skips a missing make or model.
    conditions.push(ilike(sql`concat_ws(' ', ${photos.make}, ${photos.model})`, containsPattern(query.camera)));
  }
  if (query.hasGps === true) conditions.push(and(isNotNull(photos.latitude), isNotNull(photos.longitude))!);
  if (query.hasGps === false) conditions.push(or(isNull(photos.latitude), isNull(photos.longitude))!);
  if (query.album) conditions.push(sql`exists (select 1 from album_photos ap where ap.photo_id = ${photos.id} and ap.album_id = ${query.album}::uuid)`);
  if (query.hideDuplicates) conditions.push(notDuplicateCopy(sql`${photos.id}`));
  const where = and(...conditions);
  const [items, [count]] = await Promise.all([
    lib.db
      .select()
      .from(photos)
      .where(where)
      .orderBy(desc(sortDate), desc(photos.id))
      .limit(query.limit)
      .offset((query.page - 1) * query.limit),
    lib.db.select({ total: sql<number>`count(*)::int` }).from(photos).where(where),
  ]);
  return { items: items.map(photoListItem), total: count?.total ?? 0, page: query.page, limit: query.limit };
}

/** The user's own marks on a photo (the file's metadata stays as it is). */
export async function updatePhoto(lib: Library, id: string, changes: { favorite?: boolean }): Promise<boolean> {
  const updated = await lib.db
    .update(photos)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(photos.id, id), eq(photos.ownerId, lib.ownerId)))
    .returning({ id: photos.id });
  return updated.length > 0;
}

/** The owner's photo, in the trash or not (`deletedAt` says which). */
export async function findPhoto(lib: Library, id: string): Promise<PhotoRow | null> {
  const [photo] = await lib.db
    .select()
    .from(photos)
    .where(and(eq(photos.id, id), eq(photos.ownerId, lib.ownerId)));
  return photo ?? null;
}

export async function getPhotoDetail(lib: Library, id: string) {
  const photo = await findPhoto(lib, id);
  if (!photo) return null;
  const [stepRows, analysis, albumList] = await Promise.all([
    lib.db.select().from(photoSteps).where(eq(photoSteps.photoId, id)),
    photoAnalysis(lib, id),
    // the active albums it is in, manual and automatic
    rows<{ id: string; name: string }>(
      lib.db,
      sql`select a.id, a.name from album_photos ap join albums a on a.id = ap.album_id
          where ap.photo_id = ${id}::uuid and a.status = 'active' order by lower(a.name), a.id`,
    ),
  ]);
  return {
    ...photoListItem(photo),
    sha256: photo.sha256,
    sourcePath: photo.sourcePath,
    hasSidecar: photo.sidecarKey !== null,
    updatedAt: photo.updatedAt.toISOString(),
    metadata: photoMetadata(photo),
    pdq: photo.pdqHash ? { hash: photo.pdqHash, quality: photo.pdqQuality ?? 0 } : null,
    palette: photo.palette ?? null,
    steps: stepSummary(stepRows),
    ...analysis,
    albums: albumList,
  };
}

/** What the AI steps found: faces with their people, tags, categories, text, caption, embedding model. */
async function photoAnalysis(lib: Library, id: string) {
  const [faceList, tags, categoryMap, [ocr], [caption], [embedding]] = await Promise.all([
    listFaces(lib, { photoId: id }),
    lib.db
      .select({ name: photoTags.tag, confidence: photoTags.confidence })
      .from(photoTags)
      .where(eq(photoTags.photoId, id))
      .orderBy(desc(photoTags.confidence), asc(photoTags.tag)),
    categoriesOfPhotos(lib.db, [id]),
    lib.db.select().from(photoOcr).where(eq(photoOcr.photoId, id)),
    lib.db.select().from(photoCaptions).where(eq(photoCaptions.photoId, id)),
    rows<{ model: string; dimensions: number }>(
      lib.db,
      sql`select model, vector_dims(embedding) as dimensions from photo_embeddings where photo_id = ${id}`,
    ),
  ]);
  return {
    faces: faceList,
    tags,
    categories: categoryMap.get(id) ?? [],
    ocr: ocr ? { text: ocr.text, confidence: ocr.confidence, languages: ocr.languages, words: ocr.words ?? [] } : null,
    caption: caption
      ? {
          caption: caption.caption,
          description: caption.description,
          primaryCategory: caption.primaryCategory,
          tags: caption.tags,
          detectedObjects: caption.detectedObjects,
          sceneType: caption.sceneType,
          suggestedClusterName: caption.suggestedClusterName,
          qualityGrade: caption.qualityGrade,
          qualityReason: caption.qualityReason,
          source: caption.source,
          model: caption.model,
        }
      : null,
    embedding: embedding ? { model: embedding.model, dimensions: embedding.dimensions } : null,
  };
}

/**
 * Removes the photo for good (from the library or from the trash): its rows and every file derived from it;
 * the original goes when no other photo uses it. Moving to the trash is trashPhotos (trash.ts).
 */
export async function deletePhoto(lib: Library, id: string, options: { onlyFromTrash?: boolean } = {}): Promise<boolean> {
  const photo = await findPhoto(lib, id);
  if (!photo || (options.onlyFromTrash && !photo.deletedAt)) return false;
  await forgetSearchDocuments(lib.db, [id]);
  await leaveGroups(lib.db, [id]); // before the row goes, so that a group left with one photo goes too
  await lib.db.delete(photos).where(eq(photos.id, id));
  // Its faces went with it; an unnamed person left with none goes too (a named one is the user's).
  await dropEmptyPeople(lib.db, lib.ownerId);
  const [shared] = await lib.db.select({ id: photos.id }).from(photos).where(eq(photos.storageKey, photo.storageKey)).limit(1);
  if (!shared) await lib.storage.remove(photo.storageKey);
  if (photo.sidecarKey) await lib.storage.remove(photo.sidecarKey);
  await lib.storage.removeDerived(id);
  return true;
}

/** Puts a photo's failed and skipped steps back to pending and queues it. Returns the steps reset, or null. */
export async function retryPhoto(lib: Library, id: string): Promise<StepName[] | null> {
  const photo = await findPhoto(lib, id);
  if (!photo) return null;
  const stepRows = await lib.db.select().from(photoSteps).where(eq(photoSteps.photoId, id));
  const statuses = Object.fromEntries(stepRows.map((r) => [r.step, r.status])) as Partial<Record<StepName, StepStatus>>;
  const reset = stepsToRetry(statuses);
  if (reset.length > 0) {
    await lib.db
      .update(photoSteps)
      .set({ status: 'pending', error: null })
      .where(and(eq(photoSteps.photoId, id), inArray(photoSteps.step, reset)));
    await lib.db.update(photos).set({ state: 'pending', updatedAt: new Date() }).where(eq(photos.id, id));
    await lib.queue.add(id);
  }
  return reset;
}

/**
 * Runs a step again over the library: by default where it failed or was skipped, with `all` everywhere.
 * Steps that depend on it run again too. Returns how many photos were queued.
 */
export async function reprocessStep(lib: Library, step: StepName, options: { all?: boolean } = {}): Promise<number> {
  const statuses = options.all ? ['pending', 'done', 'failed', 'skipped'] : ['failed', 'skipped'];
  const targets = await lib.db
    .select({ id: photos.id })
    .from(photos)
    .innerJoin(photoSteps, eq(photoSteps.photoId, photos.id))
    .where(and(eq(photos.ownerId, lib.ownerId), isNull(photos.deletedAt), eq(photoSteps.step, step), inArray(photoSteps.status, statuses)))
    .orderBy(asc(photos.createdAt));
  const ids = targets.map((t) => t.id);
  const steps = withDependents(step);
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await lib.db
      .update(photoSteps)
      .set({ status: 'pending', error: null })
      .where(and(inArray(photoSteps.photoId, chunk), inArray(photoSteps.step, steps)));
    await lib.db.update(photos).set({ state: 'pending', updatedAt: new Date() }).where(inArray(photos.id, chunk));
  }
  for (const id of ids) await lib.queue.add(id);
  return ids.length;
}

export async function countByState(lib: Library): Promise<Record<string, number>> {
  const counted = await lib.db
    .select({ state: photos.state, count: sql<number>`count(*)::int` })
    .from(photos)
    .where(and(eq(photos.ownerId, lib.ownerId), isNull(photos.deletedAt)))
    .groupBy(photos.state);
  const result: Record<string, number> = { pending: 0, processing: 0, completed: 0, partial: 0, failed: 0 };
  for (const row of counted) result[row.state] = row.count;
  return result;
}

export async function libraryStats(lib: Library) {
  const byState = await countByState(lib);
  const stepRows = await rows<{ step: string; status: string; count: number; avg_ms: number | null }>(
    lib.db,
    sql`select s.step, s.status, count(*)::int as count, avg(s.duration_ms)::float8 as avg_ms
        from photo_steps s join photos p on p.id = s.photo_id
        where p.owner_id = ${lib.ownerId} and p.deleted_at is null
        group by s.step, s.status`,
  );
  const steps = Object.fromEntries(
    STEP_NAMES.map((name) => [
      name,
      { pending: 0, running: 0, done: 0, skipped: 0, failed: 0, averageDurationMs: null as number | null },
    ]),
  );
  for (const row of stepRows) {
    const entry = steps[row.step];
    if (!entry) continue;
    (entry as Record<string, number | null>)[row.status] = row.count;
    if (row.status === 'done' && row.avg_ms !== null) entry.averageDurationMs = Math.round(row.avg_ms * 10) / 10;
  }
  const total = Object.values(byState).reduce((a, b) => a + b, 0);
  const [trash] = await lib.db
    .select({ count: sql<number>`count(*)::int` })
    .from(photos)
    .where(and(eq(photos.ownerId, lib.ownerId), isNotNull(photos.deletedAt)));
  return { total, states: byState, steps, trashed: trash?.count ?? 0, queueDepth: await lib.queue.depth() };
}

export async function photoStates(lib: Library, ids: string[]): Promise<Record<string, string>> {
  if (ids.length === 0) return {};
  const found = await lib.db
    .select({ id: photos.id, state: photos.state })
    .from(photos)
    .where(and(eq(photos.ownerId, lib.ownerId), inArray(photos.id, ids)));
  return Object.fromEntries(found.map((row) => [row.id, row.state]));
}
