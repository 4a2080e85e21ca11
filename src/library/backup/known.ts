// "Which of these do you have already?": a backup hashes each file on the device and asks, so that choosing the
// whole camera roll again sends only what is new.
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import { owns } from '../../scope/rows.js';
import type { Library } from '../library.js';

/**
 * The SHA-256s (lower-case hex) of `hashes` that the view's owner has as a photo of their own: a photo in the trash
 * counts (its bytes would not be stored again), and so does a Live Photo's video folded into its still, as the
 * upload's door finds them (photos/door.ts photoWithBytes). Shared photos of others do not: they are not the user's.
 */
export async function knownHashes(lib: Library, hashes: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(hashes.map((hash) => hash.toLowerCase()))];
  if (wanted.length === 0) return [];
  const motionSha = sql<string>`${photos.motion}->>'sha256'`;
  const found = await lib.db
    .select({ sha256: photos.sha256, motion: motionSha })
    .from(photos)
    .where(and(owns(lib, photos), or(inArray(photos.sha256, wanted), and(eq(sql`${photos.motion}->>'source'`, 'live'), inArray(motionSha, wanted)))));
  const asked = new Set(wanted);
  const had = new Set<string>();
  for (const row of found) for (const hash of [row.sha256, row.motion]) if (hash && asked.has(hash)) had.add(hash);
  return wanted.filter((hash) => had.has(hash));
}
