// Steps that fail for want of a service (the object store down, a timeout talking to it) are tried again by
// themselves, later and less often each time; a step that fails on the photo itself (a corrupt file) is not.

import { isDatabaseUnavailable, someCause } from '../db/availability.js';

/** Tries in all before a step that keeps failing for want of a service stays failed (a person can retry it). */
export const TRANSIENT_ATTEMPTS = 8;
/** The longest wait between two tries. */
const MAX_DELAY_MS = 60 * 60 * 1000;

/** Whether an error says a service was unavailable (errors mark it with `transient`, on them or their cause). */
export function isTransient(error: unknown): boolean {
  return someCause(error, (current) => (current as { transient?: unknown }).transient === true);
}

/** Whether work that met the error is worth doing again later: a service was unavailable, or the database. */
export function isWorthRetrying(error: unknown): boolean {
  return isTransient(error) || isDatabaseUnavailable(error);
}

/** When a step that failed on its `attempt`-th try (1 and up) is tried again: null when it has had its tries. */
export function retryDelayMs(attempt: number, baseMs: number): number | null {
  if (attempt >= TRANSIENT_ATTEMPTS) return null;
  return Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** The failure's text with when it is tried next, as the photo's page shows it. */
export function retryNote(attempt: number, delayMs: number): string {
  const seconds = Math.round(delayMs / 1000);
  const when = seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
  return `; trying again in ${when} (try ${attempt} of ${TRANSIENT_ATTEMPTS})`;
}
