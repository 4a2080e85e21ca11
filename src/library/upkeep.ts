import { forgetOldFailures } from '../auth/throttle.js';
import type { LibraryContext } from './library.js';

export const UPKEEP_INTERVAL_MS = 60 * 60 * 1000;

/**
 * What Postgres' autovacuum would do, for the embedded database (PGlite has none): every hour, vacuum the
 * duplicate-check keys so that their probe stays an index-only scan (rows written since the last vacuum cost a
 * heap read per key hit: +4 ms p50 at 100k photos, bench/README.md; ~2 s of vacuum there), and the photos so
 * that the timeline's counts and deep pages stay index-only too, with statistics that know how many days the
 * library spans. A PostgreSQL server vacuums by itself. On both engines, counts of failed password attempts an hour
 * old are removed. The timer does not keep the process alive; `stop` waits for a run in progress.
 */
export function scheduleUpkeep(lib: LibraryContext, intervalMs: number = UPKEEP_INTERVAL_MS): { stop(): Promise<void> } {
  const pglite = lib.database.kind === 'embedded' ? lib.database.pglite : undefined;
  let running: Promise<void> | null = null;
  const run = () => {
    if (running) return;
    // on either engine: failed password attempts an hour old are forgotten (src/auth/throttle.ts)
    const forget = forgetOldFailures(lib.db).catch((error: unknown) => lib.logger.warn({ err: error }, 'forgetting old failed password attempts failed'));
    running = forget
      .then(() => pglite?.exec('VACUUM (ANALYZE, INDEX_CLEANUP ON) photo_pdq_keys'))
      // one statement per call: several in one exec are one transaction block, where VACUUM cannot run
      .then(() => pglite?.exec('VACUUM (ANALYZE) photos'))
      .then(() => undefined)
      .catch((error: unknown) => lib.logger.warn({ err: error }, 'vacuuming the duplicate keys and photos failed'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
