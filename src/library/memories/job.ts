// The periodic memories job: every user's memories computed for the day once per day (once per cluster: the job
// runs where the periodic tasks run, on one worker or in the embedded server).
import { listUsers } from '../../auth/users.js';
import type { Resources } from '../library.js';
import { forSystem } from '../actors.js';
import { computeMemoriesOnce } from './compute.js';
import { readMemorySettings } from './settings.js';

export const MEMORIES_EVERY_MS = 60 * 60 * 1000;

/** The server's date (YYYY-MM-DD in its time zone): the job's day, and a request's when it names none. */
export const serverToday = (): string => new Date().toLocaleDateString('sv-SE');

/** Days between two YYYY-MM-DD dates. */
const daysApart = (a: string, b: string) => Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000;

/**
 * Computes the memories of each user not computed for about `today` (the server's date: a user whose own date is a
 * day off, in another time zone, keeps theirs); one user's failure does not stop the others'. Answers how many
 * users it did.
 */
export async function refreshMemories(context: Resources, today: string): Promise<number> {
  let done = 0;
  for (const user of await listUsers(context.db)) {
    const lib = forSystem(context, user.id, 'memories');
    try {
      const { computedFor } = await readMemorySettings(lib);
      if (computedFor !== null && daysApart(computedFor, today) <= 1) continue;
      await computeMemoriesOnce(lib, today);
      done++;
    } catch (error) {
      context.logger.warn({ err: error, userId: user.id }, 'computing memories failed');
    }
  }
  return done;
}
