// Write-back, opt-in per library in place: what the user marked in Shoebox — rating, favourite (as the XMP label
// "Favorite"), the keywords and description, people's names with their face regions (MWG regions, which digiKam
// and Lightroom read) — goes to the XMP sidecar beside the file (`name.ext.xmp`), never into the file itself.
// ExifTool edits a copy of the sidecar, put in its place after: what other tools wrote there stays; keywords and
// regions are merged. Links are neither read nor written through (sidecar-files.ts).
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { textArray, uuidArray } from '../../db/arrays.js';
import { rows, type Db } from '../../db/connection.js';
import { reader } from '../../media/exiftool-reader.js';
import { MAX_SIDECAR_BYTES } from '../../media/xmp-sidecar.js';
import { sidecarProblem } from '../../media/sidecar-limits.js';
import { regionPersonName } from '../../media/face-regions.js';
import { editTags } from '../../media/edit-xmp.js';
import { activeEdit, fromEdited, type StoredEdit } from '../../model/photo-edit.js';
import { openInPlace } from '../../storage/in-place.js';
import type { Resources } from '../library.js';
import { allowedFolders, inPlaceLookup } from './guard.js';
import { writeBackRefusal } from './overlap.js';
import { realRoots } from './roots.js';
import { openFolder, placeSidecar, readSidecar, SidecarRefusedError, type OpenFolder } from './sidecar-files.js';
import { sameOwnerSql } from '../../scope/rows.js';

/** The label other tools show for a favourite (digiKam and Lightroom read xmp:Label). */
export const FAVORITE_LABEL = 'Favorite';

/** Marks photos as due for write-back (a no-op for photos that are not in a library in place). */
export async function writeBackDue(db: Db, photoIds: readonly string[]): Promise<void> {
  if (photoIds.length === 0) return;
  await db.execute(sql`update photos set written_back_at = null where id = any(${uuidArray([...new Set(photoIds)])}) and library_id is not null`);
}

/** The photos whose faces are these people's are due (a rename, a merge, a deletion). */
export async function writeBackDueForPeople(db: Db, personIds: readonly string[]): Promise<void> {
  if (personIds.length === 0) return;
  await db.execute(
    sql`update photos set written_back_at = null where library_id is not null
          and id in (select photo_id from faces where person_id = any(${uuidArray([...personIds])}))`,
  );
}

interface DuePhoto {
  id: string;
  library_id: string;
  /** The library's folders. */
  paths: string[];
  storage_key: string;
  rating: number | null;
  rating_by_user: boolean;
  favorite: boolean;
  keywords: string[];
  description: string | null;
  width: number | null;
  height: number | null;
  /** The user's turn and crop (faces are on the edited image; regions go to the sidecar on the upright original). */
  edit: StoredEdit | null;
  orientation: number | null;
  updated_at: string;
  written_back_at: string | null;
  faces: { name: string; x: number; y: number; width: number; height: number }[];
  latitude: number | null;
  longitude: number | null;
  /** The user set (or removed) the position: the sidecar carries theirs. */
  location_by_user: boolean;
}

/** What a photo's XMP sidecar says of the user's marks on it (a library in place's write-back, an export). */
export type PhotoMarks = Pick<
  DuePhoto,
  'rating' | 'rating_by_user' | 'favorite' | 'keywords' | 'description' | 'width' | 'height' | 'edit' | 'orientation' | 'faces'
> &
  Partial<Pick<DuePhoto, 'latitude' | 'longitude' | 'location_by_user'>>;

interface SidecarSpot {
  /** `name.ext.xmp` (or `.XMP`) in the photo's folder. */
  name: string;
  exists: boolean;
  /** Lightroom's `name.xmp`, whose content a new sidecar starts from. */
  copyFrom: string | null;
}

/** `name.ext.xmp` beside the file: the one that exists (either case), else a new one (from `name.xmp` when there is one). */
async function sidecarFor(folder: OpenFolder, file: string): Promise<SidecarSpot> {
  const names = new Set(await fs.readdir(folder.base).catch(() => [] as string[]));
  const base = path.basename(file);
  for (const name of [`${base}.xmp`, `${base}.XMP`]) if (names.has(name)) return { name, exists: true, copyFrom: null };
  const stem = base.slice(0, base.length - path.extname(base).length);
  const lightroom = [`${stem}.xmp`, `${stem}.XMP`].find((name) => names.has(name));
  return { name: `${base}.xmp`, exists: false, copyFrom: lightroom ?? null };
}

/** What the sidecar holds already, as ExifTool reads it: the fields merged with Shoebox's. */
export type SidecarTags = { Subject?: unknown; Label?: unknown; RegionInfo?: { RegionList?: Region[] } };

type Region = { Area?: { X?: number; Y?: number; W?: number; H?: number; Unit?: string }; Name?: string; Type?: string };

/** The tags to write: ours, merged with what the sidecar holds (keywords added to, regions of other names kept). */
export function sidecarTags(
  photo: PhotoMarks,
  existing: SidecarTags,
  /** Names (lower case) of the owner's people: regions with those names are Shoebox's to keep or drop. */
  people: ReadonlySet<string>,
): Record<string, unknown> {
  const names = [...new Set(photo.faces.map((face) => face.name))];
  const subject = Array.isArray(existing.Subject) ? existing.Subject.map(String) : typeof existing.Subject === 'string' ? [existing.Subject] : [];
  const ours = new Set(names.map((name) => name.toLowerCase()));
  const regions = existing.RegionInfo?.RegionList ?? [];
  // Shoebox's regions: those naming one of the owner's people, or lying on a face Shoebox knows (a person since
  // renamed); the others are another tool's and stay
  const isOurs = (region: Region) => {
    const name = regionPersonName(region.Name)?.toLowerCase();
    return region.Type === 'Face' && Boolean(name) && (ours.has(name!) || people.has(name!) || photo.faces.some((face) => overlaps(region, face, photo)));
  };
  const kept = regions.filter((region) => !isOurs(region));
  const dropped = new Set(regions.filter(isOurs).map((region) => regionPersonName(region.Name)!.toLowerCase()));
  // a person no longer on the photo (or renamed) leaves its keyword too; other tools' keywords stay
  const stale = (word: string) => (people.has(word.toLowerCase()) || dropped.has(word.toLowerCase())) && !ours.has(word.toLowerCase());
  const keywords = [...new Set([...subject.filter((word) => !stale(word)), ...photo.keywords.filter((word) => !stale(word)), ...names])];
  const tags: Record<string, unknown> = {
    'XMP-xmp:Rating': photo.rating ?? null,
    'XMP-xmp:Label': photo.favorite ? FAVORITE_LABEL : null,
    'XMP-dc:Subject': keywords,
    'XMP-dc:Description': photo.description,
  };
  if ((photo.faces.length > 0 || kept.length < regions.length) && photo.width && photo.height) {
    // areas on the upright original, centre and size as fractions; applied to its size (face-regions.ts): faces on
    // an edited image are taken back through the edit
    const edit = activeEdit(photo.edit);
    const upright = photo.edit?.base ?? { width: photo.width, height: photo.height };
    tags['XMP-mwg-rs:RegionInfo'] = {
      AppliedToDimensions: { W: upright.width, H: upright.height, Unit: 'pixel' },
      RegionList: [
        ...kept,
        ...photo.faces.map((face) => {
          const box = fromEdited(
            { x: face.x / photo.width!, y: face.y / photo.height!, width: face.width / photo.width!, height: face.height / photo.height! },
            edit,
          );
          return {
            Area: { X: round(box.x + box.width / 2), Y: round(box.y + box.height / 2), W: round(box.width), H: round(box.height), Unit: 'normalized' },
            Name: face.name,
            Type: 'Face',
          };
        }),
      ],
    };
  }
  if (photo.edit) Object.assign(tags, editTags(photo.edit, photo.orientation));
  // the position the user set on the map (signed degrees: ExifTool writes the references); removed: null deletes it
  if (photo.location_by_user) {
    tags['XMP-exif:GPSLatitude'] = photo.latitude ?? null;
    tags['XMP-exif:GPSLongitude'] = photo.longitude ?? null;
  }
  // only what Shoebox knows: a field it has nothing for is left as the sidecar has it, but a rating the user cleared
  // and a favourite taken back are cleared there too (null deletes the tag)
  if (photo.rating === null && !photo.rating_by_user) delete tags['XMP-xmp:Rating'];
  if (!photo.favorite && existing.Label !== FAVORITE_LABEL) delete tags['XMP-xmp:Label'];
  if (photo.description === null) delete tags['XMP-dc:Description'];
  return tags;
}

/** Whether a region (normalised centre and size) covers most of a face (pixels on the upright image). */
function overlaps(region: Region, face: DuePhoto['faces'][number], photo: PhotoMarks): boolean {
  const area = region.Area;
  if (!area || area.X === undefined || area.Y === undefined || !area.W || !area.H || !photo.width || !photo.height) return false;
  const a = { x0: area.X - area.W / 2, y0: area.Y - area.H / 2, x1: area.X + area.W / 2, y1: area.Y + area.H / 2 };
  const b = {
    x0: face.x / photo.width,
    y0: face.y / photo.height,
    x1: (face.x + face.width) / photo.width,
    y1: (face.y + face.height) / photo.height,
  };
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  if (w <= 0 || h <= 0) return false;
  const union = (a.x1 - a.x0) * (a.y1 - a.y0) + (b.x1 - b.x0) * (b.y1 - b.y0) - w * h;
  return (w * h) / union > 0.5;
}

const round = (value: number) => Math.round(Math.min(1, Math.max(0, value)) * 1e6) / 1e6;

/** Whether the user marked anything a sidecar should carry; a photo with nothing gets no new sidecar. */
function hasMarks(photo: DuePhoto): boolean {
  return photo.rating_by_user || photo.favorite || photo.faces.length > 0 || activeEdit(photo.edit) !== null || photo.location_by_user;
}

/**
 * Writes the sidecars that are due, in write-back libraries: photos analysed (their metadata read first), present,
 * changed since their last write. Returns how many sidecars were written.
 */
export async function writeDueSidecars(context: Resources, limit = 100): Promise<number> {
  const due = await rows<DuePhoto>(
    context.db,
    sql`select p.id, p.library_id, l.paths, p.storage_key, p.rating, p.rating_by_user, p.favorite, p.keywords, p.description, p.width, p.height,
               p.edit, p.orientation, p.latitude, p.longitude, p.location_by_user, p.updated_at::text as updated_at, p.written_back_at::text as written_back_at,
               coalesce((select json_agg(json_build_object('name', pe.name, 'x', f.x, 'y', f.y, 'width', f.width, 'height', f.height) order by f.id)
                         from faces f join people pe on pe.id = f.person_id where f.photo_id = p.id and pe.name is not null), '[]') as faces
        from photos p join libraries l on l.id = p.library_id
        where l.write_back and p.offline_at is null and p.deleted_at is null and p.state in ('completed', 'partial', 'failed')
          and (p.written_back_at is null or p.updated_at > p.written_back_at)
        order by p.updated_at limit ${limit}`,
  );
  let written = 0;
  const refusal = due.length > 0 ? await writeBackRefusal(context.db) : null;
  const lookup = inPlaceLookup(context);
  const roots = due.length > 0 ? await realRoots(context) : [];
  for (const photo of due) {
    // never into a folder of another user's library (libraries made before overlapping folders were refused)
    const refused = await refusal!(photo.library_id, photo.storage_key);
    if (refused) context.logger.warn({ photoId: photo.id, reason: refused }, 'sidecar not written back');
    else {
      try {
        if (await writeBack(context, photo, lookup, allowedFolders(photo.paths, roots))) written++;
      } catch (error) {
        context.logger.warn({ photoId: photo.id, err: error }, 'sidecar not written back');
      }
    }
    // done until the next change (a failure too: it is tried again when the photo changes)
    await context.db.execute(
      sql`update photos set written_back_at = ${photo.updated_at}::timestamptz where id = ${photo.id}::uuid and written_back_at is not distinct from ${photo.written_back_at}::timestamptz`,
    );
  }
  return written;
}

/**
 * One photo's sidecar, when it has one or marks to write: only beside the file the scan read (not a link out of
 * the library put in its place), in its folder as opened (sidecar-files.ts). Returns whether it wrote.
 */
async function writeBack(context: Resources, photo: DuePhoto, lookup: ReturnType<typeof inPlaceLookup>, folders: string[]): Promise<boolean> {
  const record = await lookup(photo.storage_key);
  if (!record) throw new SidecarRefusedError(`${photo.storage_key} is not in its folder any more`);
  await (await openInPlace(photo.storage_key, record)).handle.close();
  const folder = await openFolder(photo.storage_key, folders);
  try {
    const sidecar = await sidecarFor(folder, photo.storage_key);
    if (!sidecar.exists && !hasMarks(photo)) return false;
    const placed = await writeSidecar(context, photo, folder, sidecar);
    await noteSidecar(context.db, photo, path.join(path.dirname(photo.storage_key), sidecar.name), placed);
    return true;
  } finally {
    await folder.close();
  }
}

/**
 * Edits the sidecar on a copy in Shoebox's scratch folder (ExifTool never opens a path in the library), then puts
 * the result in place. What it starts from is read without following links: a sidecar that is a link is left
 * alone (an error), Lightroom's `name.xmp` as a link is not copied (a sidecar of Shoebox's own is written).
 */
async function writeSidecar(context: Resources, photo: DuePhoto, folder: OpenFolder, sidecar: SidecarSpot): Promise<{ size: number; mtimeMs: number }> {
  const tool = reader();
  const sourceName = sidecar.exists ? sidecar.name : sidecar.copyFrom;
  let source: { data: Buffer; mode: number } | null = null;
  if (sourceName) {
    try {
      source = await readSidecar(folder, sourceName, MAX_SIDECAR_BYTES);
    } catch (error) {
      if (sidecar.exists || !(error instanceof SidecarRefusedError)) throw error;
      context.logger.warn({ photoId: photo.id, reason: error.message }, 'Lightroom sidecar not copied');
    }
  }
  const temp = context.scratch.tempPath('.xmp');
  try {
    if (source) {
      await fs.writeFile(temp, source.data, { flag: 'wx' });
      // a sidecar ExifTool would take minutes over (media/sidecar-limits.ts) is left as it is
      const problem = await sidecarProblem(temp, MAX_SIDECAR_BYTES);
      if (problem !== null) throw new Error(`${sourceName} is not rewritten: ${problem}`);
    }
    const existing = source ? ((await tool.read(temp)) as SidecarTags) : {};
    const mentioned = [
      ...(existing.RegionInfo?.RegionList ?? []).map((region) => regionPersonName(region.Name)),
      ...(Array.isArray(existing.Subject) ? existing.Subject.map(String) : []),
    ].filter((name): name is string => Boolean(name));
    const people = await rows<{ name: string }>(
      context.db,
      sql`select lower(pe.name) as name from people pe join photos p on ${sameOwnerSql('p', 'pe')}
          where p.id = ${photo.id}::uuid and lower(pe.name) = any(${textArray([...new Set(mentioned.map((name) => name.toLowerCase()))])})`,
    );
    await tool.write(temp, sidecarTags(photo, existing, new Set(people.map((row) => row.name))) as never, { writeArgs: ['-overwrite_original'] });
    return await placeSidecar(folder, sidecar.name, await fs.readFile(temp), source?.mode ?? null);
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** The library's row and the photo follow the new sidecar: a scan does not take Shoebox's own write for another tool's. */
async function noteSidecar(db: Db, photo: DuePhoto, sidecarPath: string, stat: { size: number; mtimeMs: number }): Promise<void> {
  await db.execute(
    sql`update library_files set sidecar_path = ${sidecarPath}, sidecar_size = ${stat.size}, sidecar_mtime_ms = ${stat.mtimeMs}
        where library_id = ${photo.library_id}::uuid and path = ${photo.storage_key}`,
  );
  await db.execute(sql`update photos set sidecar_key = ${sidecarPath} where id = ${photo.id}::uuid`);
}
