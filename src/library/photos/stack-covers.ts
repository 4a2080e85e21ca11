// A stack as the gallery and the photo page show it in brief: the count on its cover's tile, the stack a photo is in.
import { sql } from 'drizzle-orm';
import { uuidArray } from '../../db/arrays.js';
import { rows, type Db } from '../../db/connection.js';
import { ownsSql } from '../../scope/rows.js';
import type { Library } from '../library.js';
import type { StackKind } from '../../model/stack.js';

/** The stacks whose cover these photos are: what a gallery tile shows as a count. */
export async function stacksCoveredBy(db: Db, photoIds: readonly string[]): Promise<Map<string, { id: string; count: number }>> {
  const covered = new Map<string, { id: string; count: number }>();
  if (photoIds.length === 0) return covered;
  const found = await rows<{ cover_id: string; id: string; count: number }>(
    db,
    sql`select s.cover_id, s.id, (select count(*)::int from stack_members m where m.stack_id = s.id) as count
        from stacks s where s.cover_id = any(${uuidArray(photoIds)})`,
  );
  for (const row of found) covered.set(row.cover_id, { id: row.id, count: row.count });
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
export async function stackOfPhoto(lib: Library, photoId: string): Promise<{ id: string; kind: StackKind; coverId: string | null; count: number } | null> {
  const [row] = await rows<{ id: string; kind: StackKind; cover_id: string | null; count: number }>(
    lib.db,
    sql`select s.id, s.kind, s.cover_id, (select count(*)::int from stack_members x where x.stack_id = s.id) as count
        from stack_members m join stacks s on s.id = m.stack_id where m.photo_id = ${photoId}::uuid and ${ownsSql(lib, 's')}`,
  );
  return row ? { id: row.id, kind: row.kind, coverId: row.cover_id, count: row.count } : null;
}
