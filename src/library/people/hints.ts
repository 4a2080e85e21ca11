// People a file names without saying where they are in the image (XMP PersonInImage, a Google Takeout sidecar's
// people[]: photos.people_named). A name goes on a face only when nothing else is possible: it is the one name not yet
// on a face of the photo, and the photo has one face nobody has named or decided about. Otherwise the names stay
// hints, shown on the photo and found by search. Precision first: a guess between two faces is never made; once
// one of two people is recognised elsewhere, the other follows by elimination (the faces step asks again).
import { sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import type { OwnerView } from '../../scope/rows.js';
import { applyRegionNames, type NamedFace } from './clustering.js';

/** A face of the photo as the rule needs it. */
export interface HintFace {
  id: string;
  /** The name of its person, or null (no person, or one nobody named). */
  personName: string | null;
  /** The name a file's face region gave it (kept when the person was renamed since). */
  regionName?: string | null;
  /** The user decided about it by hand (placed it, took it out): it is not free to be named. */
  decidedByUser: boolean;
}

const key = (name: string) => name.normalize('NFC').trim().toLocaleLowerCase();

/**
 * The names of `named` that no face of the photo carries, each once, in their order: a face's person's name, or the
 * name a face region of the file gave it (a person renamed since is still the one the file names), or a name
 * among `regionNames` (the file's own regions). Pure.
 */
export function namesNotOnFaces(
  named: readonly string[],
  faces: readonly Pick<HintFace, 'personName' | 'regionName'>[],
  regionNames: readonly string[] = [],
): string[] {
  const seen = new Set([...faces.flatMap((face) => [face.personName, face.regionName ?? null]), ...regionNames].flatMap((name) => (name ? [key(name)] : [])));
  const left: string[] = [];
  for (const name of named) {
    if (seen.has(key(name))) continue;
    seen.add(key(name));
    left.push(name);
  }
  return left;
}

/** The face a name goes on: one name left and one free face, else none. Pure. */
export function placeByElimination(named: readonly string[], faces: readonly HintFace[], regionNames: readonly string[] = []): NamedFace | null {
  const names = namesNotOnFaces(named, faces, regionNames);
  const free = faces.filter((face) => face.personName === null && !face.decidedByUser);
  return names.length === 1 && free.length === 1 ? { faceId: free[0]!.id, name: names[0]! } : null;
}

/**
 * Puts each photo's one unplaced name on its one free face, as a file's face region is put (the user's own
 * decision; a face the user said is not that person is skipped). Returns the faces named.
 */
export async function placePeopleNamed(owner: OwnerView, photoIds: readonly string[]): Promise<string[]> {
  if (photoIds.length === 0) return [];
  const ids = sql.join(
    photoIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const found = await rows<{
    photo_id: string;
    people_named: string[];
    face_regions: { name: string }[] | null;
    face_id: string | null;
    person_name: string | null;
    assigned_by: string | null;
    region_name: string | null;
  }>(
    owner.db,
    sql`select p.id as photo_id, p.people_named, p.face_regions, f.id as face_id, pe.name as person_name, f.assigned_by, f.region_name
        from photos p left join faces f on f.photo_id = p.id left join people pe on pe.id = f.person_id
        where p.id in (${ids}) and p.deleted_at is null and cardinality(p.people_named) > 0`,
  );
  const byPhoto = new Map<string, { named: string[]; regions: string[]; faces: HintFace[] }>();
  for (const row of found) {
    const entry = byPhoto.get(row.photo_id) ?? { named: row.people_named, regions: (row.face_regions ?? []).map((r) => r.name), faces: [] };
    byPhoto.set(row.photo_id, entry);
    if (row.face_id === null) continue;
    // a face the user placed or took out by hand is theirs; one a file named (region_name) carries its name
    entry.faces.push({
      id: row.face_id,
      personName: row.person_name,
      regionName: row.region_name,
      decidedByUser: row.assigned_by === 'user' && row.region_name === null,
    });
  }
  const placed = [...byPhoto.values()].flatMap(({ named, regions, faces }) => placeByElimination(named, faces, regions) ?? []);
  return placed.length > 0 ? applyRegionNames(owner, placed, []) : [];
}
