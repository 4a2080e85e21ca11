// What a user does with their stacks: stack photos by hand, open one, pick its cover, move a photo out, take it
// apart. Another user's stack is not found (a 404), like their photos.
import { inArray, sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { photos } from '../../db/schema.js';
import { UserError } from '../../base/errors.js';
import { regroupStacked } from '../duplicates/groups.js';
import { orderedPair } from '../duplicates/rules.js';
import { uuidArray } from '../../db/arrays.js';
import { ownPhotoSql } from '../../scope/access.js';
import { lockStacksOfPhotoSql, newStackForPhotoSql } from './owner-lock.js';
import { ownsSql } from '../../scope/rows.js';
import type { Library } from '../library.js';
import { loadShotScores } from '../best-shot/load.js';
import { shotBrief } from '../best-shot/score.js';
import { listColumns, photoListItem } from '../photos/list.js';
import { leaveStacks, separate, tidyStacks } from './place.js';
import type { StackKind, StackReason } from './rules.js';
import { mayChange } from '../actors.js';

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
    sql`select s.id, s.kind, s.cover_id, s.cover_by_user from stacks s where s.id = ${id}::uuid and ${ownsSql(lib, 's')}`,
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
  mayChange(lib);
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
  mayChange(lib);
  const stack = await requireStack(lib, id);
  if (!stack.members.some((m) => m.photo.id === photoId)) throw new UserError('not-found', `photo ${photoId} is not in stack ${id}`);
  await leaveStacks(lib.db, [photoId], { separate: true });
  return getStack(lib, id);
}

/** The most photos stacked by hand at once (a burst of a few hundred frames; taken apart, each pair is remembered). */
export const MAX_STACKED_BY_HAND = 300;

/**
 * Stacks the user's photos by hand: one stack of them all, with every photo of a stack one of them is in (the oldest
 * such stack takes the others). Pairs the user once took apart may be stacked again: this is their word now. The
 * cover is the best shot until the user picks one. Photos that are not the user's, or in the trash, are a 404.
 */
export async function stackTogether(lib: Library, photoIds: readonly string[]): Promise<Stack> {
  mayChange(lib);
  const ids = [...new Set(photoIds)];
  if (ids.length < 2) throw new UserError('invalid', 'a stack needs at least two photos');
  if (ids.length > MAX_STACKED_BY_HAND) throw new UserError('invalid', `at most ${MAX_STACKED_BY_HAND} photos in one stack`);
  const own = await rows<{ id: string }>(
    lib.db,
    sql`select p.id from photos p where p.id = any(${uuidArray(ids)}) and p.deleted_at is null and ${ownPhotoSql(lib)}`,
  );
  const missing = ids.filter((id) => !own.some((row) => row.id === id));
  if (missing.length > 0)
    throw new UserError('not-found', `no photo ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`);
  const target = await lib.db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await t.execute(lockStacksOfPhotoSql(ids[0]!));
    const stacksIn = (
      await rows<{ stack_id: string }>(
        t,
        sql`select m.stack_id from stack_members m join stacks s on s.id = m.stack_id where m.photo_id = any(${uuidArray(ids)})
            group by m.stack_id, s.created_at order by s.created_at, m.stack_id`,
      )
    ).map((row) => row.stack_id);
    const into = stacksIn[0] ?? (await rows<{ id: string }>(t, newStackForPhotoSql(ids[0]!)))[0]!.id;
    const others = stacksIn.slice(1);
    if (others.length > 0) {
      await t.execute(sql`update stack_members set stack_id = ${into}::uuid where stack_id = any(${uuidArray(others)})`);
      await t.execute(sql`delete from stacks where id = any(${uuidArray(others)})`);
    }
    const values = ids.map((id) => sql`(${into}::uuid, ${id}::uuid, 'by-user')`);
    await t.execute(sql`insert into stack_members (stack_id, photo_id, reason) values ${sql.join(values, sql`, `)} on conflict (photo_id) do nothing`);
    const members = (await rows<{ photo_id: string }>(t, sql`select photo_id from stack_members where stack_id = ${into}::uuid`)).map((m) => m.photo_id);
    await t.execute(sql`delete from stack_separations where photo_a = any(${uuidArray(members)}) and photo_b = any(${uuidArray(members)})`);
    await tidyStacks(t, [into]);
    await regroupStacked(t, members); // photos of one stack are not offered as copies of each other
    return into;
  });
  return requireStack(lib, target);
}

/** Takes the stack apart: every photo on its own again, and never stacked together again by the rules. */
export async function unstack(lib: Library, id: string): Promise<{ photoIds: string[] }> {
  mayChange(lib);
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
