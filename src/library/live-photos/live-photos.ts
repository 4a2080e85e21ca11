// Apple Live Photos: a still and a MOV with the same content identifier are one item, whichever arrives first and
// by whatever way in. When the second half's metadata step has read the identifier, the MOV is folded into the
// still: the still's `motion` names the MOV's file (kept where it is stored), the MOV's albums, links and library
// files become the still's, and the MOV's own row goes — from then on it is never an item of its own, and its bytes
// arriving again are the still (photo-door.ts photoWithBytes).
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { isVideoMime, type LiveMotion, type MotionInfo } from '../../model/video.js';
import { forgetSearchDocuments } from '../../search/documents.js';
import { sameOwnerSql } from '../../scope/access.js';
import { leaveGroups } from '../duplicates/groups.js';
import { leaveStacks } from '../stacks/place.js';
import { dropPeopleLeftEmpty } from '../people/rows.js';

/** Two halves that became one item: the still stays, the clip's row is gone (its derived files are the caller's to remove). */
export interface LiveFold {
  still: string;
  clip: string;
}

interface Half {
  id: string;
  mime: string;
  sha256: string;
  storage_key: string;
  filename: string;
  size_bytes: number;
  source_path: string | null;
  motion: MotionInfo | null;
}

const HALF = sql.raw('id, mime, sha256, storage_key, filename, size_bytes::float8 as size_bytes, source_path, motion');

/**
 * Folds the photo and the other half of its Live Photo into one item when both are here: same owner, same library
 * in place (or none) and storage location, neither in the trash, one a still without a motion video and one a clip.
 * Serialised per identifier, so that two halves analysed at the same moment on two workers still meet: each writes
 * its identifier before it looks, and the later look sees the earlier write. Null when there is nothing to fold.
 */
export async function pairLivePhoto(db: Db, photoId: string): Promise<LiveFold | null> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const [me] = await rows<{ live_id: string | null }>(t, sql`select live_id from photos where id = ${photoId}::uuid and deleted_at is null`);
    if (!me?.live_id) return null;
    await t.execute(sql`select pg_advisory_xact_lock(hashtext(${`shoebox-live:${me.live_id}`}))`);
    const [self] = await rows<Half>(t, sql`select ${HALF} from photos where id = ${photoId}::uuid and deleted_at is null`);
    if (!self) return null; // folded into its still while this waited
    const [other] = await rows<Half>(
      t,
      sql`select ${HALF} from photos o where o.live_id = ${me.live_id} and o.id <> ${photoId}::uuid and o.deleted_at is null
            and exists (select 1 from photos me where me.id = ${photoId}::uuid and ${sameOwnerSql('o', 'me')}
                          and o.library_id is not distinct from me.library_id and o.storage_location is not distinct from me.storage_location)
            and (o.mime like 'video/%') = ${!isVideoMime(self.mime)}
          order by o.created_at, o.id limit 1`,
    );
    if (!other) return null;
    const [still, clip] = isVideoMime(self.mime) ? [other, self] : [self, other];
    if (still.motion) return null; // a still with a motion video of its own (or already paired) keeps it; the clip stays a video
    await fold(t, still.id, clip);
    return { still: still.id, clip: clip.id };
  });
}

async function fold(t: Db, still: string, clip: Half): Promise<void> {
  const motion: LiveMotion = {
    source: 'live',
    bytes: clip.size_bytes,
    sha256: clip.sha256,
    key: clip.storage_key,
    filename: clip.filename,
    mime: clip.mime,
    sourcePath: clip.source_path,
    clipId: clip.id,
  };
  // probed again by the still's transcode step, which also makes it playable when browsers cannot play it as it is
  await t.execute(sql`update photos set motion = ${JSON.stringify(motion)}::jsonb, updated_at = now(),
                        state = case when state = 'processing' then state else 'pending' end
                      where id = ${still}::uuid`);
  await t.execute(sql`update photo_steps set status = 'pending', error = null, retry_at = null where photo_id = ${still}::uuid and step = 'transcode'`);
  // where the clip was put, the item is
  await t.execute(sql`insert into album_photos (album_id, photo_id, added_at)
                      select album_id, ${still}::uuid, added_at from album_photos where photo_id = ${clip.id}::uuid on conflict do nothing`);
  await t.execute(sql`update albums set cover_photo_id = ${still}::uuid where cover_photo_id = ${clip.id}::uuid`);
  await t.execute(sql`insert into share_link_photos (link_id, photo_id, added_at)
                      select link_id, ${still}::uuid, added_at from share_link_photos where photo_id = ${clip.id}::uuid on conflict do nothing`);
  await t.execute(sql`update library_files set photo_id = ${still}::uuid where photo_id = ${clip.id}::uuid`);
  const people = await rows<{ person_id: string }>(t, sql`select distinct person_id from faces where photo_id = ${clip.id}::uuid and person_id is not null`);
  await forgetSearchDocuments(t, [clip.id]);
  await leaveGroups(t, [clip.id]);
  await leaveStacks(t, [clip.id]);
  await t.execute(sql`delete from photos where id = ${clip.id}::uuid`);
  await dropPeopleLeftEmpty(
    t,
    people.map((row) => row.person_id),
  );
}
