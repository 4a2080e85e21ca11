// What a server's start makes of an import a stop left importing. It is run again (an import is idempotent), unless
// the server crashed twice in a row at the same place in it: an archive that kills the process (it once took a 250 MB
// CSV to 4.4 GB) would otherwise kill it again at every start, and only removing the archive by hand got the server
// back. The place is the import's progress, which its run records as it goes: how many of its items, from the first,
// are in (./run.ts), of how many — 0 of 0 while it reads its archives, all of them while it gives albums and marks.
// Pure.
import type { ImportStops } from '../../db/schema.js';

export type { ImportStops };

/** Crashes in a row at one place that fail the import. */
export const CRASHES_TO_FAIL = 2;

export interface Place {
  done: number;
  total: number;
}

/** Where in the import a place is, in words. */
export function placeInWords(place: Place): string {
  if (place.total === 0) return 'while it read its archives';
  if (place.done >= place.total) return "while it gave the photos the export's albums, favourites and trash";
  return `at item ${(place.done + 1).toLocaleString('en')} of ${place.total.toLocaleString('en')}`;
}

/**
 * The import's stops once this start counts the last one, and why it fails now, if it does. `inFlight`: items one
 * run imports side by side — a crash at one item leaves the count short by up to that many less one, by chance.
 */
export function afterStop(previous: ImportStops | null, place: Place, inFlight: number): { stops: ImportStops; failure: string | null } {
  // the server stopped it itself: not a crash, the count stands
  if (previous?.orderly) return { stops: { ...previous, orderly: false }, failure: null };
  const same = previous !== null && previous.crashes > 0 && previous.total === place.total && Math.abs(previous.done - place.done) <= Math.max(0, inFlight - 1);
  const crashes = same ? previous.crashes + 1 : 1;
  const stops = { done: place.done, total: place.total, crashes, orderly: false };
  if (crashes < CRASHES_TO_FAIL) return { stops, failure: null };
  return {
    stops,
    failure:
      `the server stopped (crashed or was killed) ${crashes} times in a row at the same place in this import, ${placeInWords(place)}: ` +
      'it is not run again by itself. Remove it, or start it again.',
  };
}
