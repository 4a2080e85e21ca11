// The one door for new photos. Every source — an upload, an import, a generated image, a file of a library in
// place — makes its photo here: deduplicated by checksum for its owner, with its origin and provenance, its row and
// its pending steps in one transaction; and photos go to the pipeline's queue here. Recovery (app/) is the only
// other filler of the queue. A next source (videos, Takeout) is one more caller, not another copy.
import { and, eq, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { photos, photoSteps, type Provenance } from '../../db/schema.js';
import { STEP_NAMES } from '../../model/photo-state.js';
import { arrivingStep } from '../../model/video.js';
import { refreshSearchDocuments } from '../../search/documents.js';
import type { Library } from '../library.js';
import { owns } from '../../scope/rows.js';
import { mayChange } from '../actors.js';

/** Where a photo came from: it decides its origin, provenance and whether its file is Shoebox's own copy. */
export type PhotoSource =
  | { kind: 'upload' }
  | { kind: 'import'; sourcePath: string }
  | { kind: 'generated'; provenance: Provenance }
  | { kind: 'in-place'; libraryId: string; path: string; sidecarPath: string | null };

/** A photo about to be made: its bytes (already kept where `storageKey` says) and what is known of its file. */
export interface Arrival {
  sha256: string;
  /** As the library keeps it (ingest.ts cleanFileName). */
  filename: string;
  mime: string;
  sizeBytes: number;
  fileModifiedAt: Date | null;
  storageKey: string;
  /** The storage location holding it; null: the main store. */
  storageLocation: string | null;
  source: PhotoSource;
}

export interface Admitted {
  id: string;
  state: string;
  /** The owner had a photo with these bytes (also when it arrived at the same moment): `id` is that photo. */
  duplicate: boolean;
}

/** The owner's photo with these bytes, if any: as its file, or as its Live Photo's MOV (library/live-photos/live-photos.ts). */
export async function photoWithBytes(lib: Library, sha256: string): Promise<{ id: string; state: string } | null> {
  const [row] = await lib.db
    .select({ id: photos.id, state: photos.state })
    .from(photos)
    .where(and(owns(lib, photos), or(eq(photos.sha256, sha256), and(sql`${photos.motion}->>'source' = 'live'`, sql`${photos.motion}->>'sha256' = ${sha256}`))))
    .limit(1);
  return row ?? null;
}

/**
 * Makes the photo: its row and pending steps (those its library runs) in one transaction, in which `within` runs first (a quota claim, a
 * library kept alive while its scan makes photos). Findable by its file name at once, unless `indexLater` (a scan
 * indexes its new photos in batches). The caller queues it (queuePhotos), after attaching anything that belongs
 * to it (a sidecar).
 */
export async function admitPhoto(
  lib: Library,
  arrival: Arrival,
  options: { within?: (tx: Db) => Promise<void>; indexLater?: boolean } = {},
): Promise<Admitted> {
  mayChange(lib, 'upload');
  // a step the library leaves out (the catalogue without the creation tools) gets no row: it is none of the item's work
  const leftOut = await lib.stepsLeftOut();
  const steps = STEP_NAMES.filter((step) => !(step in leftOut));
  const inserted = await lib.db.transaction(async (tx) => {
    await options.within?.(tx as unknown as Db);
    const [row] = await tx
      .insert(photos)
      .values({ ownerId: lib.ownerId, ...columnsOf(arrival) })
      .onConflictDoNothing()
      .returning({ id: photos.id, state: photos.state });
    if (row) await tx.insert(photoSteps).values(steps.map((step) => ({ photoId: row.id, step, ...arrivingStep(step, arrival.mime) })));
    return row ?? null;
  });
  if (inserted) {
    if (!options.indexLater) await refreshSearchDocuments(lib.db, [inserted.id]);
    return { ...inserted, duplicate: false };
  }
  // the same bytes arrived at once through another way in (an upload, another library): that photo won
  const winner = await photoWithBytes(lib, arrival.sha256);
  if (!winner) throw new Error(`photo with sha256 ${arrival.sha256} vanished while it was added`);
  return { ...winner, duplicate: true };
}

function columnsOf(arrival: Arrival) {
  const { source } = arrival;
  const common = {
    sha256: arrival.sha256,
    filename: arrival.filename,
    storageKey: arrival.storageKey,
    storageLocation: arrival.storageLocation,
    mime: arrival.mime,
    sizeBytes: arrival.sizeBytes,
    fileModifiedAt: arrival.fileModifiedAt,
    takenAt: arrival.fileModifiedAt, // until its metadata says when it was taken
  };
  switch (source.kind) {
    case 'upload':
      return { ...common, sourcePath: null };
    case 'import':
      return { ...common, sourcePath: source.sourcePath };
    case 'generated':
      return {
        ...common,
        sourcePath: null,
        origin: 'generated',
        provenance: source.provenance,
        sourcePhotoId: source.provenance.sourcePhotoId,
        generationJobId: source.provenance.jobId,
      };
    case 'in-place':
      return { ...common, sourcePath: source.path, sidecarKey: source.sidecarPath, libraryId: source.libraryId };
  }
}

/**
 * Puts photos on the pipeline's queue: new ones, and ones whose steps were reset (a retry, a reprocess, an edit);
 * src/pipeline/runner.ts takes them (`routePhoto`, then `runLane` per lane).
 * With `waitMs`, waits at most that long (Redis gone: the photos are in the database as unfinished and are queued
 * again when it is back, app/open.ts) and answers whether all were queued.
 */
export async function queuePhotos(lib: Library, ids: readonly string[], options: { waitMs?: number } = {}): Promise<boolean> {
  const queued = (async () => {
    for (const id of ids) await lib.queue.add(id);
  })();
  if (options.waitMs === undefined) {
    await queued;
    return true;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), options.waitMs)));
  try {
    return await Promise.race([queued.then(() => true), late]);
  } finally {
    clearTimeout(timer);
    queued.catch(() => undefined); // finished or failed later: the database still says what is left
  }
}
