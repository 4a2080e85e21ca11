// The grace period of offline photos: a photo whose file has been gone from its library in place for
// SHOEBOX_LIBRARY_OFFLINE_DAYS goes to the trash (restorable; back by itself if its file comes back before the
// trash is emptied).
import { sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import type { Resources } from '../library.js';
import { forSystem } from '../actors.js';
import { trashPhotos } from '../trash/trash.js';

export async function expireOfflinePhotos(context: Resources, days: number = context.settings.libraryOfflineDays, now: Date = new Date()): Promise<number> {
  if (days <= 0) return 0;
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const due = await rows<{ id: string; owner_id: string }>(
    context.db,
    sql`select id, owner_id from photos where offline_at is not null and offline_at < ${cutoff.toISOString()}::timestamptz and deleted_at is null`,
  );
  const byOwner = new Map<string, string[]>();
  for (const photo of due) byOwner.set(photo.owner_id, [...(byOwner.get(photo.owner_id) ?? []), photo.id]);
  let trashed = 0;
  for (const [ownerId, ids] of byOwner) trashed += await trashPhotos(forSystem(context, ownerId, 'offline files to the trash'), ids, now);
  return trashed;
}
