// Stacks in the database: filing a photo with the photos its keys and its burst group stack it with, taking photos
// out, and each stack's cover (the user's pick, else the best shot).
import { sql } from 'drizzle-orm';
import { textArray, uuidArray } from '../../db/arrays.js';
import { rows, type Db } from '../../db/connection.js';
import { sameOwnerSql } from '../../scope/rows.js';
import { lockStacksOfPhotoSql, newStackForPhotoSql } from './owner-lock.js';
import { asCandidate, loadShotScores, type CandidateRow } from '../best-shot/load.js';
import { pickBestShot, pickBestVersion } from '../best-shot/score.js';
import { regroupStacked } from '../duplicates/groups.js';
import { orderedPair } from '../duplicates/rules.js';
import { hammingDistance } from '../../media/pdq-distance.js';
import type { StackKind } from '../../model/stack.js';
import { framesAlike, stackKeys, stackKind, stackReason, type StackFile, type StackReason } from './rules.js';

/** Photos one key may propose at most (a name like IMG_0001 recurs every 10,000 shots of every camera). */
const MAX_CANDIDATES = 200;

interface FileRow {
  id: string;
  filename: string;
  mime: string;
  taken_at: Date | string | null;
  make: string | null;
  model: string | null;
  stack_keys: string[] | null;
}

const FILE = sql.raw('p.id, p.filename, p.mime, p.taken_at, p.make, p.model, p.stack_keys');

function toFile(row: FileRow): StackFile {
  return {
    id: row.id,
    filename: row.filename,
    mime: row.mime,
    takenAt: row.taken_at === null ? null : new Date(row.taken_at),
    make: row.make,
    model: row.model,
    stackKeys: row.stack_keys,
  };
}

/**
 * Stacks the photo with the photos it belongs with: those sharing a key (name, burst) whose formats, names and clocks
 * say so (rules.ts), and the frames of its burst group (duplicates step, same camera within seconds). Joins their
 * stack, merges stacks it bridges, or starts one; pairs the user took apart stay apart. Serialised per owner.
 */
export async function placeInStack(db: Db, photoId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await t.execute(lockStacksOfPhotoSql(photoId));
    const [me] = await rows<FileRow>(t, sql`select ${FILE} from photos p where p.id = ${photoId}::uuid and p.deleted_at is null`);
    if (!me) return;
    if (me.stack_keys === null) {
      // a photo from before stacks: its name's keys now (a burst identifier comes with its next metadata read)
      me.stack_keys = stackKeys({ filename: me.filename, mime: me.mime });
      await t.execute(sql`update photos set stack_keys = ${textArray(me.stack_keys)} where id = ${photoId}::uuid`);
    }
    const candidates = (me.stack_keys ?? []).length
      ? await rows<FileRow>(
          t,
          sql`select ${FILE} from photos p where p.stack_keys && (select stack_keys from photos where id = ${photoId}::uuid) and p.id <> ${photoId}::uuid and p.deleted_at is null
                and exists (select 1 from photos me where me.id = ${photoId}::uuid and ${sameOwnerSql('p', 'me')})
              order by p.created_at, p.id limit ${MAX_CANDIDATES}`,
        )
      : [];
    // the frames of its burst group (one camera, seconds apart), with how alike they look
    const burstFrames = await rows<{ photo_id: string; pdq_hash: string | null; my_pdq: string | null; similarity: number | null }>(
      t,
      sql`select o.photo_id, p.pdq_hash, me.pdq_hash as my_pdq,
            (select 1 - (a.embedding <=> b.embedding) from photo_embeddings a join photo_embeddings b on b.model = a.model
             where a.photo_id = me.id and b.photo_id = p.id limit 1)::float8 as similarity
          from duplicate_members m join duplicate_members o on o.group_id = m.group_id and o.photo_id <> m.photo_id
          join photos p on p.id = o.photo_id and p.deleted_at is null join photos me on me.id = m.photo_id
          where m.photo_id = ${photoId}::uuid and m.kind = 'burst'`,
    );
    const separated = new Set(
      (
        await rows<{ other: string }>(
          t,
          sql`select case when photo_a = ${photoId}::uuid then photo_b else photo_a end as other from stack_separations
              where photo_a = ${photoId}::uuid or photo_b = ${photoId}::uuid`,
        )
      ).map((r) => r.other),
    );
    const self = toFile(me);
    const byName = candidates.filter((c) => (c.stack_keys ?? []).some((k) => k.startsWith('name:') && (me.stack_keys ?? []).includes(k)));
    const matches = new Map<string, StackReason>();
    for (const row of candidates) {
      const reason = stackReason(self, toFile(row), byName.length === 1);
      if (reason && !separated.has(row.id)) matches.set(row.id, reason);
    }
    for (const frame of burstFrames) {
      const distance = frame.pdq_hash && frame.my_pdq ? hammingDistance(frame.pdq_hash, frame.my_pdq) : null;
      if (matches.has(frame.photo_id) || separated.has(frame.photo_id) || !framesAlike(distance, frame.similarity)) continue;
      matches.set(frame.photo_id, 'burst-time');
    }
    if (matches.size === 0) return;
    await join(t, photoId, matches);
  });
}

/**
 * Puts the photo and its matches in one stack: the oldest of the stacks they are in, the others merged into it. A match
 * (with the whole stack it is in) is left out when any of its photos was taken apart by the user from any photo
 * already in: a frame restored from the trash does not put back together a burst the user unstacked meanwhile.
 */
async function join(t: Db, photoId: string, matches: Map<string, StackReason>): Promise<void> {
  const ids = [photoId, ...matches.keys()];
  const current = await rows<{ stack_id: string; photo_id: string }>(
    t,
    sql`select m2.stack_id, m2.photo_id from stack_members m join stacks s on s.id = m.stack_id join stack_members m2 on m2.stack_id = m.stack_id
        where m.photo_id = any(${uuidArray(ids)}) order by s.created_at, s.id`,
  );
  const stackOf = new Map(current.map((c) => [c.photo_id, c.stack_id]));
  const everyone = [...new Set([...ids, ...current.map((c) => c.photo_id)])];
  const apart = new Set(
    (
      await rows<{ photo_a: string; photo_b: string }>(
        t,
        sql`select photo_a, photo_b from stack_separations where photo_a = any(${uuidArray(everyone)}) and photo_b = any(${uuidArray(everyone)})`,
      )
    ).map((r) => `${r.photo_a}|${r.photo_b}`),
  );
  const groupOf = (id: string) => (stackOf.has(id) ? current.filter((c) => c.stack_id === stackOf.get(id)).map((c) => c.photo_id) : [id]);
  const accepted = new Set(groupOf(photoId));
  const joined: [string, StackReason][] = [];
  for (const [id, reason] of matches) {
    if (accepted.has(id)) continue;
    const group = groupOf(id);
    if (group.some((g) => [...accepted].some((a) => apart.has(orderedPair(a, g).join('|'))))) continue;
    for (const g of group) accepted.add(g);
    joined.push([id, reason]);
  }
  if (joined.length === 0) return;
  // the oldest stack among those joined (current is in their order of creation), else a new one
  const stacksIn = [...new Set(current.filter((c) => accepted.has(c.photo_id)).map((c) => c.stack_id))];
  const target = stacksIn[0] ?? (await rows<{ id: string }>(t, newStackForPhotoSql(photoId)))[0]!.id;
  const others = stacksIn.filter((id) => id !== target);
  if (others.length > 0) {
    await t.execute(sql`update stack_members set stack_id = ${target}::uuid where stack_id = any(${uuidArray(others)})`);
    await t.execute(sql`delete from stacks where id = any(${uuidArray(others)})`);
  }
  // the photo joins with the reason of its first match; each match with the reason that ties it to the photo
  const values = [sql`(${target}::uuid, ${photoId}::uuid, ${joined[0]![1]})`, ...joined.map(([id, reason]) => sql`(${target}::uuid, ${id}::uuid, ${reason})`)];
  await t.execute(sql`insert into stack_members (stack_id, photo_id, reason) values ${sql.join(values, sql`, `)} on conflict (photo_id) do nothing`);
  await tidyStacks(t, [target]);
  // versions of one shot are no copies of each other: a duplicate group of only them goes
  await regroupStacked(t, [...accepted]);
}

/** Takes photos out of their stacks (trashed, deleted, moved out by the user); `separate` remembers the pairs. */
export async function leaveStacks(db: Db, photoIds: readonly string[], options: { separate?: boolean } = {}): Promise<void> {
  if (photoIds.length === 0) return;
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await t.execute(lockStacksOfPhotoSql(photoIds[0]!)); // one user's photos at a time (a trash, a move out)
    const left = await rows<{ stack_id: string; photo_id: string }>(
      t,
      sql`delete from stack_members where photo_id = any(${uuidArray(photoIds)}) returning stack_id, photo_id`,
    );
    if (options.separate && left.length > 0) {
      const rest = await rows<{ stack_id: string; photo_id: string }>(
        t,
        sql`select stack_id, photo_id from stack_members where stack_id = any(${uuidArray(left.map((l) => l.stack_id))})`,
      );
      const everyone = [...left, ...rest];
      await separate(
        t,
        left.flatMap((l) => everyone.filter((o) => o.stack_id === l.stack_id && o.photo_id !== l.photo_id).map((o) => orderedPair(l.photo_id, o.photo_id))),
      );
    }
    await tidyStacks(t, [...new Set(left.map((l) => l.stack_id))]);
  });
}

/** "Not one stack": the pairs are never stacked together again by the rules. */
export async function separate(t: Db, pairs: readonly [string, string][]): Promise<void> {
  // two arrays, not a value list: a stack of a few hundred photos is tens of thousands of pairs (a statement takes
  // at most 65,535 parameters)
  for (let i = 0; i < pairs.length; i += SEPARATIONS_PER_STATEMENT) {
    const batch = pairs.slice(i, i + SEPARATIONS_PER_STATEMENT);
    await t.execute(sql`insert into stack_separations (photo_a, photo_b)
                        select * from unnest(${uuidArray(batch.map(([a]) => a))}, ${uuidArray(batch.map(([, b]) => b))}) on conflict do nothing`);
  }
}

const SEPARATIONS_PER_STATEMENT = 20_000;
/** Stacks whose photos are versions of one capture, one focus: their cover is the best version, not the sharpest. */
const VERSIONS_OF_ONE_CAPTURE: ReadonlySet<StackKind> = new Set(['raw-jpeg', 'heic-jpeg', 'edits']);

/** Stacks left with fewer than two photos go; the others get their kind and cover again (a user's cover stays while it is in). */
export async function tidyStacks(t: Db, stackIds: readonly string[]): Promise<void> {
  if (stackIds.length === 0) return;
  // a photo trashed while it was being filed leaves at once (its own leaveStacks ran before it joined)
  await t.execute(sql`delete from stack_members where stack_id = any(${uuidArray(stackIds)})
                      and photo_id in (select id from photos where id = stack_members.photo_id and deleted_at is not null)`);
  const members = await rows<CandidateRow & { stack_id: string; reason: StackReason }>(
    t,
    sql`select m.stack_id, m.photo_id, m.reason, p.width, p.height, p.size_bytes, p.filename, coalesce(p.taken_at, p.created_at) as date
        from stack_members m join photos p on p.id = m.photo_id where m.stack_id = any(${uuidArray(stackIds)})`,
  );
  const shots = await loadShotScores(
    t,
    members.map((m) => m.photo_id),
  );
  const stacks = await rows<{ id: string; cover_id: string | null; cover_by_user: boolean }>(
    t,
    sql`select id, cover_id, cover_by_user from stacks where id = any(${uuidArray(stackIds)})`,
  );
  for (const stack of stacks) {
    const inStack = members.filter((m) => m.stack_id === stack.id);
    if (inStack.length < 2) {
      await t.execute(sql`delete from stacks where id = ${stack.id}::uuid`);
      continue;
    }
    const userCover = stack.cover_by_user && inStack.some((m) => m.photo_id === stack.cover_id);
    const kind = stackKind(inStack.map((m) => m.reason));
    const pick = VERSIONS_OF_ONE_CAPTURE.has(kind) ? pickBestVersion : pickBestShot;
    const cover = userCover ? stack.cover_id! : pick(inStack.map((m) => asCandidate(m, shots)))!.photoId;
    await t.execute(sql`update stacks set cover_id = ${cover}::uuid, cover_by_user = ${userCover}, kind = ${kind}, updated_at = now()
                        where id = ${stack.id}::uuid and (cover_id is distinct from ${cover}::uuid or kind <> ${kind} or cover_by_user <> ${userCover})`);
  }
}

/** The stacks of these photos choose their cover again (their measures or faces changed). */
export async function refreshStackCovers(db: Db, photoIds: readonly string[]): Promise<void> {
  if (photoIds.length === 0) return;
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await t.execute(lockStacksOfPhotoSql(photoIds[0]!));
    const found = await rows<{ stack_id: string }>(t, sql`select distinct stack_id from stack_members where photo_id = any(${uuidArray(photoIds)})`);
    if (found.length > 0)
      await tidyStacks(
        t,
        found.map((f) => f.stack_id),
      );
  });
}
