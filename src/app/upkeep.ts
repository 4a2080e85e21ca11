import type { Logger } from 'pino';
import { forgetOldFailures } from '../auth/throttle.js';
import { removeExpiredSessions } from '../auth/sessions.js';
import type { Db } from '../db/connection.js';
import type { Resources } from '../library/library.js';
import { removeExpiredReservations } from '../library/quota/index.js';
import { forgetGoneWorkers } from '../pipeline/heartbeat.js';
import { repairPersonPhotos } from '../search/person-photos.js';
import { forgetOldPhotoChanges } from '../library/photos/index.js';
import { foldPeopleCounts } from '../library/people/index.js';
import { foldAlbumCounts, repairAlbumOrder } from '../library/albums/index.js';

export const UPKEEP_INTERVAL_MS = 60 * 60 * 1000;

/** Rows removed by one purge, by kind. */
export interface Purged {
  sessions: number;
  passwordFailures: number;
  uploadReservations: number;
  workers: number;
  /** Versions of the photo_order log older than what a kept result is mended from (library/photos/order-changes.ts). */
  photoChanges: number;
}

/**
 * Rows nothing reads any more: sessions past their expiry, counts of failed password attempts (sign-ins and share
 * link passwords) an hour old, upload reservations whose process died, workers not seen for an hour, the oldest
 * versions of the photo changes log.
 */
export async function purgeStaleRows(db: Db): Promise<Purged> {
  return {
    sessions: await removeExpiredSessions(db),
    passwordFailures: await forgetOldFailures(db),
    uploadReservations: await removeExpiredReservations(db),
    workers: await forgetGoneWorkers(db),
    photoChanges: await forgetOldPhotoChanges(db),
  };
}

async function purge(db: Db, logger: Logger): Promise<void> {
  const purged = await purgeStaleRows(db);
  if (Object.values(purged).some((n) => n > 0)) logger.info(purged, 'stale rows removed');
}

/**
 * The periodic upkeep of `serve`: stale rows go at the start and every hour (on both engines; each server of a
 * cluster may do it, deleting what is gone is harmless). And what Postgres' autovacuum would do, for the embedded
 * database (PGlite has none): every hour, vacuum the duplicate-check keys so that their probe stays an index-only
 * scan (rows written since the last vacuum cost a heap read per key hit: +4 ms p50 at 100k photos,
 * bench/README.md; ~2 s of vacuum there), and the photos so that the timeline's counts and deep pages stay
 * index-only too, with statistics that know how many days the library spans, and album_photos, whose rows trash,
 * restore and new dates rewrite. A PostgreSQL server vacuums by
 * itself. Every hour too, each person's photos in date order are checked against the faces (search/person-photos.ts:
 * the triggers keep them exact, the check puts right the rare date two transactions leave behind; not at the start,
 * where it would read every face of the library for nothing). At the start and every hour, the changes to people's
 * counts that the triggers inserted are folded into the people's rows (library/people/counts.ts; the people page
 * folds too when many wait), and so are albums' (library/albums/counts.ts), whose photos' order and counts are
 * checked hourly too. The purge at the start is done when this returns, so
 * that nothing written after the server is up races with it. The timer does not keep the process alive; `stop`
 * waits for a run in progress.
 */
export async function scheduleUpkeep(lib: Resources, intervalMs: number = UPKEEP_INTERVAL_MS): Promise<{ stop(): Promise<void> }> {
  const pglite = lib.database.kind === 'embedded' ? lib.database.pglite : undefined;
  let running: Promise<void> | null = null;
  const start = (hourly: boolean) => {
    if (running) return;
    running = purge(lib.db, lib.logger)
      .catch((error: unknown) => lib.logger.warn({ err: error }, 'removing stale rows failed'))
      .then(() => foldPeopleCounts(lib.db))
      .catch((error: unknown) => lib.logger.warn({ err: error }, "folding people's counts failed"))
      .then(() => (hourly ? repairPersonPhotos(lib.db) : 0))
      .then((repaired) => (repaired > 0 ? lib.logger.info({ rows: repaired }, "people's photos in date order put right") : undefined))
      .catch((error: unknown) => lib.logger.warn({ err: error }, "checking people's photos in date order failed"))
      .then(() => foldAlbumCounts(lib.db))
      .then(() => (hourly ? repairAlbumOrder(lib.db) : 0))
      .then((repaired) => (repaired > 0 ? lib.logger.info({ rows: repaired }, "albums' order and counts put right") : undefined))
      .catch((error: unknown) => lib.logger.warn({ err: error }, "folding or checking albums' counts failed"))
      .then(() => (hourly ? pglite?.exec('VACUUM (ANALYZE, INDEX_CLEANUP ON) photo_pdq_keys') : undefined))
      // one statement per call: several in one exec are one transaction block, where VACUUM cannot run
      .then(() => (hourly ? pglite?.exec('VACUUM (ANALYZE) photos') : undefined))
      // the counts' changes are written and deleted all day: without a vacuum (PGlite has no autovacuum) their
      // table and index only grow, and every people page reads through the empty pages
      .then(() => (hourly ? pglite?.exec('VACUUM people_count_deltas') : undefined))
      .then(() => (hourly ? pglite?.exec('VACUUM album_count_deltas') : undefined))
      // album_photos' rows are rewritten when their photo is trashed, restored or re-dated (migration 0045)
      .then(() => (hourly ? pglite?.exec('VACUUM (ANALYZE) album_photos') : undefined))
      .then(() => undefined)
      .catch((error: unknown) => lib.logger.warn({ err: error }, "vacuuming the duplicate keys, photos, album photos and the counts' changes failed"))
      .finally(() => {
        running = null;
      });
  };
  start(false); // a server restarted often still purges; the check and vacuuming wait for the hour
  await running;
  const timer = setInterval(() => start(true), intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
