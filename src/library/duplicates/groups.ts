// Duplicate and burst groups in the database: placing a photo, taking photos out, the best shot to keep.
import { sql } from 'drizzle-orm';
import { uuidArray } from '../../db/arrays.js';
import { rows, type Db } from '../../db/connection.js';
import { rowOwner, type OwnerView } from '../../scope/rows.js';
import { storedKeys } from './pdq-index.js';
import { asCandidate, loadShotScores, type CandidateRow } from '../best-shot/load.js';
import { DUPLICATE_SCORE_TIE, pickBestShot, SCORE_TIE, type ShotScore } from '../best-shot/score.js';
import type { ClassifiedMatch } from './candidates.js';
import type { Encoding, Lineage } from '../../model/file-facts.js';
import { keeperCandidates, keptWith, versionsOfOneShot, type CopyFacts } from './provenance.js';

export const GROUP_KINDS = ['duplicate', 'burst'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

/** The lookup keys of the photo's PDQ hash and of its mirror image's (replacing its old ones). */
export async function indexPdqHash(db: Db, photoId: string, hash: string | null, mirrored: string | null): Promise<void> {
  await db.execute(sql`delete from photo_pdq_keys where photo_id = ${photoId}::uuid`);
  if (!hash) return;
  const rowsOf = (hex: string, isMirror: boolean) => storedKeys(hex).map((key) => sql`(${photoId}::uuid, ${key}::int4, ${`x${hex}`}::bit(256), ${isMirror})`);
  const values = [...rowsOf(hash, false), ...(mirrored ? rowsOf(mirrored, true) : [])];
  await db.execute(sql`insert into photo_pdq_keys (photo_id, key, hash, mirrored) values ${sql.join(values, sql`, `)}`);
}

/** One photo placement at a time per owner: two copies processed at once must end up in one group, not two. */
async function lockOwner(tx: Db, ownerId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`duplicates:${ownerId}`}))`);
}

/** The best evidence first: the smallest PDQ distance, then the highest similarity. */
function strongestFirst(a: ClassifiedMatch, b: ClassifiedMatch): number {
  const da = a.evidence.pdqDistance ?? Infinity;
  const db = b.evidence.pdqDistance ?? Infinity;
  if (da !== db) return da - db;
  return (b.evidence.similarity ?? -1) - (a.evidence.similarity ?? -1);
}

/**
 * Puts the photo in the groups its matches call for (one of each kind at most): joins the group of a matched
 * photo, merges groups the photo bridges, or starts one; leaves a group whose photos it no longer matches.
 */
export async function placeInGroups(owner: OwnerView, photoId: string, matches: readonly ClassifiedMatch[]): Promise<void> {
  const { db, ownerId } = owner;
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await lockOwner(t, ownerId);
    const touched = new Set<string>();
    for (const kind of GROUP_KINDS) {
      const ofKind = matches.filter((m) => m.classified.kind === kind).sort(strongestFirst);
      for (const id of await placeOfKind(t, ownerId, photoId, kind, ofKind)) touched.add(id);
    }
    await tidyGroups(t, [...touched]);
  });
}

async function placeOfKind(tx: Db, ownerId: string, photoId: string, kind: GroupKind, matches: ClassifiedMatch[]): Promise<string[]> {
  const [current] = await rows<{ group_id: string }>(tx, sql`select group_id from duplicate_members where photo_id = ${photoId}::uuid and kind = ${kind}`);
  if (matches.length === 0) {
    if (!current) return [];
    await tx.execute(sql`delete from duplicate_members where photo_id = ${photoId}::uuid and kind = ${kind}`);
    return [current.group_id];
  }
  const matchedIds = matches.map((m) => m.evidence.photoId);
  const existing = await rows<{ group_id: string; created_at: string }>(
    tx,
    sql`select distinct m.group_id, g.created_at from duplicate_members m join duplicate_groups g on g.id = m.group_id
        where m.kind = ${kind} and m.photo_id = any(${uuidArray([photoId, ...matchedIds])})
        order by g.created_at, m.group_id`,
  );
  let target = existing[0]?.group_id;
  if (!target) {
    const [created] = await rows<{ id: string }>(tx, sql`insert into duplicate_groups (owner_id, kind) values (${ownerId}::uuid, ${kind}) returning id`);
    target = created!.id;
  }
  const others = existing.slice(1).map((g) => g.group_id);
  if (others.length) {
    // the photo bridges several groups: they are one group now
    await tx.execute(sql`update duplicate_members set group_id = ${target}::uuid where group_id = any(${uuidArray(others)})`);
    await tx.execute(sql`delete from duplicate_groups where id = any(${uuidArray(others)})`);
  }
  const best = matches[0]!;
  await tx.execute(sql`
    insert into duplicate_members (group_id, photo_id, kind, tier, matched_photo_id, pdq_distance, pdq_orientation, similarity)
    values (${target}::uuid, ${photoId}::uuid, ${kind}, ${best.classified.tier}, ${best.evidence.photoId}::uuid,
            ${best.evidence.pdqDistance}, ${best.evidence.pdqOrientation}, ${best.evidence.similarity})
    on conflict (photo_id, kind) do update set group_id = excluded.group_id, tier = excluded.tier,
      matched_photo_id = excluded.matched_photo_id, pdq_distance = excluded.pdq_distance,
      pdq_orientation = excluded.pdq_orientation, similarity = excluded.similarity`);
  // A pair is one measure: where the best match had matched this photo (an earlier run of it, measured then from
  // the other side), it takes the evidence just measured, so both members, the photo page and the CLI agree.
  await tx.execute(sql`
    update duplicate_members set tier = ${best.classified.tier}, pdq_distance = ${best.evidence.pdqDistance},
      pdq_orientation = ${best.evidence.pdqOrientation}, similarity = ${best.evidence.similarity}
    where photo_id = ${best.evidence.photoId}::uuid and kind = ${kind} and matched_photo_id = ${photoId}::uuid`);
  // matched photos not yet in a group of this kind join with the same evidence, seen from their side
  for (const match of matches) {
    await tx.execute(sql`
      insert into duplicate_members (group_id, photo_id, kind, tier, matched_photo_id, pdq_distance, pdq_orientation, similarity)
      values (${target}::uuid, ${match.evidence.photoId}::uuid, ${kind}, ${match.classified.tier}, ${photoId}::uuid,
              ${match.evidence.pdqDistance}, ${match.evidence.pdqOrientation}, ${match.evidence.similarity})
      on conflict (photo_id, kind) do nothing`);
  }
  return current && current.group_id !== target ? [target, current.group_id] : [target];
}

/** Takes photos out of their groups (trashed, deleted, or separated by the user). */
export async function leaveGroups(db: Db, photoIds: readonly string[]): Promise<void> {
  if (photoIds.length === 0) return;
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const left = await rows<{ group_id: string }>(t, sql`delete from duplicate_members where photo_id = any(${uuidArray(photoIds)}) returning group_id`);
    await tidyGroups(t, [...new Set(left.map((row) => row.group_id))]);
  });
}

interface MemberRow extends CandidateRow {
  group_id: string;
  filename: string;
  mime: string;
  taken_at: Date | string | null;
  make: string | null;
  model: string | null;
  encoding: Encoding | null;
  lineage: Lineage | null;
  stack_id: string | null;
}

function factsOf(m: MemberRow, shots: ReadonlyMap<string, ShotScore>): CopyFacts {
  return {
    id: m.photo_id,
    filename: m.filename,
    mime: m.mime,
    width: m.width,
    height: m.height,
    takenAt: m.taken_at === null ? null : new Date(m.taken_at),
    make: m.make,
    model: m.model,
    stackId: m.stack_id,
    score: shots.get(m.photo_id)?.score ?? null,
    encoding: m.encoding,
    lineage: m.lineage,
  };
}

/** A duplicate group holds two photos at least that are copies of each other, not only versions of one shot. */
function holdsCopies(facts: readonly CopyFacts[]): boolean {
  return facts.some((a, i) => facts.slice(i + 1).some((b) => !versionsOfOneShot(a, b)));
}

/** How close two scores must be for pixels to decide: copies of one picture tie widely, a burst's frames narrowly. */
export function keeperTie(kind: GroupKind | undefined): number {
  return kind === 'duplicate' ? DUPLICATE_SCORE_TIE : SCORE_TIE;
}

/** The photos' groups choose their best shot again (their faces or measures changed, or they were stacked). */
export async function refreshBestShots(db: Db, photoIds: readonly string[]): Promise<void> {
  if (photoIds.length === 0) return;
  const groups = await rows<{ group_id: string }>(db, sql`select distinct group_id from duplicate_members where photo_id = any(${uuidArray(photoIds)})`);
  if (groups.length > 0)
    await tidyGroups(
      db,
      groups.map((g) => g.group_id),
    );
}

/**
 * Photos just stacked together: their duplicate groups tidy again in the caller's transaction, so that a group of
 * versions of one shot (a burst's frames, photos the user stacked) goes.
 */
export async function regroupStacked(tx: Db, photoIds: readonly string[]): Promise<void> {
  if (photoIds.length === 0) return;
  const found = await rows<{ group_id: string }>(
    tx,
    sql`select distinct group_id from duplicate_members where photo_id = any(${uuidArray(photoIds)}) and kind = 'duplicate'`,
  );
  const owner = found.length > 0 ? await rowOwner(tx, 'duplicate_groups', found[0]!.group_id) : null;
  if (owner === null) return;
  await lockOwner(tx, owner);
  await tidyGroups(
    tx,
    found.map((g) => g.group_id),
  );
}

/** Groups a start after the rules changed chooses again at a time (their members' `redundant` is not known). */
const UNCHOSEN_BATCH = 200;

/**
 * Duplicate groups whose members were not chosen under the current rules (a migration left their `redundant` null)
 * choose their keeper again, and what keeping it makes redundant; returns how many. Run at start: until then
 * hiding duplicates hides none of theirs.
 */
export async function chooseUnchosenGroups(db: Db): Promise<number> {
  const [count] = await rows<{ n: number }>(db, sql`select count(distinct group_id)::int as n from duplicate_members where redundant is null`);
  const total = count?.n ?? 0;
  // a bounded number of batches: a group that another process tidies meanwhile is not looked for again
  for (let done = 0; done < total; done += UNCHOSEN_BATCH) {
    const found = await rows<{ group_id: string }>(db, sql`select distinct group_id from duplicate_members where redundant is null limit ${UNCHOSEN_BATCH}`);
    if (found.length === 0) break;
    await db.transaction(async (tx) =>
      tidyGroups(
        tx as unknown as Db,
        found.map((g) => g.group_id),
      ),
    );
  }
  return total;
}

/**
 * Groups left with fewer than two photos go, and duplicate groups that hold only versions of one shot (a RAW and its
 * JPEG stacked since they were grouped); the others choose their best shot (the suggested keeper) again, among
 * their originals that are no edit of another member: never a copy another member has all of, nor an edit of its
 * source (provenance.ts). Each member is marked redundant or not: whether keeping the keeper lets it go.
 */
async function tidyGroups(tx: Db, groupIds: readonly string[]): Promise<void> {
  if (groupIds.length === 0) return;
  const members = await rows<MemberRow>(
    tx,
    sql`select m.group_id, m.photo_id, p.width, p.height, p.size_bytes, coalesce(p.taken_at, p.created_at) as date,
          p.filename, p.mime, p.taken_at, p.make, p.model, p.encoding, p.lineage,
          (select s.stack_id from stack_members s where s.photo_id = p.id) as stack_id
        from duplicate_members m join photos p on p.id = m.photo_id where m.group_id = any(${uuidArray(groupIds)})`,
  );
  const shots = await loadShotScores(
    tx,
    members.map((m) => m.photo_id),
  );
  const kinds = new Map(
    (await rows<{ id: string; kind: GroupKind }>(tx, sql`select id, kind from duplicate_groups where id = any(${uuidArray(groupIds)})`)).map((g) => [
      g.id,
      g.kind,
    ]),
  );
  for (const groupId of groupIds) {
    const inGroup = members.filter((m) => m.group_id === groupId);
    const kind = kinds.get(groupId);
    const facts = inGroup.map((m) => factsOf(m, shots));
    if (inGroup.length < 2 || (kind === 'duplicate' && !holdsCopies(facts))) {
      await tx.execute(sql`delete from duplicate_groups where id = ${groupId}::uuid`);
      continue;
    }
    const candidates = kind === 'duplicate' ? keeperCandidates(facts).map((f) => inGroup.find((m) => m.photo_id === f.id)!) : inGroup;
    const keeper = pickBestShot(
      candidates.map((m) => asCandidate(m, shots)),
      keeperTie(kind),
    )!;
    // what the automatic choice keeps with the keeper stays shown with duplicates hidden: a RAW, another version of the shot
    const kept = kind === 'duplicate' ? keptWith(facts, [keeper.photoId]) : inGroup.map((m) => m.photo_id);
    await tx.execute(sql`update duplicate_groups set keeper_id = ${keeper.photoId}::uuid, updated_at = now() where id = ${groupId}::uuid`);
    await tx.execute(sql`update duplicate_members set redundant = not (photo_id = any(${uuidArray(kept)}))
      where group_id = ${groupId}::uuid and redundant is distinct from not (photo_id = any(${uuidArray(kept)}))`);
  }
}
