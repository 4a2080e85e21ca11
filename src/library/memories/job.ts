// The periodic memories job: every user's memories computed for the day once per day (once per cluster: the job
// runs where the periodic tasks run, on one worker or in the embedded server).
import { listUsers } from '../../auth/users.js';
import type { LibraryContext } from '../library.js';
import { asOwner } from '../owner.js';
import { computeMemories } from './compute.js';
import { readMemorySettings } from './settings.js';

export const MEMORIES_EVERY_MS = 60 * 60 * 1000;

/** Computes the memories of each user not yet computed for `today`; answers how many users it did. */
export async function refreshMemories(context: LibraryContext, today: string): Promise<number> {
  let done = 0;
  for (const user of await listUsers(context.db)) {
    const lib = asOwner(context, user.id);
    if ((await readMemorySettings(lib)).computedFor === today) continue;
    await computeMemories(lib, today);
    done++;
  }
  return done;
}
