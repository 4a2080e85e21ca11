// Reviewing groups: list them with their evidence, resolve (keep some, trash the rest, merge what the user
// added to the copies into the kept ones), dismiss ("not duplicates", remembered).
import { and, eq, inArray, sql } from 'drizzle-orm';
import { uuidArray } from '../../db/arrays.js';
import { rows, type Db } from '../../db/connection.js';
import { duplicateGroups, photos, type PhotoRow } from '../../db/schema.js';
import { refreshSearchDocuments } from '../../search/documents.js';
import { UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import { photoListItem } from '../photo-list.js';
import { trashPhotos } from '../trash.js';
import { loadShotScores } from '../best-shot/load.js';
import { shotBrief, whyBest, type BestShotCandidate } from '../best-shot/score.js';
import { keeperTie, leaveGroups, type GroupKind } from './groups.js';
import { orderedPair } from './rules.js';
import { owns } from '../../scope/rows.js';
import { mayChange } from '../actors.js';

export interface GroupMember {
  photo: ReturnType<typeof photoListItem>;
  /** first | pdq | clip | burst: the tier that put the photo in the group. */
  tier: string;
  /** The photo it was matched to, with the evidence. */
  matchedPhotoId: string | null;
  pdqDistance: number | null;
  pdqOrientation: string | null;
  similarity: number | null;
  suggestedKeeper: boolean;
  /** How good a shot it is (0–1, null before it was measured) and what stands out in it. */
  bestShot: { score: number | null; reasons: string[] };
}

export interface DuplicateGroup {
  id: string;
  kind: GroupKind;
  keeperId: string | null;
  /** Why the suggested keeper is the best shot of the group ("sharper", "better exposed", "more pixels"). */
  keeperWhy: string[];
  createdAt: string;
  updatedAt: string;
  members: GroupMember[];
}

interface MemberRow {
  group_id: string;
  photo_id: string;
  tier: string;
  matched_photo_id: string | null;
  pdq_distance: number | null;
  pdq_orientation: string | null;
  similarity: number | null;
}

async function groupsWithMembers(lib: Library, groupRows: (typeof duplicateGroups.$inferSelect)[]): Promise<DuplicateGroup[]> {
  if (groupRows.length === 0) return [];
  const members = await rows<MemberRow>(
    lib.db,
    sql`select group_id, photo_id, tier, matched_photo_id, pdq_distance, pdq_orientation, similarity
        from duplicate_members where group_id = any(${uuidArray(groupRows.map((g) => g.id))})`,
  );
  const photoRows = members.length
    ? await lib.db.select().from(photos).where(inArray(photos.id, [...new Set(members.map((m) => m.photo_id))]))
    : [];
  const byId = new Map<string, PhotoRow>(photoRows.map((p) => [p.id, p]));
  const shots = await loadShotScores(
    lib.db,
    photoRows.map((p) => p.id),
  );
  const candidate = (p: PhotoRow): BestShotCandidate => ({
    photoId: p.id,
    shot: shots.get(p.id) ?? null,
    width: p.width,
    height: p.height,
    sizeBytes: p.sizeBytes,
    date: p.takenAt ?? p.createdAt,
  });
  const keeperWhy = (group: (typeof groupRows)[number]): string[] => {
    const inGroup = members.filter((m) => m.group_id === group.id && byId.has(m.photo_id)).map((m) => candidate(byId.get(m.photo_id)!));
    const keeper = inGroup.find((c) => c.photoId === group.keeperId);
    return keeper ? whyBest(keeper, inGroup, keeperTie(group.kind as GroupKind)) : [];
  };
  return groupRows.map((group) => ({
    id: group.id,
    kind: group.kind as GroupKind,
    keeperId: group.keeperId,
    keeperWhy: keeperWhy(group),
    createdAt: group.createdAt.toISOString(),
    updatedAt: group.updatedAt.toISOString(),
    members: members
      .filter((m) => m.group_id === group.id && byId.has(m.photo_id))
      .map((m) => ({
        photo: photoListItem(byId.get(m.photo_id)!),
        tier: m.tier,
        matchedPhotoId: m.matched_photo_id,
        pdqDistance: m.pdq_distance,
        pdqOrientation: m.pdq_orientation,
        similarity: m.similarity,
        suggestedKeeper: m.photo_id === group.keeperId,
        bestShot: shotBrief(shots.get(m.photo_id)),
      }))
      // the suggested keeper first, then by evidence (closest first)
      .sort(
        (a, b) =>
          Number(b.suggestedKeeper) - Number(a.suggestedKeeper) ||
          (a.pdqDistance ?? 999) - (b.pdqDistance ?? 999) ||
          (b.similarity ?? -1) - (a.similarity ?? -1) ||
          a.photo.id.localeCompare(b.photo.id),
      ),
  }));
}

export async function listDuplicateGroups(lib: Library, query: { kind?: GroupKind; page: number; limit: number }) {
  const where = and(owns(lib, duplicateGroups), query.kind ? eq(duplicateGroups.kind, query.kind) : undefined);
  const [groupRows, [count]] = await Promise.all([
    lib.db
      .select()
      .from(duplicateGroups)
      .where(where)
      .orderBy(sql`${duplicateGroups.createdAt} desc`, duplicateGroups.id)
      .limit(query.limit)
      .offset((query.page - 1) * query.limit),
    lib.db.select({ total: sql<number>`count(*)::int` }).from(duplicateGroups).where(where),
  ]);
  return { items: await groupsWithMembers(lib, groupRows), total: count?.total ?? 0, page: query.page, limit: query.limit };
}

export async function getDuplicateGroup(lib: Library, id: string): Promise<DuplicateGroup | null> {
  const found = await lib.db
    .select()
    .from(duplicateGroups)
    .where(and(eq(duplicateGroups.id, id), owns(lib, duplicateGroups)));
  return (await groupsWithMembers(lib, found))[0] ?? null;
}

async function requireGroup(lib: Library, id: string): Promise<DuplicateGroup> {
  const group = await getDuplicateGroup(lib, id);
  if (!group) throw new UserError('not-found', `no duplicate group ${id}`);
  return group;
}

/** Remembers that these photos are not copies of each other, so that no later check groups them again. */
async function rememberSeparate(db: Db, photoIds: readonly string[]): Promise<void> {
  const pairs: SqlPair[] = [];
  for (let i = 0; i < photoIds.length; i++) {
    for (let j = i + 1; j < photoIds.length; j++) pairs.push(orderedPair(photoIds[i]!, photoIds[j]!));
  }
  if (pairs.length === 0) return;
  const values = pairs.map(([a, b]) => sql`(${a}::uuid, ${b}::uuid)`);
  await db.execute(sql`insert into duplicate_dismissals (photo_a, photo_b) values ${sql.join(values, sql`, `)} on conflict do nothing`);
}
type SqlPair = [string, string];

/** "Not duplicates": the group goes, and its photos are never grouped with each other again. */
export async function dismissDuplicateGroup(lib: Library, id: string): Promise<{ dismissed: number }> {
  mayChange(lib);
  const group = await requireGroup(lib, id);
  const ids = group.members.map((m) => m.photo.id);
  await rememberSeparate(lib.db, ids);
  await leaveGroups(lib.db, ids);
  return { dismissed: ids.length };
}

/**
 * Keeps some photos of a duplicate group and moves the others to the trash. What the user gave the copies is
 * merged into each kept photo first: favourite (any), rating (highest), keywords and tags (all), albums (all),
 * description (the kept photo's own, else the first copy's). Kept photos are remembered as not duplicates of
 * each other (the user chose to keep them all). A copy in a library in place is only hidden in Shoebox (trashed,
 * then gone from Shoebox when the trash is emptied): its file stays in its folder, and the answer says so.
 */
export async function resolveDuplicateGroup(
  lib: Library,
  id: string,
  keep: readonly string[],
): Promise<{ kept: string[]; trashed: string[]; filesKept: string[]; notice: string | null }> {
  mayChange(lib);
  const group = await requireGroup(lib, id);
  if (group.kind !== 'duplicate') {
    throw new UserError('conflict', 'a burst holds different frames, not copies: it is not resolved by deleting (dismiss it to unstack it)');
  }
  const memberIds = group.members.map((m) => m.photo.id);
  const kept = [...new Set(keep)];
  if (kept.length === 0) throw new UserError('invalid', 'keep at least one photo of the group');
  const strangers = kept.filter((photoId) => !memberIds.includes(photoId));
  if (strangers.length) throw new UserError('invalid', `not in this group: ${strangers.join(', ')}`);
  const trashed = memberIds.filter((photoId) => !kept.includes(photoId));
  if (trashed.length) await mergeInto(lib.db, kept, trashed);
  await rememberSeparate(lib.db, kept);
  await leaveGroups(lib.db, memberIds);
  if (trashed.length) await trashPhotos(lib, trashed);
  await refreshSearchDocuments(lib.db, kept);
  const inPlace = group.members.filter((m) => trashed.includes(m.photo.id) && m.photo.libraryId !== null).map((m) => m.photo.id);
  const notice =
    inPlace.length === 0
      ? null
      : `${inPlace.length === 1 ? 'one copy is' : `${inPlace.length} copies are`} in a library in place: hidden in Shoebox, the file${inPlace.length === 1 ? ' stays' : 's stay'} in ${inPlace.length === 1 ? 'its folder' : 'their folders'} (Shoebox never deletes them)`;
  return { kept, trashed, filesKept: inPlace, notice };
}

async function mergeInto(db: Db, kept: readonly string[], copies: readonly string[]): Promise<void> {
  const keptIds = uuidArray(kept);
  const copyIds = uuidArray(copies);
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      update photos k set
        favorite = k.favorite or c.favorite,
        rating = greatest(k.rating, c.rating),
        -- a rating that came from a copy is no longer the kept file's own: a reprocess must not undo the merge
        rating_by_user = k.rating_by_user or greatest(k.rating, c.rating) is distinct from k.rating,
        keywords = array(select distinct unnest(k.keywords || c.keywords) order by 1),
        description = coalesce(nullif(k.description, ''), c.description),
        updated_at = now()
      from (select bool_or(favorite) as favorite, max(rating) as rating,
                   coalesce(array_agg(distinct kw) filter (where kw is not null), '{}') as keywords,
                   (array_agg(description order by created_at) filter (where coalesce(description, '') <> ''))[1] as description
            from photos left join lateral unnest(keywords) kw on true
            where id = any(${copyIds})) c
      where k.id = any(${keptIds})`);
    await tx.execute(sql`
      insert into photo_tags (photo_id, tag, confidence, source)
      select k.id, t.tag, max(t.confidence), min(t.source) from photo_tags t cross join unnest(${keptIds}) k(id)
      where t.photo_id = any(${copyIds}) group by k.id, t.tag
      on conflict (photo_id, tag) do nothing`);
    await tx.execute(sql`
      insert into album_photos (album_id, photo_id)
      select distinct ap.album_id, k.id from album_photos ap cross join unnest(${keptIds}) k(id)
      where ap.photo_id = any(${copyIds})
      on conflict do nothing`);
  });
}

