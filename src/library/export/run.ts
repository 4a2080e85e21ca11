// `shoebox export`: the originals, byte for byte, in folders by date (`2019/2019-07-14/`) or by album (a photo in
// several albums is in each album's folder; one in none goes by date), each with an XMP sidecar (`IMG.jpg.xmp`, see
// ./sidecar.ts), optionally a Google Takeout-style JSON one, and a Live Photo's video beside it; `manifest.jsonl` lists
// every file with its SHA-256, `albums.json` the originals and description of each album and the archive's originals (./albums-file.ts: an
// import of the export reads it back), `photos.json` what the files do not say back (media/photos-file.ts: a date from the file's time,
// which the original is also given, the user's edit, a motion photo's video taken out of its still), and with Takeout-style sidecars
// each album folder has Google's `metadata.json` naming its album.
// Resumable: an original the manifest lists for its photo, with its size and checksum, is not written again.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorMessage } from '../../media/decoders/common.js';
import { reader } from '../../media/exiftool-reader.js';
import { ALBUMS_FILE, albumsDocument, type AlbumFacts } from '../../media/albums-file.js';
import { PHOTOS_FILE, photosDocument, type ExportedPhoto } from '../../media/photos-file.js';
import { exportXmpTags, takeoutJson, takeoutJsonName, type ExportPhoto } from './sidecar.js';
import { exportedStacks, type AskHandStacks } from './stacks.js';

/** Where the photos and their bytes come from: a running server, or the library in this process. */
export interface ExportSource {
  /** The ids to export, in order. */
  ids(): Promise<string[]>;
  photo(id: string): Promise<ExportPhoto>;
  original(id: string): Promise<Readable>;
  /** The descriptions and chosen covers of the user's own albums, by name (an album with neither may be absent). */
  albumFacts(): Promise<ReadonlyMap<string, AlbumFacts>>;
  /**
   * A Live Photo's or motion photo's video, when it has one: its name, its bytes when asked, and whether it was taken
   * out of the still's own file (a motion photo's: an import makes it again from the still).
   */
  motion(photo: ExportPhoto): Promise<{ name: string; embedded: boolean; open(): Promise<Readable> } | null>;
  /** What was done by hand to the stacks of some of the photos (the rules make the rest again on import). */
  handStacks: AskHandStacks;
}

export type ExportLayout = 'date' | 'album';

/** The albums' descriptions and chosen covers by name, the first of a name's (the album an import puts them in). */
export function albumFactsOf(
  albums: readonly { name: string; description: string | null; coverPhotoId: string | null; coverChosen?: boolean }[],
): Map<string, AlbumFacts> {
  const facts = new Map<string, AlbumFacts>();
  for (const album of albums) {
    const known = facts.get(album.name) ?? {};
    facts.set(album.name, {
      ...(album.description && !known.description ? { description: album.description } : {}),
      ...(album.coverChosen && album.coverPhotoId && !known.chosenCover ? { chosenCover: album.coverPhotoId } : {}),
      ...known,
    });
  }
  return facts;
}

export interface ManifestEntry {
  path: string;
  sha256: string;
  bytes: number;
  photoId: string;
  kind: 'original' | 'motion' | 'sidecar';
}

export interface ExportOutcome {
  photos: number;
  written: number;
  /** Files already there from an earlier run (resumed). */
  kept: number;
  /** Photos (by id) and the export's own files (by name) that could not be written, with why. */
  failed: { id: string; reason: string }[];
}

export const MANIFEST = 'manifest.jsonl';

/** An XMP packet that says nothing, for a photo Shoebox knows nothing of beyond its bytes. */
const EMPTY_XMP =
  '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">\n' +
  ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n</x:xmpmeta>\n<?xpacket end="w"?>\n';

/** Bytes a name may take (file systems allow 255; room is left for ` (12)` and `.xmp`). */
const NAME_BYTES = 200;

/** A name safe in every file system: no separators, control characters or a leading dot; its extension kept. */
export function safeName(name: string): string {
  const cleaned =
    name
      .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/gu, '_')
      .trim()
      .replace(/^\.+/u, '_') || '_';
  if (Buffer.byteLength(cleaned) <= NAME_BYTES) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  let stem = '';
  // whole characters (a surrogate pair is one), as many as fit
  for (const char of cleaned.slice(0, cleaned.length - ext.length)) {
    if (Buffer.byteLength(stem + char + ext) > NAME_BYTES) break;
    stem += char;
  }
  return stem + ext;
}

/** The user's own albums of a photo (automatic ones are made again from the photos). */
const albumsOf = (photo: ExportPhoto) => [...new Set(photo.albums.filter((a) => a.kind === 'manual').map((a) => a.name))];

/**
 * The instant of the file's time a photo is dated by, when nothing in the file or its name dates it (its date text
 * is null, and the list's date is that time); else null.
 */
export function datingFileTime(photo: ExportPhoto): Date | null {
  if (photo.metadata.takenAt !== null || !photo.takenAt) return null;
  const time = new Date(photo.takenAt);
  return Number.isFinite(time.getTime()) ? time : null;
}

/** The folders a photo goes in: by the day it is shown on (its file's time when that dates it), not `undated`. */
export function foldersOf(photo: ExportPhoto, layout: ExportLayout): string[] {
  const albums = layout === 'album' ? [...new Set(albumsOf(photo).map(safeName))] : [];
  if (albums.length > 0) return albums;
  const day = (photo.metadata.takenAt ?? photo.takenAt)?.slice(0, 10);
  return [day && /^\d{4}-\d{2}-\d{2}$/u.test(day) ? path.join(day.slice(0, 4), day) : 'undated'];
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

export interface ExportOptions {
  layout: ExportLayout;
  /** Also a Google Takeout-style JSON sidecar beside each original. */
  takeoutJson?: boolean;
  onPhoto?: () => void;
  /** Stops after the photo under way (a download the client gave up). */
  signal?: AbortSignal;
}

/** Where an export's files go: a folder, resumable by its manifest (./folder.ts), or a ZIP stream (./zip.ts). */
export interface ExportSink {
  /**
   * One file of a photo, made by `make` into the scratch file it is given; `expected`: the SHA-256 its bytes must
   * have (an original); `modified`: the time the file is given (the file's time that dates the photo, so that an
   * import dates it the same). Answers `kept` when the file is there from before, unchanged.
   */
  file(
    relative: string,
    photoId: string,
    kind: ManifestEntry['kind'],
    make: (file: string) => Promise<void>,
    expected?: string,
    modified?: Date | null,
  ): Promise<'written' | 'kept'>;
  /** One of the export's own files (albums.json, an album's metadata.json), whole. */
  text(relative: string, text: string): Promise<void>;
}

/** The bytes made are the photo's (a download cut short is not), else an error saying whose they are. */
export async function checkedSha256(file: string, relative: string, expected?: string): Promise<string> {
  const sha256 = await sha256Of(file);
  if (expected !== undefined && sha256 !== expected) {
    await fs.rm(file, { force: true });
    throw new Error(`${relative}: the bytes read have SHA-256 ${sha256}, not the photo's ${expected}`);
  }
  return sha256;
}

/** The export's files, photo by photo, into a sink: originals, sidecars, a Live Photo's video, albums.json. */
export async function exportTo(source: ExportSource, sink: ExportSink, options: ExportOptions): Promise<ExportOutcome> {
  const { layout, onPhoto } = options;
  const outcome: ExportOutcome = { photos: 0, written: 0, kept: 0, failed: [] };
  /** Names taken in each folder by this export: the same name for two photos gets a counter. */
  const taken = new Map<string, string>();
  const claim = (folder: string, name: string, photoId: string): string => {
    const dot = name.lastIndexOf('.');
    for (let n = 0; ; n++) {
      const candidate = n === 0 ? name : dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
      const key = path.posix.join(folder, candidate).toLowerCase();
      const owner = taken.get(key);
      if (owner === undefined || owner === photoId) {
        taken.set(key, photoId);
        return path.posix.join(folder, candidate);
      }
    }
  };
  /** Each album's originals, as written (an album folder's own copy when the layout is by album). */
  const albumFiles = new Map<string, string[]>();
  const archivedFiles: string[] = [];
  const exported: ExportedPhoto[] = [];
  /** Each photo exported, by its first file: how photos.json names it in a stack. */
  const fileOf = new Map<string, string>();
  const write = async (...args: Parameters<ExportSink['file']>) => {
    outcome[(await sink.file(...args)) === 'kept' ? 'kept' : 'written']++;
  };
  for (const id of await source.ids()) {
    if (options.signal?.aborted) break;
    try {
      const photo = await source.photo(id);
      const tags = exportXmpTags(photo);
      const fileTime = datingFileTime(photo);
      const facts: ExportedPhoto = {
        files: [],
        takenAt: photo.metadata.takenAt,
        timeZone: photo.metadata.timeZone ?? null,
        ...(fileTime ? { fileTime: fileTime.toISOString() } : {}),
        ...(photo.edit ? { edit: { rotate: photo.edit.rotate, crop: photo.edit.crop } } : {}),
      };
      for (const folder of foldersOf(photo, layout)) {
        const relative = claim(folder, safeName(photo.filename), photo.id);
        const original = async (file: string) => pipeline(await source.original(photo.id), createWriteStream(file));
        await write(relative, photo.id, 'original', original, photo.sha256, fileTime);
        facts.files.push(relative);
        for (const album of albumsOf(photo)) {
          if (layout === 'album' && safeName(album) !== folder) continue;
          const files = albumFiles.get(album);
          if (files) files.push(relative);
          else albumFiles.set(album, [relative]);
        }
        if (photo.archived) archivedFiles.push(relative);
        await write(`${relative}.xmp`, photo.id, 'sidecar', async (file) => {
          // ExifTool makes a new XMP file from the tags when the name ends in .xmp and nothing is there
          const fresh = `${file}.new.xmp`;
          await fs.rm(fresh, { force: true });
          // nothing to say (no date, place or marks): ExifTool makes no file, the sidecar is an empty packet
          if (Object.keys(tags).length > 0) await reader().write(fresh, tags as never);
          else await fs.writeFile(fresh, EMPTY_XMP);
          await fs.rename(fresh, file);
        });
        if (options.takeoutJson) {
          const json = path.posix.join(path.posix.dirname(relative), takeoutJsonName(path.posix.basename(relative)));
          await write(json, photo.id, 'sidecar', (file) => fs.writeFile(file, takeoutJson(photo)));
        }
        const motion = await source.motion(photo);
        // a Takeout-style export is Google's form: a motion photo's video stays in its still, as Google's own export
        // has it (a Takeout import would make the video beside it an item of its own)
        if (motion && !(options.takeoutJson && motion.embedded)) {
          const name = claim(folder, safeName(motion.name), photo.id);
          await write(name, photo.id, 'motion', async (file) => pipeline(await motion.open(), createWriteStream(file)));
          if (motion.embedded) (facts.embeddedMotion ??= []).push(name);
        }
      }
      exported.push(facts);
      if (facts.files[0]) fileOf.set(photo.id, facts.files[0]);
      outcome.photos++;
    } catch (error) {
      outcome.failed.push({ id, reason: errorMessage(error) });
    }
    onPhoto?.();
  }
  // one of the export's own files that cannot be written (a link in the way) is said among the failures, by its name
  const text = (relative: string, content: string) =>
    sink.text(relative, content).catch((error: unknown) => void outcome.failed.push({ id: relative, reason: errorMessage(error) }));
  const facts = await source.albumFacts().catch((error: unknown) => {
    outcome.failed.push({ id: ALBUMS_FILE, reason: `albums' descriptions and covers not read: ${errorMessage(error)}` });
    return new Map<string, AlbumFacts>();
  });
  const descriptions = new Map([...facts].flatMap(([name, album]) => (album.description ? [[name, album.description] as const] : [])));
  // a chosen cover exported in its album: by its first file, as photos.json names it
  const covers = new Map(
    [...facts].flatMap(([name, album]) => {
      const file = album.chosenCover && albumFiles.has(name) ? fileOf.get(album.chosenCover) : undefined;
      return file ? [[name, file] as const] : [];
    }),
  );
  await text(ALBUMS_FILE, albumsDocument(albumFiles, archivedFiles, descriptions, covers));
  const stacks = await exportedStacks(source.handStacks, fileOf).catch((error: unknown) => {
    outcome.failed.push({ id: PHOTOS_FILE, reason: `stacks made by hand not read: ${errorMessage(error)}` });
    return { stacks: [], apart: [] };
  });
  await text(PHOTOS_FILE, photosDocument(exported, stacks.stacks, stacks.apart));
  if (options.takeoutJson && layout === 'album') {
    // Google's album file, for a Takeout import of the export (its folder names are made safe; the title is whole)
    for (const album of albumFiles.keys()) {
      await text(
        path.posix.join(safeName(album), 'metadata.json'),
        `${JSON.stringify({ title: album, description: descriptions.get(album) ?? '' }, null, 2)}\n`,
      );
    }
  }
  return outcome;
}
