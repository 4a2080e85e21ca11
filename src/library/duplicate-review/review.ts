// Reviewing groups: list them with their evidence, resolve (keep some, trash the rest, merge what the user
// added to the copies into the kept ones), dismiss ("not duplicates", remembered).
import { and, eq, inArray, sql } from 'drizzle-orm';
import { uuidArray } from '../../db/arrays.js';
import { rows, type Db } from '../../db/connection.js';
import { duplicateGroups, photos, type PhotoRow } from '../../db/schema.js';
import { refreshSearchDocuments } from '../../search/documents.js';
import { UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import { photoListItem } from '../photos/list.js';
import { trashPhotos } from '../trash/trash.js';
import { loadShotScores } from '../best-shot/load.js';
import { shotBrief, whyBest, type BestShotCandidate } from '../best-shot/score.js';
import { copyFactsOf } from '../duplicates/detect.js';
import { keeperTie, leaveGroups, type GroupKind } from '../duplicates/groups.js';
import { keptWords } from '../duplicates/kept-words.js';
import { keptDespite, keptWith, supersededBy, supersedes, type CopyFacts } from '../duplicates/provenance.js';
import { orderedPair } from '../duplicates/rules.js';
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
  /**
   * The members whose keeping lets this one go to the trash: copies with all it has (provenance.ts). Empty: nothing
   * proposes it for the trash (a RAW, a version of one shot with the others, another moment, more than they have).
   */
  supersededBy: string[];
  /** Why the suggestion keeps it besides the best shot, in words; null for the best shot and what it lets go. */
  keptBecause: string | null;
}

export interface DuplicateGroup {
  id: string;
  kind: GroupKind;
  keeperId: string | null;
  /** Why the suggested keeper is the best shot of the group ("sharper", "better exposed", "more pixels"). */
  keeperWhy: string[];
  /**
   * What the automatic choice keeps: the best shot and every member it does not make redundant (empty for a burst,
   * never resolved). The other members are proposed for the trash.
   */
  suggestedKeep: string[];
  createdAt: string;
  updatedAt: string;
  members: GroupMember[];
}

interface MemberRow {
  group_id: string;
  stack_id: string | null;
  photo_id: string;
  tier: string;
  matched_photo_id: string | null;
  pdq_distance: number | null;
  pdq_orientation: string | null;
  similarity: number | null;
}

async function groupsWithMembers(lib: Library, groupRows: (typeof duplicateGroups.$inferSelect)[]): Promise<DuplicateGroup[]> {
  return (await groupsWithFacts(lib, groupRows)).groups;
}

/** The groups as the API gives them, and what each member is (to tell originals from copies). */
async function groupsWithFacts(
  lib: Library,
  groupRows: (typeof duplicateGroups.$inferSelect)[],
): Promise<{ groups: DuplicateGroup[]; facts: Map<string, CopyFacts> }> {
  if (groupRows.length === 0) return { groups: [], facts: new Map() };
  const members = await rows<MemberRow>(
    lib.db,
    sql`select m.group_id, m.photo_id, m.tier, m.matched_photo_id, m.pdq_distance, m.pdq_orientation, m.similarity,
          (select s.stack_id from stack_members s where s.photo_id = m.photo_id) as stack_id
        from duplicate_members m where m.group_id = any(${uuidArray(groupRows.map((g) => g.id))})`,
  );
  const photoRows = members.length
    ? await lib.db
        .select()
        .from(photos)
        .where(inArray(photos.id, [...new Set(members.map((m) => m.photo_id))]))
    : [];
  const byId = new Map<string, PhotoRow>(photoRows.map((p) => [p.id, p]));
  const shots = await loadShotScores(
    lib.db,
    photoRows.map((p) => p.id),
  );
  const facts = new Map(
    members
      .filter((m) => byId.has(m.photo_id))
      .map((m) => [m.photo_id, { ...copyFactsOf(byId.get(m.photo_id)!, m.stack_id), score: shots.get(m.photo_id)?.score ?? null }]),
  );
  const factsOf = (id: string) => facts.get(id)!;
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
  const groups = groupRows.map((group) => {
    const inGroup = members.filter((m) => m.group_id === group.id && byId.has(m.photo_id));
    const groupFacts = inGroup.map((m) => factsOf(m.photo_id));
    const duplicate = group.kind === 'duplicate';
    const keeper = duplicate && group.keeperId && facts.has(group.keeperId) ? factsOf(group.keeperId) : null;
    // without a keeper nothing is proposed; a burst is never resolved
    const suggestedKeep = !duplicate ? [] : keeper ? keptWith(groupFacts, [keeper.id]) : groupFacts.map((f) => f.id);
    const superseded = duplicate ? supersededBy(groupFacts) : new Map<string, string[]>();
    const keptBecause = (id: string): string | null => {
      if (!keeper || id === keeper.id) return null;
      const reason = keptDespite(keeper, factsOf(id));
      return reason ? keptWords(reason, factsOf(id), factsOf) : null;
    };
    return {
      id: group.id,
      kind: group.kind as GroupKind,
      keeperId: group.keeperId,
      keeperWhy: keeperWhy(group),
      suggestedKeep,
      createdAt: group.createdAt.toISOString(),
      updatedAt: group.updatedAt.toISOString(),
      members: inGroup
        .map((m) => ({
          photo: photoListItem(byId.get(m.photo_id)!),
          tier: m.tier,
          matchedPhotoId: m.matched_photo_id,
          pdqDistance: m.pdq_distance,
          pdqOrientation: m.pdq_orientation,
          similarity: m.similarity,
          suggestedKeeper: m.photo_id === group.keeperId,
          bestShot: shotBrief(shots.get(m.photo_id)),
          supersededBy: superseded.get(m.photo_id) ?? [],
          keptBecause: keptBecause(m.photo_id),
        }))
        // the suggested keeper first, then by evidence (closest first)
        .sort(
          (a, b) =>
            Number(b.suggestedKeeper) - Number(a.suggestedKeeper) ||
            (a.pdqDistance ?? 999) - (b.pdqDistance ?? 999) ||
            (b.similarity ?? -1) - (a.similarity ?? -1) ||
            a.photo.id.localeCompare(b.photo.id),
        ),
    };
  });
  return { groups, facts };
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
    lib.db
      .select({ total: sql<number>`count(*)::int` })
      .from(duplicateGroups)
      .where(where),
  ]);
  return { items: await groupsWithMembers(lib, groupRows), total: count?.total ?? 0, page: query.page, limit: query.limit };
}

export async function getDuplicateGroup(lib: Library, id: string): Promise<DuplicateGroup | null> {
  return (await groupWithFacts(lib, id))?.group ?? null;
}

async function groupWithFacts(lib: Library, id: string): Promise<{ group: DuplicateGroup; facts: Map<string, CopyFacts> } | null> {
  const found = await lib.db
    .select()
    .from(duplicateGroups)
    .where(and(eq(duplicateGroups.id, id), owns(lib, duplicateGroups)));
  const { groups, facts } = await groupsWithFacts(lib, found);
  return groups[0] ? { group: groups[0], facts } : null;
}

async function requireGroup(lib: Library, id: string): Promise<DuplicateGroup> {
  return (await requireGroupWithFacts(lib, id)).group;
}

async function requireGroupWithFacts(lib: Library, id: string): Promise<{ group: DuplicateGroup; facts: Map<string, CopyFacts> }> {
  const found = await groupWithFacts(lib, id);
  if (!found) throw new UserError('not-found', `no duplicate group ${id}`);
  return found;
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
 *
 * A photo goes only for a kept photo that makes it redundant (provenance.ts: a copy with all it has), or when the
 * request names it in `trash`, the user's own choice: a RAW, a version of one shot with a kept photo (a RAW's JPEG,
 * an original's edit), another moment, or a photo with more than those kept is otherwise refused (a conflict), so
 * that no client's default, bulk or keyboard path trashes the only RAW or original of a shot.
 */
export async function resolveDuplicateGroup(
  lib: Library,
  id: string,
  keep: readonly string[],
  trash: readonly string[] = [],
): Promise<{ kept: string[]; trashed: string[]; filesKept: string[]; notice: string | null }> {
  mayChange(lib);
  const { group, facts } = await requireGroupWithFacts(lib, id);
  if (group.kind !== 'duplicate') {
    throw new UserError('conflict', 'a burst holds different frames, not copies: it is not resolved by deleting (dismiss it to unstack it)');
  }
  const memberIds = group.members.map((m) => m.photo.id);
  const kept = [...new Set(keep)];
  const named = [...new Set(trash)];
  if (kept.length === 0) throw new UserError('invalid', 'keep at least one photo of the group');
  const strangers = [...kept, ...named].filter((photoId) => !memberIds.includes(photoId));
  if (strangers.length) throw new UserError('invalid', `not in this group: ${[...new Set(strangers)].join(', ')}`);
  const both = named.filter((photoId) => kept.includes(photoId));
  if (both.length) throw new UserError('invalid', `both kept and trashed: ${both.join(', ')}`);
  const trashed = memberIds.filter((photoId) => !kept.includes(photoId));
  refuseUnsafeTrash(
    trashed.filter((photoId) => !named.includes(photoId)),
    kept,
    facts,
  );
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

/** A conflict naming each photo no kept photo makes redundant, and why (as the duplicates page says it). */
function refuseUnsafeTrash(trashed: readonly string[], kept: readonly string[], facts: ReadonlyMap<string, CopyFacts>): void {
  const factsOf = (photoId: string) => facts.get(photoId)!;
  const unsafe = trashed.filter((photoId) => !kept.some((k) => supersedes(factsOf(k), factsOf(photoId))));
  if (unsafe.length === 0) return;
  const why = unsafe.map((photoId) => {
    const reason = keptDespite(factsOf(kept[0]!), factsOf(photoId))!;
    return `${factsOf(photoId).filename} (${keptWords(reason, factsOf(photoId), factsOf)})`;
  });
  throw new UserError(
    'conflict',
    `no photo kept makes ${unsafe.length === 1 ? 'this one' : 'these'} redundant, so ${unsafe.length === 1 ? 'it is' : 'they are'} not moved to the trash: ` +
      `${why.join('; ')}. Keep ${unsafe.length === 1 ? 'it' : 'them'}, or name ${unsafe.length === 1 ? 'it' : 'them'} in "trash" to move ${unsafe.length === 1 ? 'it' : 'them'} there anyway.`,
  );
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
