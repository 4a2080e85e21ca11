// Applies the clustering rules (ml/people/: clustering.ts and incremental.ts, pure) to the database: one new face at a time as
// photos are analysed, or the whole library on demand. Runs one at a time per database, under an advisory
// lock too, so that concurrent photos (or workers on other machines) never create the same person twice.
import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { faceRejections, faces, people, photos } from '../../db/schema.js';
import { vectorParam } from '../../db/vector-values.js';
import { isNewPersonKey } from '../../ml/people/cluster-types.js';
import { clusterAll } from '../../ml/people/clustering.js';
import { assignIncremental, type NeighbourFace } from '../../ml/people/incremental.js';
import { resolveClusteringParams, type AssignedBy, type ClusteringParams } from '../../ml/people/params.js';
import type { Library } from '../library.js';
import { dropEmptyPeople, dropPeopleLeftEmpty, personIdByName } from './rows.js';
import { refreshSearchDocuments } from '../../search/documents.js';
import { eitherWay, keptPhotos, WHEN_FEW } from '../../search/narrowing.js';
import { owns, ownsSql, type OwnerView } from '../../scope/rows.js';
import { inTransaction, mayChange } from '../actors.js';

/** Neighbours asked of the vector index for each new face. */
const NEIGHBOURS = 64;
const LOCK_KEY = 0x5e0b0c; // arbitrary, constant: pg_advisory_xact_lock key for people clustering

const chains = new WeakMap<Db, Promise<unknown>>();

/** Runs `work` after any clustering already running on this database, in a transaction holding the lock. */
function serialised<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  const previous = chains.get(db) ?? Promise.resolve();
  const next = previous
    .catch(() => undefined)
    .then(() =>
      db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_KEY})`);
        await tx.execute(sql`set local hnsw.ef_search = 100`);
        await tx.execute(sql`set local hnsw.iterative_scan = relaxed_order`);
        // the neighbours' way not taken would start parallel workers all the same (narrowing.ts, serialRows)
        await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
        return work(tx as unknown as Db);
      }),
    );
  chains.set(db, next);
  return next;
}

/**
 * Places each of the given faces (just detected, or redetected) into a person: an existing one when enough of
 * its neighbours agree, a new one when it and unassigned neighbours form a dense core, or none. User-assigned
 * faces are left alone.
 */
export async function clusterNewFaces(
  owner: OwnerView,
  faceIds: string[],
  params: Partial<ClusteringParams>,
  /** People whose faces the caller took away (faces no longer found): dropped here too when unnamed and left empty. */
  emptied: readonly string[] = [],
): Promise<void> {
  await serialised(owner.db, async (tx) => {
    // the people a face left: only they can be left empty (all the owner's unnamed people were probed, inside the lock)
    const left = new Set(emptied);
    for (const faceId of [...faceIds].sort()) {
      const [face] = await tx.select().from(faces).where(eq(faces.id, faceId));
      if (!face || face.assignedBy === 'user') continue;
      const embedding = vectorParam(face.embedding);
      const neighbours = await nearestFaces(tx, owner, faceId, embedding);
      const inPhoto = await tx
        .selectDistinct({ personId: faces.personId })
        .from(faces)
        .where(and(eq(faces.photoId, face.photoId), sql`${faces.id} <> ${faceId}`, sql`${faces.personId} is not null`));
      const rejected = await tx.select({ personId: faceRejections.personId }).from(faceRejections).where(eq(faceRejections.faceId, faceId));
      const decision = assignIncremental(
        { id: faceId, photoId: face.photoId },
        {
          neighbours: neighbours.map((n): NeighbourFace => ({
            faceId: n.id,
            photoId: n.photo_id,
            personId: n.person_id,
            assignedBy: n.assigned_by,
            distance: n.distance,
            embedding: Float32Array.from(JSON.parse(n.embedding) as number[]),
          })),
          personsInPhoto: inPhoto.map((r) => r.personId!),
          rejectedPersonIds: rejected.map((r) => r.personId),
          params,
        },
      );
      const previous = face.personId;
      if (previous) left.add(previous);
      if (decision.kind === 'assign') {
        await tx.update(faces).set({ personId: decision.personId, assignedBy: 'auto' }).where(eq(faces.id, faceId));
      } else if (decision.kind === 'create') {
        const [person] = await tx.insert(people).values({ ownerId: owner.ownerId }).returning({ id: people.id });
        const members = await tx.select({ personId: faces.personId }).from(faces).where(inArray(faces.id, decision.members));
        for (const { personId } of members) if (personId) left.add(personId);
        await tx
          .update(faces)
          .set({ personId: person!.id, assignedBy: 'auto' })
          .where(and(inArray(faces.id, decision.members), sql`${faces.assignedBy} is distinct from 'user'`));
      } else if (previous) {
        await tx.update(faces).set({ personId: null, assignedBy: null }).where(eq(faces.id, faceId));
      }
    }
    await dropPeopleLeftEmpty(tx, [...left]);
  });
}

interface NearFace {
  id: string;
  photo_id: string;
  person_id: string | null;
  assigned_by: AssignedBy | null;
  distance: number;
  embedding: string;
}

/**
 * A face's nearest faces among the owner's photos, nearest first. A small owner's faces are ranked exactly, from their
 * photos (narrowing.ts): the planner read every face of the library instead (1.1 s for an owner of 1,800 photos at
 * 200k, 80 ms now, bounded by the owner), or the HNSW graph's scan gave up before it met enough of theirs.
 */
export function nearestFaces(db: Db, owner: OwnerView, faceId: string, embedding: SQL): Promise<NearFace[]> {
  const columns = sql`f.id, f.photo_id, f.person_id, f.assigned_by, (f.embedding <=> ${embedding})::float8 as distance, f.embedding::text as embedding`;
  const ownerPhotos = sql`${ownsSql(owner, 'p')} and p.deleted_at is null`;
  const exact = sql`select ${columns} from faces f
      where ${WHEN_FEW} and f.photo_id in (select id from kept) and f.id <> ${faceId}
      order by f.embedding <=> ${embedding} limit ${NEIGHBOURS}`;
  const graph = (gate: SQL) => sql`select ${columns} from faces f join photos p on p.id = f.photo_id
      where ${gate} ${ownerPhotos} and f.id <> ${faceId}
      order by f.embedding <=> ${embedding} limit ${NEIGHBOURS}`;
  return rows<NearFace>(
    db,
    sql`with ${keptPhotos(ownerPhotos, owner.ownerId)} select * from (${eitherWay(exact, graph)}) near order by distance limit ${NEIGHBOURS}`,
  );
}

export interface NamedFace {
  faceId: string;
  /** The person a face region of the file names. */
  name: string;
}

/**
 * Puts the people a file names (face regions) on their faces, creating people by name, as the user's own decision:
 * clustering never moves them. A face the user decided about themselves (assigned or took out by hand, or said is
 * not that person) keeps the user's decision. Faces of `unnamed` that a region named before and no longer does are
 * let go, for clustering to place. Returns the faces that carry a name from the file now.
 */
export async function applyRegionNames(owner: OwnerView, named: readonly NamedFace[], unnamed: readonly string[]): Promise<string[]> {
  if (named.length === 0 && unnamed.length === 0) return [];
  return serialised(owner.db, async (tx) => {
    const inTx = inTransaction(owner, tx);
    const left = new Set<string>();
    if (unnamed.length > 0) {
      const released = await tx
        .select({ personId: faces.personId })
        .from(faces)
        .where(and(inArray(faces.id, [...unnamed]), sql`${faces.regionName} is not null`));
      for (const { personId } of released) if (personId) left.add(personId);
      await tx
        .update(faces)
        .set({ personId: null, assignedBy: null, regionName: null })
        .where(and(inArray(faces.id, [...unnamed]), sql`${faces.regionName} is not null`));
    }
    const applied: string[] = [];
    for (const { faceId, name } of named) {
      const [face] = await tx
        .select({ assignedBy: faces.assignedBy, regionName: faces.regionName, personId: faces.personId })
        .from(faces)
        .where(eq(faces.id, faceId));
      if (!face || (face.assignedBy === 'user' && face.regionName === null)) continue;
      const personId = await personIdByName(inTx, name);
      const [rejected] = await tx
        .select({ faceId: faceRejections.faceId })
        .from(faceRejections)
        .where(and(eq(faceRejections.faceId, faceId), eq(faceRejections.personId, personId)));
      if (rejected) continue;
      await tx.update(faces).set({ personId, assignedBy: 'user', regionName: name }).where(eq(faces.id, faceId));
      if (face.personId) left.add(face.personId);
      applied.push(faceId);
    }
    await dropPeopleLeftEmpty(tx, [...left]);
    return applied;
  });
}

/**
 * Faces that look like these (just named, by hand or by a file) become the same person, as a user would expect:
 * faces nobody has placed yet (no person, not taken out by the user) are placed by the incremental rule. With
 * `joinUnnamed` (a name read from a file), an unnamed person made automatically of the same face (copies imported
 * before the name came) also joins the named one when at least half of its faces are within maxDistance of a named
 * face; a name given by hand to one face leaves the others' group alone (the user chose one face, not the group).
 * Returns the photos whose faces changed person.
 */
export async function recogniseLikeThese(
  owner: OwnerView,
  faceIds: readonly string[],
  params: Partial<ClusteringParams>,
  options: { joinUnnamed?: boolean } = {},
): Promise<string[]> {
  if (faceIds.length === 0) return [];
  const maxDistance = params.maxDistance ?? resolveClusteringParams(params).maxDistance;
  const { db } = owner;
  const candidates = await rows<{ id: string; person_id: string | null; named_person: string | null }>(
    db,
    sql`select distinct near.id, near.person_id, named.person_id as named_person
        from faces named
        cross join lateral (
          select f.id, f.person_id, f.embedding <=> named.embedding as distance
          from faces f join photos p on p.id = f.photo_id left join people pe on pe.id = f.person_id
          where ${ownsSql(owner, 'p')} and p.deleted_at is null and f.photo_id <> named.photo_id
            and ((f.person_id is null and f.assigned_by is null) or (${options.joinUnnamed === true} and f.assigned_by = 'auto' and pe.name is null))
          order by f.embedding <=> named.embedding
          limit ${NEIGHBOURS}) near
        where named.id in (${sql.join(
          faceIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )}) and near.distance <= ${maxDistance}`,
  );
  if (candidates.length === 0) return [];
  const unplaced = [...new Set(candidates.filter((c) => c.person_id === null).map((c) => c.id))];
  const merged = await joinUnnamedPeople(db, candidates);
  if (unplaced.length > 0) await clusterNewFaces(owner, unplaced, params);
  const placed =
    unplaced.length === 0
      ? []
      : await db
          .selectDistinct({ photoId: faces.photoId })
          .from(faces)
          .where(and(inArray(faces.id, unplaced), sql`${faces.personId} is not null`));
  return [...new Set([...placed.map((row) => row.photoId), ...merged])];
}

/**
 * Unnamed automatic people whose faces are mostly near the named faces join the named person (the one most of
 * their near faces are near to). A face the user said is not that person stays where it is. Returns the photos
 * whose faces moved.
 */
async function joinUnnamedPeople(db: Db, near: readonly { id: string; person_id: string | null; named_person: string | null }[]): Promise<string[]> {
  // per unnamed person: its faces near a named face, counted per named person they are near to
  const votes = new Map<string, Map<string, Set<string>>>();
  for (const row of near) {
    if (row.person_id === null || row.named_person === null || row.person_id === row.named_person) continue;
    const byTarget = votes.get(row.person_id) ?? new Map<string, Set<string>>();
    byTarget.set(row.named_person, (byTarget.get(row.named_person) ?? new Set()).add(row.id));
    votes.set(row.person_id, byTarget);
  }
  if (votes.size === 0) return [];
  return serialised(db, async (tx) => {
    const sizes = await tx
      .select({ personId: faces.personId, count: sql<number>`count(*)::int` })
      .from(faces)
      .where(inArray(faces.personId, [...votes.keys()]))
      .groupBy(faces.personId);
    const moved: string[] = [];
    for (const { personId, count } of sizes) {
      const [target, voters] = [...votes.get(personId!)!].sort((a, b) => b[1].size - a[1].size)[0]!;
      if (voters.size * 2 < count) continue;
      const photosMoved = await rows<{ photo_id: string }>(
        tx,
        sql`update faces f set person_id = ${target}::uuid
            where f.person_id = ${personId}::uuid and f.assigned_by = 'auto'
              and not exists (select 1 from face_rejections r where r.face_id = f.id and r.person_id = ${target}::uuid)
            returning f.photo_id`,
      );
      moved.push(...photosMoved.map((row) => row.photo_id));
      // the person is gone when all of its faces moved (a face the user kept out of the named one keeps it)
      await tx.execute(
        sql`delete from people pe where pe.id = ${personId}::uuid and pe.name is null and not exists (select 1 from faces f where f.person_id = pe.id)`,
      );
    }
    return [...new Set(moved)];
  });
}

/**
 * Clusters every face of the library again. User assignments stay, "not this person" answers are respected,
 * auto assignments may move, new people are created from dense groups, and faces that fit nowhere are left
 * unassigned.
 */
export async function reclusterPeople(lib: Library): Promise<{ assigned: number; created: number; unassigned: number; removed: number }> {
  mayChange(lib);
  const result = await reclusterAll(lib);
  // Names moved with the faces: every photo with a face is searched by other names now.
  const withFaces = await rows<{ photo_id: string }>(lib.db, sql`select distinct photo_id from faces`);
  await refreshSearchDocuments(
    lib.db,
    withFaces.map((row) => row.photo_id),
  );
  return result;
}

function reclusterAll(lib: Library): Promise<{ assigned: number; created: number; unassigned: number; removed: number }> {
  const params = lib.ml.peopleParams();
  return serialised(lib.db, async (tx) => {
    const all = await tx
      .select({ id: faces.id, photoId: faces.photoId, personId: faces.personId, assignedBy: faces.assignedBy, embedding: faces.embedding })
      .from(faces)
      .innerJoin(photos, eq(photos.id, faces.photoId))
      // faces of photos in the trash keep their people as they are (for a restore) and shape no one
      .where(and(owns(lib, photos), isNull(photos.deletedAt)));
    const rejections = await tx
      .select({ faceId: faceRejections.faceId, personId: faceRejections.personId })
      .from(faceRejections)
      .innerJoin(faces, eq(faces.id, faceRejections.faceId))
      .innerJoin(photos, eq(photos.id, faces.photoId))
      .where(owns(lib, photos));
    const result = clusterAll(
      all.map((f) => ({
        id: f.id,
        photoId: f.photoId,
        personId: f.personId,
        assignedBy: (f.assignedBy as AssignedBy | null) ?? null,
        embedding: Float32Array.from(f.embedding),
      })),
      rejections,
      params,
    );
    const newIds: string[] = [];
    for (let i = 0; i < result.newPeople.length; i++) {
      const [person] = await tx.insert(people).values({ ownerId: lib.ownerId }).returning({ id: people.id });
      newIds.push(person!.id);
    }
    const byFace = new Map(all.map((f) => [f.id, f]));
    let assigned = 0;
    for (const [faceId, key] of result.assignments) {
      const face = byFace.get(faceId)!;
      if (face.assignedBy === 'user') continue;
      const personId = isNewPersonKey(key) ? newIds[Number(key.slice(4))]! : key;
      if (face.personId === personId && face.assignedBy === 'auto') continue;
      await tx.update(faces).set({ personId, assignedBy: 'auto' }).where(eq(faces.id, faceId));
      assigned++;
    }
    const released = result.released.filter((id) => byFace.get(id)?.assignedBy !== 'user');
    for (let i = 0; i < released.length; i += 500) {
      await tx
        .update(faces)
        .set({ personId: null, assignedBy: null })
        .where(inArray(faces.id, released.slice(i, i + 500)));
    }
    const removed = await dropEmptyPeople(inTransaction(lib, tx));
    return { assigned, created: newIds.length, unassigned: result.stats.unassigned, removed };
  });
}
