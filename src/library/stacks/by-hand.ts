// What the user did by hand to the stacks of some of their photos, for an export to carry: the stacks they made or
// whose cover they chose (the rules alone make the others again on import), and the pairs they took apart (which the
// rules would otherwise put back together).
import { sql } from 'drizzle-orm';
import { uuidArray } from '../../db/arrays.js';
import { rows } from '../../db/connection.js';
import { ownPhotoSql } from '../../scope/access.js';
import { ownsSql } from '../../scope/rows.js';
import { UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import type { StackKind, StackReason } from './rules.js';

/** The most photos one ask covers (an export asks a page of its photos at a time). */
export const MAX_PHOTOS_ASKED = 1000;

export interface HandStack {
  id: string;
  kind: StackKind;
  coverId: string | null;
  coverByUser: boolean;
  members: { photoId: string; reason: StackReason }[];
}

export interface HandStacks {
  /** The user's stacks holding any of the photos that were made or changed by hand: a member stacked by hand, or a cover picked. */
  stacks: HandStack[];
  /** Pairs taken apart by hand (unstacked, or one moved out), at least one of them among the photos; both the user's. */
  apart: [string, string][];
}

export async function stacksByHand(lib: Library, photoIds: readonly string[]): Promise<HandStacks> {
  const ids = [...new Set(photoIds)];
  if (ids.length > MAX_PHOTOS_ASKED) throw new UserError('invalid', `at most ${MAX_PHOTOS_ASKED} photos at once`);
  if (ids.length === 0) return { stacks: [], apart: [] };
  const members = await rows<{ id: string; kind: StackKind; cover_id: string | null; cover_by_user: boolean; photo_id: string; reason: StackReason }>(
    lib.db,
    sql`select s.id, s.kind, s.cover_id, s.cover_by_user, m.photo_id, m.reason
        from stacks s join stack_members m on m.stack_id = s.id join photos p on p.id = m.photo_id and p.deleted_at is null
        where s.id in (select stack_id from stack_members where photo_id = any(${uuidArray(ids)})) and ${ownsSql(lib, 's')}
          and (s.cover_by_user or exists (select 1 from stack_members h where h.stack_id = s.id and h.reason = 'by-user'))
        order by s.created_at, s.id, m.photo_id`,
  );
  const stacks = new Map<string, HandStack>();
  for (const row of members) {
    let stack = stacks.get(row.id);
    if (!stack) stacks.set(row.id, (stack = { id: row.id, kind: row.kind, coverId: row.cover_id, coverByUser: row.cover_by_user, members: [] }));
    stack.members.push({ photoId: row.photo_id, reason: row.reason });
  }
  // a pair is the user's when its photos are: both their own, neither in the trash
  const apart = await rows<{ photo_a: string; photo_b: string }>(
    lib.db,
    sql`select x.photo_a, x.photo_b from stack_separations x
        join photos p on p.id = x.photo_a and p.deleted_at is null join photos q on q.id = x.photo_b and q.deleted_at is null
        where (x.photo_a = any(${uuidArray(ids)}) or x.photo_b = any(${uuidArray(ids)})) and ${ownPhotoSql(lib, 'p')} and ${ownPhotoSql(lib, 'q')}
        order by x.photo_a, x.photo_b`,
  );
  return { stacks: [...stacks.values()], apart: apart.map((pair) => [pair.photo_a, pair.photo_b]) };
}
