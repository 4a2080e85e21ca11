// What a user does with their stacks: open one, pick its cover, move a photo out, take it apart. Another user's
// stack is not found (a 404), like their photos.
import { inArray, sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { photos } from '../../db/schema.js';
import { UserError } from '../../base/errors.js';
import { orderedPair } from '../duplicates/rules.js';
import { lockStacksOfPhotoSql, ownStackSql } from '../access.js';
import type { Library } from '../library.js';
import { loadShotScores } from '../best-shot/load.js';
import { shotBrief } from '../best-shot/score.js';
import { listColumns, photoListItem } from '../photo-list.js';
import { leaveStacks, separate } from './place.js';
import type { StackKind, StackReason } from './rules.js';

export interface StackMember {
  photo: ReturnType<typeof photoListItem>;
  reason: StackReason;
  cover: boolean;
  bestShot: { score: number | null; reasons: string[] };
}

export interface Stack {
  id: string;
  kind: StackKind;
  coverId: string | null;
  /** Whether the user picked the cover (else it is the best shot). */
  coverByUser: boolean;
  members: StackMember[];
}

/** A stack of the user's, the cover first, then by capture time; null when there is none of theirs. */
export async function getStack(lib: Library, id: string): Promise<Stack | null> {
  const [stack] = await rows<{ id: string; kind: StackKind; cover_id: string | null; cover_by_user: boolean }>(
    lib.db,
    sql`select s.id, s.kind, s.cover_id, s.cover_by_user from stacks s where s.id = ${id}::uuid and ${ownStackSql(lib)}`,
  );
  if (!stack) return null;
  const members = await rows<{ photo_id: string; reason: StackReason }>(
    lib.db,
    sql`select m.photo_id, m.reason from stack_members m join photos p on p.id = m.photo_id and p.deleted_at is null where m.stack_id = ${id}::uuid`,
  );
  const ids = members.map((m) => m.photo_id);
  const [photoRows, shots] = await Promise.all([
    ids.length ? lib.db.select(listColumns).from(photos).where(inArray(photos.id, ids)) : Promise.resolve([]),
    loadShotScores(lib.db, ids),
  ]);
  const reasonOf = new Map(members.map((m) => [m.photo_id, m.reason]));
  const time = (p: (typeof photoRows)[number]) => (p.takenAt ?? p.createdAt).getTime();
  return {
    id: stack.id,
    kind: stack.kind,
    coverId: stack.cover_id,
    coverByUser: stack.cover_by_user,
    members: photoRows
      .sort((a, b) => Number(b.id === stack.cover_id) - Number(a.id === stack.cover_id) || time(a) - time(b) || a.id.localeCompare(b.id))
      .map((p) => ({
        photo: photoListItem(p),
        reason: reasonOf.get(p.id)!,
        cover: p.id === stack.cover_id,
        bestShot: shotBrief(shots.get(p.id)),
      })),
  };
}

async function requireStack(lib: Library, id: string): Promise<Stack> {
  const stack = await getStack(lib, id);
  if (!stack) throw new UserError('not-found', `no stack ${id}`);
  return stack;
}

/** The user's pick of the tile's photo; it stays while the photo is in the stack. */
export async function setStackCover(lib: Library, id: string, photoId: string): Promise<Stack> {
  const stack = await requireStack(lib, id);
  if (!stack.members.some((m) => m.photo.id === photoId)) throw new UserError('invalid', `photo ${photoId} is not in stack ${id}`);
  await lib.db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await t.execute(lockStacksOfPhotoSql(photoId));
    // still in it once the stacks are ours (a trash or a move out may have come first)
    await t.execute(sql`update stacks set cover_id = ${photoId}::uuid, cover_by_user = true, updated_at = now() where id = ${id}::uuid
                        and exists (select 1 from stack_members m where m.stack_id = ${id}::uuid and m.photo_id = ${photoId}::uuid)`);
  });
  return requireStack(lib, id);
}

/** The photo leaves the stack and is never stacked with its photos again; a stack left with one photo goes. */
export async function moveOutOfStack(lib: Library, id: string, photoId: string): Promise<Stack | null> {
  const stack = await requireStack(lib, id);
  if (!stack.members.some((m) => m.photo.id === photoId)) throw new UserError('not-found', `photo ${photoId} is not in stack ${id}`);
  await leaveStacks(lib.db, [photoId], { separate: true });
  return getStack(lib, id);
}

/** Takes the stack apart: every photo on its own again, and never stacked together again by the rules. */
export async function unstack(lib: Library, id: string): Promise<{ photoIds: string[] }> {
  const stack = await requireStack(lib, id);
  const ids = stack.members.map((m) => m.photo.id);
  await lib.db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    if (ids[0]) await t.execute(lockStacksOfPhotoSql(ids[0]));
    await separate(
      t,
      ids.flatMap((a, i) => ids.slice(i + 1).map((b) => orderedPair(a, b))),
    );
    await t.execute(sql`delete from stacks where id = ${id}::uuid`);
  });
  return { photoIds: ids };
}
