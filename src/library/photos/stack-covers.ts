// A stack as the gallery and the photo page show it in brief: the count on its cover's tile, the stack a photo is in.
import { sql, type SQL } from 'drizzle-orm';
import { uuidArray } from '../../db/arrays.js';
import { rows, type Db } from '../../db/connection.js';
import { ownsSql } from '../../scope/rows.js';
import type { Library } from '../library.js';
import type { StackKind } from '../../model/stack.js';

/** A stack in brief: how many it holds, and how many of those are videos (its tile says "2 photos and 1 video"). */
export interface StackBrief {
  id: string;
  count: number;
  videos: number;
}

/** How many photos a stack holds and how many of them are videos, for a lateral join on the stack's id. */
const memberCounts = (stackId: SQL) =>
  sql`select count(*)::int as count, count(*) filter (where p.mime like 'video/%')::int as videos
      from stack_members x join photos p on p.id = x.photo_id where x.stack_id = ${stackId}`;

/** The stacks whose cover these photos are: what a gallery tile shows as a count. */
export async function stacksCoveredBy(db: Db, photoIds: readonly string[]): Promise<Map<string, StackBrief>> {
  const covered = new Map<string, StackBrief>();
  if (photoIds.length === 0) return covered;
  const found = await rows<{ cover_id: string; id: string; count: number; videos: number }>(
    db,
    sql`select s.cover_id, s.id, c.count, c.videos from stacks s,
          lateral (${memberCounts(sql`s.id`)}) c
        where s.cover_id = any(${uuidArray(photoIds)})`,
  );
  for (const row of found) covered.set(row.cover_id, { id: row.id, count: row.count, videos: row.videos });
  return covered;
}

/** These photos and every other photo of the stacks they are in (a stack is archived or brought back whole). */
export async function withStackMates(db: Db, photoIds: readonly string[]): Promise<string[]> {
  if (photoIds.length === 0) return [];
  const mates = await rows<{ photo_id: string }>(
    db,
    sql`select m2.photo_id from stack_members m join stack_members m2 on m2.stack_id = m.stack_id where m.photo_id = any(${uuidArray(photoIds)})`,
  );
  return [...new Set([...photoIds, ...mates.map((m) => m.photo_id)])];
}

/** The user's stack a photo is in, in brief (for the photo page); null when in none of theirs. */
export async function stackOfPhoto(lib: Library, photoId: string): Promise<(StackBrief & { kind: StackKind; coverId: string | null }) | null> {
  const [row] = await rows<{ id: string; kind: StackKind; cover_id: string | null; count: number; videos: number }>(
    lib.db,
    sql`select s.id, s.kind, s.cover_id, c.count, c.videos
        from stack_members m join stacks s on s.id = m.stack_id, lateral (${memberCounts(sql`s.id`)}) c
        where m.photo_id = ${photoId}::uuid and ${ownsSql(lib, 's')}`,
  );
  return row ? { id: row.id, kind: row.kind, coverId: row.cover_id, count: row.count, videos: row.videos } : null;
}
