// People and their faces: the operations a user performs (name, merge, hide, assign, "not this person").
// Automatic clustering lives in people-clustering.ts; user decisions recorded here always win over it.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { faceRejections, faces, people, photos } from '../../db/schema.js';
import { UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import { visiblePhotoSql } from '../../scope/access.js';
import { recogniseLikeThese } from './clustering.js';
import { cleanName, dropEmptyPeople, personIdByName } from './rows.js';
import { refreshSearchDocuments, refreshSearchDocumentsOfPeople } from '../../search/documents.js';
import { writeBackDue, writeBackDueForPeople } from '../write-back/write-back.js';
import { owns, ownsSql } from '../../scope/rows.js';
import { mayChange } from '../actors.js';
import { faceCountSql, foldPeopleCountsIfMany, peopleWithDeltasSql, photoCountSql } from './counts.js';

export interface PersonSummary {
  id: string;
  name: string | null;
  hidden: boolean;
  faceCount: number;
  photoCount: number;
  coverFaceId: string | null;
  createdAt: string;
}

interface PersonRowWithCounts {
  id: string;
  name: string | null;
  hidden: boolean;
  face_count: number;
  photo_count: number;
  cover_face_id: string | null;
  created_at: string | Date;
}

const toSummary = (row: PersonRowWithCounts): PersonSummary => ({
  id: row.id,
  name: row.name,
  hidden: row.hidden,
  faceCount: row.face_count,
  photoCount: row.photo_count,
  coverFaceId: row.cover_face_id,
  createdAt: new Date(row.created_at).toISOString(),
});

/**
 * People with their counts and a cover face: the user's choice, else the face with the highest score × size.
 * Named people first, then by number of faces. Faces of photos in the trash do not count. The counts are kept on
 * the person plus their waiting changes (migration 0044, counts.ts) and faces_cover_idx gives the best face first: a
 * page reads its people, not every face.
 */
function peopleQuery(lib: Library, where: ReturnType<typeof sql>) {
  return sql`
    select pe.id, pe.name, pe.hidden, pe.created_at, ${faceCountSql} as face_count, ${photoCountSql} as photo_count,
           coalesce(pe.cover_face_id, (
             select f2.id from faces f2 join photos p2 on p2.id = f2.photo_id and p2.deleted_at is null
             where f2.person_id = pe.id
             order by f2.score * sqrt(f2.width * f2.height) desc, f2.id limit 1)) as cover_face_id
    from ${peopleWithDeltasSql}
    where ${ownsSql(lib, 'pe')} and ${where}`;
}

export async function listPeople(
  lib: Library,
  options: { includeHidden?: boolean; named?: boolean; page: number; limit: number },
): Promise<{ items: PersonSummary[]; total: number; page: number; limit: number }> {
  // An unnamed person whose photos are all in the trash is not shown (until one is restored).
  const conditions = [sql`(pe.name is not null or ${faceCountSql} > 0)`];
  if (!options.includeHidden) conditions.push(sql`pe.hidden = false`);
  if (options.named === true) conditions.push(sql`pe.name is not null`);
  if (options.named === false) conditions.push(sql`pe.name is null`);
  const where = sql.join(conditions, sql` and `);
  const offset = (options.page - 1) * options.limit;
  await foldPeopleCountsIfMany(lib.db);
  const [items, counted] = await Promise.all([
    rows<PersonRowWithCounts>(
      lib.db,
      sql`${peopleQuery(lib, where)} order by (pe.name is null), ${faceCountSql} desc, pe.name, pe.id limit ${options.limit} offset ${offset}`,
    ),
    rows<{ total: number }>(lib.db, sql`select count(*)::int as total from ${peopleWithDeltasSql} where ${ownsSql(lib, 'pe')} and ${where}`),
  ]);
  return { items: items.map(toSummary), total: counted[0]?.total ?? 0, page: options.page, limit: options.limit };
}

export async function getPerson(lib: Library, id: string): Promise<PersonSummary | null> {
  const [row] = await rows<PersonRowWithCounts>(lib.db, sql`${peopleQuery(lib, sql`pe.id = ${id}`)}`);
  return row ? toSummary(row) : null;
}

async function requirePerson(lib: Library, id: string) {
  const [person] = await lib.db
    .select()
    .from(people)
    .where(and(eq(people.id, id), owns(lib, people)));
  if (!person) throw new UserError('not-found', `no person with id ${id}`);
  return person;
}

/** A face of one of the owner's photos, or a 404. */
export async function requireFace(lib: Library, id: string) {
  const [face] = await lib.db
    .select({ face: faces, storageLocation: photos.storageLocation })
    .from(faces)
    .innerJoin(photos, eq(photos.id, faces.photoId))
    .where(and(eq(faces.id, id), owns(lib, photos)));
  if (!face) throw new UserError('not-found', `no face with id ${id}`);
  // where its crop is stored: its photo's location
  return { ...face.face, storageLocation: face.storageLocation };
}

export async function updatePerson(
  lib: Library,
  id: string,
  changes: { name?: string | null; hidden?: boolean; coverFaceId?: string | null },
): Promise<PersonSummary> {
  mayChange(lib);
  await requirePerson(lib, id);
  if (changes.coverFaceId) {
    const face = await requireFace(lib, changes.coverFaceId);
    if (face.personId !== id) throw new UserError('invalid', `face ${changes.coverFaceId} is not one of this person's faces`);
  }
  const set: Partial<typeof people.$inferInsert> = { updatedAt: new Date() };
  if (changes.name !== undefined) set.name = changes.name === null || cleanName(changes.name) === '' ? null : cleanName(changes.name);
  if (changes.hidden !== undefined) set.hidden = changes.hidden;
  if (changes.coverFaceId !== undefined) set.coverFaceId = changes.coverFaceId;
  await lib.db.update(people).set(set).where(eq(people.id, id));
  if (set.name !== undefined) await refreshSearchDocumentsOfPeople(lib.db, [id]);
  if (set.name !== undefined) await writeBackDueForPeople(lib.db, [id]);
  return (await getPerson(lib, id))!;
}

/**
 * Moves every face of `sourceIds` to `targetId` and deletes the sources. A user decision: the faces count as
 * assigned by the user, and the target keeps its name (or takes the first source's name when it has none).
 */
export async function mergePeople(lib: Library, targetId: string, sourceIds: string[]): Promise<PersonSummary> {
  mayChange(lib);
  const target = await requirePerson(lib, targetId);
  const sources = [...new Set(sourceIds)].filter((id) => id !== targetId);
  if (sources.length === 0) throw new UserError('invalid', 'give at least one other person to merge into this one');
  const found = await Promise.all(sources.map((id) => requirePerson(lib, id)));
  await lib.db.transaction(async (tx) => {
    await tx.update(faces).set({ personId: targetId, assignedBy: 'user', regionName: null }).where(inArray(faces.personId, sources));
    // Rejections of a source now mean the same thing for the target.
    await tx.execute(sql`
      insert into face_rejections (face_id, person_id)
      select face_id, ${targetId}::uuid from face_rejections where person_id = any(${sql.raw(`array[${sources.map((s) => `'${s}'`).join(',')}]`)}::uuid[])
      on conflict do nothing`);
    const name = target.name ?? found.find((p) => p.name)?.name ?? null;
    await tx
      .update(people)
      .set({ name, hidden: target.hidden && found.every((p) => p.hidden), updatedAt: new Date() })
      .where(eq(people.id, targetId));
    await tx.delete(people).where(inArray(people.id, sources));
  });
  await refreshSearchDocumentsOfPeople(lib.db, [targetId]);
  await writeBackDueForPeople(lib.db, [targetId]);
  return (await getPerson(lib, targetId))!;
}

/** Assigns a face to a person (by id, or by name: the named person is created when needed). */
export async function assignFace(lib: Library, faceId: string, target: { personId?: string; name?: string }) {
  mayChange(lib);
  const face = await requireFace(lib, faceId);
  const personId = target.personId ? (await requirePerson(lib, target.personId)).id : target.name ? await personIdByName(lib, target.name) : null;
  if (!personId) throw new UserError('invalid', 'give personId or name');
  const previous = face.personId;
  await lib.db.update(faces).set({ personId, assignedBy: 'user', regionName: null }).where(eq(faces.id, faceId));
  await lib.db.delete(faceRejections).where(and(eq(faceRejections.faceId, faceId), eq(faceRejections.personId, personId)));
  if (previous && previous !== personId) await dropEmptyPeople(lib);
  // Faces in other photos that nobody has placed and that look like this one are this person too.
  const recognised = await recogniseLikeThese(lib, [faceId], lib.ml.peopleParams());
  await refreshSearchDocuments(lib.db, [face.photoId, ...recognised]);
  await writeBackDue(lib.db, [face.photoId, ...recognised]);
  return { faceId, personId };
}

/**
 * Takes a face away from its person and keeps it unassigned: clustering will not put it anywhere again
 * (the user said so), and never back with the person it left.
 */
export async function unassignFace(lib: Library, faceId: string) {
  mayChange(lib);
  const face = await requireFace(lib, faceId);
  await lib.db.update(faces).set({ personId: null, assignedBy: 'user', regionName: null }).where(eq(faces.id, faceId));
  if (face.personId) {
    await lib.db.insert(faceRejections).values({ faceId, personId: face.personId }).onConflictDoNothing();
    await dropEmptyPeople(lib);
  }
  await refreshSearchDocuments(lib.db, [face.photoId]);
  await writeBackDue(lib.db, [face.photoId]);
  return { faceId, personId: null };
}

/**
 * "Not this person": the face leaves the person and the rejection is remembered, so clustering may place the
 * face with someone else but never with this person again.
 */
export async function rejectFace(lib: Library, faceId: string, personId?: string) {
  mayChange(lib);
  const face = await requireFace(lib, faceId);
  const rejected = personId ?? face.personId;
  if (!rejected) throw new UserError('invalid', 'this face has no person; give the personId it is not');
  await requirePerson(lib, rejected);
  await lib.db.insert(faceRejections).values({ faceId, personId: rejected }).onConflictDoNothing();
  if (face.personId === rejected) {
    await lib.db.update(faces).set({ personId: null, assignedBy: null, regionName: null }).where(eq(faces.id, faceId));
    await dropEmptyPeople(lib);
    await refreshSearchDocuments(lib.db, [face.photoId]);
    await writeBackDue(lib.db, [face.photoId]);
  }
  return { faceId, personId: null, rejected };
}

export async function deletePerson(lib: Library, id: string): Promise<void> {
  mayChange(lib);
  await requirePerson(lib, id);
  const affected = await lib.db.selectDistinct({ photoId: faces.photoId }).from(faces).where(eq(faces.personId, id));
  // Its faces become unassigned; clustering must not rebuild the same person at once, so they are kept out.
  await lib.db.update(faces).set({ personId: null, assignedBy: 'user', regionName: null }).where(eq(faces.personId, id));
  await lib.db.delete(people).where(eq(people.id, id));
  await refreshSearchDocuments(
    lib.db,
    affected.map((row) => row.photoId),
  );
  await writeBackDue(
    lib.db,
    affected.map((row) => row.photoId),
  );
}

export interface FaceSummary {
  id: string;
  photoId: string;
  personId: string | null;
  personName: string | null;
  assignedBy: string | null;
  box: { x: number; y: number; width: number; height: number };
  score: number;
}

/** Faces of a photo, or of a person (newest photos first), with their person's name. */
export async function listFaces(lib: Library, by: { photoId: string } | { personId: string; page: number; limit: number }): Promise<FaceSummary[]> {
  const base = lib.db
    .select({ face: faces, personName: people.name })
    .from(faces)
    .innerJoin(photos, eq(photos.id, faces.photoId))
    .leftJoin(people, eq(people.id, faces.personId));
  const result =
    'photoId' in by
      ? // a photo's faces, for any photo the user may see (a partner's, one in a shared album): the route hides whose
        await base.where(and(eq(faces.photoId, by.photoId), visiblePhotoSql(lib, 'photos'))).orderBy(faces.x, faces.id)
      : await base
          .where(and(eq(faces.personId, by.personId), owns(lib, photos), isNull(photos.deletedAt)))
          .orderBy(sql`coalesce(${photos.takenAt}, ${photos.createdAt}) desc`, faces.id)
          .limit(by.limit)
          .offset((by.page - 1) * by.limit);
  return result.map(({ face, personName }) => ({
    id: face.id,
    photoId: face.photoId,
    personId: face.personId,
    personName,
    assignedBy: face.assignedBy,
    box: { x: face.x, y: face.y, width: face.width, height: face.height },
    score: face.score,
  }));
}

/** Faces nobody has a person for yet (clustering left them alone). */
export async function countUnassignedFaces(lib: Library): Promise<number> {
  const [row] = await lib.db
    .select({ count: sql<number>`count(*)::int` })
    .from(faces)
    .innerJoin(photos, eq(photos.id, faces.photoId))
    .where(and(isNull(faces.personId), owns(lib, photos), isNull(photos.deletedAt)));
  return row?.count ?? 0;
}
