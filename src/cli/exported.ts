// A Shoebox export read back by `shoebox import DIR`: its own files (the manifest, `albums.json`, `photos.json`) are
// read, not imported; a motion photo's video taken out of its still is left to the still (its metadata step finds it
// in the file again); a photo dated by its file's time gets that time whatever the copy did to the file's; and once
// the photos are in, they go back in their albums and the archive, and get their edits.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { TakeoutTarget } from '../library/takeout/index.js';
import { ALBUMS_FILE, MAX_ALBUMS_FILE_BYTES, parseAlbumsDocument, type ExportCollections } from '../media/albums-file.js';
import { MAX_PHOTOS_FILE_BYTES, parsePhotosDocument, PHOTOS_FILE, type ExportedPhoto, type PhotosDocument } from '../media/photos-file.js';
import { counted } from '../base/plural.js';

export interface ExportRead extends ExportCollections {
  /** Files of the export not to import: its own at its top, and the videos its stills hold. */
  own: Set<string>;
  /** Why the albums file was not read (the photos are imported all the same). */
  problem?: string;
  /** The photos' facts the files do not carry (empty for an export from before them, or when not read). */
  photos: ExportedPhoto[];
  /** Stacks made or changed by hand, and pairs taken apart by hand (./exported-stacks.ts restores them). */
  stacks: PhotosDocument['stacks'];
  apart: PhotosDocument['apart'];
  /** Why the photos file was not read. */
  photosProblem?: string;
  /** The time each original is dated by, by its path, where its file's time dates it. */
  fileTimes: Map<string, Date>;
}

/** What the import made of each file: the photo it is, when taken (added or there before); the photos it added. */
export interface Placed {
  photoOf: Map<string, string>;
  added: string[];
}

/** The edit of a photo, through the server or the library. */
export type SetEdit = (id: string, edit: NonNullable<ExportedPhoto['edit']>) => Promise<void>;

/** The photo each file of the export was imported as (undefined: not imported). */
export type PhotoOfFile = (file: string) => string | undefined;

/** The photo of a file of the export, by its path in it (`/`-separated), among those the import took. */
export function photoOfFile(photoOf: ReadonlyMap<string, string>, root: string): PhotoOfFile {
  return (file) => photoOf.get(path.join(root, ...file.split('/')));
}

/**
 * The cover of the user's album of a title (the first of the name), unless its cover was chosen already (the user's
 * choice in the library stays); answers whether it was set.
 */
export type SetAlbumCover = (title: string, photoId: string) => Promise<boolean>;

const isFile = (file: string) =>
  fs
    .stat(file)
    .then((s) => (s.isFile() ? s : null))
    .catch(() => null);

/** A file of the export read whole within its bound, parsed; its problem when it cannot be. */
async function readDocument<T>(file: string, most: number, parse: (text: string) => T): Promise<{ value: T } | { problem: string } | null> {
  const stat = await isFile(file);
  if (!stat) return null;
  if (stat.size > most) return { problem: `larger than ${most} bytes` };
  try {
    return { value: parse(await fs.readFile(file, 'utf8')) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The albums, archive and photos' facts of a Shoebox export (`albums.json` and `photos.json` beside its
 * `manifest.jsonl`), or null when the folder is not one.
 */
export async function readExport(root: string): Promise<ExportRead | null> {
  const manifest = path.join(root, 'manifest.jsonl');
  const [hasManifest, albums, photos] = await Promise.all([
    isFile(manifest),
    readDocument(path.join(root, ALBUMS_FILE), MAX_ALBUMS_FILE_BYTES, parseAlbumsDocument),
    readDocument(path.join(root, PHOTOS_FILE), MAX_PHOTOS_FILE_BYTES, parsePhotosDocument),
  ]);
  if (!hasManifest || !albums) return null;
  const at = (file: string) => path.join(root, ...file.split('/'));
  const own = new Set([manifest, at(ALBUMS_FILE), ...(photos ? [at(PHOTOS_FILE)] : [])]);
  const document: PhotosDocument = photos && 'value' in photos ? photos.value : { photos: [], stacks: [], apart: [] };
  const listed = document.photos;
  const fileTimes = new Map<string, Date>();
  for (const photo of listed) {
    for (const video of photo.embeddedMotion ?? []) own.add(at(video));
    if (photo.fileTime) for (const file of photo.files) fileTimes.set(at(file), new Date(photo.fileTime));
  }
  return {
    ...('value' in albums ? albums.value : { albums: [], archived: [], problem: albums.problem }),
    own,
    photos: listed,
    stacks: document.stacks,
    apart: document.apart,
    ...(photos && 'problem' in photos ? { photosProblem: photos.problem } : {}),
    fileTimes,
  };
}

/**
 * Puts the photos of the export back in its albums, by title (an album of the user's of that title takes them), and
 * in the archive, and gives them their edits. A path the import did not take (skipped, or not in the folder) is left
 * out and counted; paths are only looked up among the files imported, never opened.
 */
export async function placeAsExported(
  exported: ExportRead,
  tally: Placed,
  root: string,
  target: Pick<TakeoutTarget, 'album' | 'archive'>,
  setEdit: SetEdit,
  setAlbumCover: SetAlbumCover,
): Promise<void> {
  let missing = 0;
  const photoOf = photoOfFile(tally.photoOf, root);
  const photosOf = (files: readonly string[]) => {
    const ids = new Set<string>();
    for (const file of files) {
      const id = photoOf(file);
      if (id) ids.add(id);
      else missing++;
    }
    return [...ids];
  };
  const done: string[] = [];
  let covers = 0;
  const coversRefused: string[] = [];
  for (const album of exported.albums) {
    const ids = photosOf(album.files);
    if (ids.length === 0) continue;
    await target.album({ title: album.name, ...(album.description ? { description: album.description } : {}) }, ids);
    done.push(`${album.name} (${ids.length})`);
    const cover = album.cover === undefined ? undefined : photoOf(album.cover);
    if (cover === undefined) continue;
    await setAlbumCover(album.name, cover).then(
      (set) => void (covers += Number(set)),
      (error: unknown) => coversRefused.push(`  cover of ${album.name} not restored: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
  const archived = photosOf(exported.archived);
  if (archived.length > 0) await target.archive(archived);
  let edited = 0;
  const editsRefused: string[] = [];
  // a photo the library had before keeps the edit it has there (the user's, maybe made since the export)
  const added = new Set(tally.added);
  for (const photo of exported.photos) {
    const id = photo.edit ? photo.files.map(photoOf).find((found) => found !== undefined) : undefined;
    if (!id || !photo.edit || !added.has(id)) continue;
    // one refused (a photo of the library already, now in the trash) is said, and the rest go on
    await setEdit(id, photo.edit).then(
      () => edited++,
      (error: unknown) => editsRefused.push(`  edit not restored on ${photo.files[0]}: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
  const lines = [
    exported.problem
      ? `Albums of the export not read back (${ALBUMS_FILE}: ${exported.problem}); the photos are imported.`
      : `Albums read back from the export: ${done.length > 0 ? done.join(', ') : 'none'}; covers chosen ${covers}; archived ${archived.length}; edited ${edited}.`,
    ...coversRefused.slice(0, 50),
    ...editsRefused.slice(0, 50),
  ];
  if (exported.photosProblem) lines.push(`  ${PHOTOS_FILE} not read (${exported.photosProblem}): dates from file times and edits not restored.`);
  if (missing > 0) lines.push(`  ${counted(missing, 'file')} the albums file lists were not imported: left out of their albums.`);
  process.stderr.write(`${lines.join('\n')}\n`);
}
