// A user's stacks change one transaction at a time, and a new stack is its first photo's owner's: both found from a
// photo, since a stack's photos are only ever one user's.
import { sql } from 'drizzle-orm';

/** The owner of a photo, as a value for a row made for it (a stack). */
function ownerOfPhotoSql(photoId: string) {
  return sql`(select owner_id from photos where id = ${photoId}::uuid)`;
}

/**
 * Waits for the stacks of a photo's owner to be free for this transaction: one change to a user's stacks at a time
 * (two frames of a burst filed at once end in one stack; a photo trashed meanwhile is not filed).
 */
export function lockStacksOfPhotoSql(photoId: string) {
  return sql`select pg_advisory_xact_lock(hashtext('stacks:' || coalesce(${ownerOfPhotoSql(photoId)}::text, '')))`;
}

/** A new stack's row, for the owner of the photo that starts it; answers its id. */
export function newStackForPhotoSql(photoId: string) {
  return sql`insert into stacks (owner_id, kind) values (${ownerOfPhotoSql(photoId)}, 'mixed') returning id`;
}
