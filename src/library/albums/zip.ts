// An album as a ZIP, streamed to the client as it is written (yazl): each photo's original, stored as it is (JPEG,
// PNG and HEIC do not shrink), a Live Photo's MOV beside its still, then a manifest (JSON and CSV) naming each file with its shot type for a product set.
// A photo whose file cannot be opened (gone from storage, a library in place offline) is left out and listed, in the
// manifest's `failed` and in `failed.jsonl` as the export lists them: the ZIP is whole all the same.
import path from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import { and, asc, eq, isNull } from 'drizzle-orm';
import yazl from 'yazl';
import { albumPhotos, photos } from '../../db/schema.js';
import type { Library } from '../library.js';
import { BlobNotFoundError } from '../../storage/blob-store.js';
import { InPlaceFileGoneError, InPlaceFileRefusedError } from '../../storage/in-place.js';
import { spreadsheetCell } from '../../base/spreadsheet-cells.js';
import { getAlbumSummary } from './summary.js';

export interface AlbumZip {
  /** A file name for Content-Disposition: the album's name made safe. */
  filename: string;
  stream: Readable;
}

export interface ManifestEntry {
  file: string;
  photoId: string;
  originalName: string;
  origin: string;
  /** A product shot's type (white, hand, dimensions, lifestyle, model); `product` for the product photo of a set. */
  shot: string | null;
  productPhotoId: string | null;
  prompt: string | null;
}

/** 404 for an album the user may not see; an empty album gives a ZIP with only its manifest. */
export async function albumZip(lib: Library, albumId: string, onError: (error: unknown) => void): Promise<AlbumZip> {
  const album = await getAlbumSummary(lib, albumId);
  const members = await lib.db
    .select({
      id: photos.id,
      filename: photos.filename,
      storageKey: photos.storageKey,
      storageLocation: photos.storageLocation,
      origin: photos.origin,
      provenance: photos.provenance,
      motion: photos.motion,
      createdAt: photos.createdAt,
      fileModifiedAt: photos.fileModifiedAt,
    })
    .from(albumPhotos)
    .innerJoin(photos, eq(photos.id, albumPhotos.photoId))
    .where(and(eq(albumPhotos.albumId, albumId), isNull(photos.deletedAt)))
    .orderBy(asc(albumPhotos.addedAt), asc(photos.id));
  const productIds = new Set(members.map((photo) => photo.provenance?.productPhotoId).filter(Boolean));
  const zip = new yazl.ZipFile();
  const manifest: ManifestEntry[] = [];
  const width = String(members.length).length;
  /** Photos (or a Live Photo's video) whose file could not be read: left out, and listed (as the export does). */
  const failed: { id: string; file: string; reason: string }[] = [];
  /** Adds one file of a photo, or lists it as failed when its file cannot be opened; null then. */
  const add = async (index: number, part: { key: string; name: string }): Promise<Readable | null> => {
    const photo = members[index]!;
    const file = `${String(index + 1).padStart(Math.max(2, width), '0')}-${safeName(part.name)}`;
    let stream: Readable;
    try {
      stream = await lib.storage.at(photo.storageLocation).get(part.key);
    } catch (error) {
      failed.push({ id: photo.id, file: part.name, reason: unreadable(error) });
      return null;
    }
    manifest.push({
      file,
      photoId: photo.id,
      originalName: part.name,
      origin: photo.origin,
      shot: photo.provenance?.shot ?? (productIds.has(photo.id) ? 'product' : null),
      productPhotoId: photo.provenance?.productPhotoId ?? (productIds.has(photo.id) ? photo.id : null),
      prompt: photo.provenance?.prompt ?? null,
    });
    // the file's own time as it came (what dates a photo nothing else dates), not the upload's: unzipped and imported, it
    // is dated the same
    zip.addReadStream(stream, file, { mtime: photo.fileModifiedAt ?? photo.createdAt, compress: false });
    return stream;
  };
  const read = async (stream: Readable | null) => {
    if (stream) await finished(stream);
  };
  // each entry is added once the one before has been read into the ZIP: one original open at a time
  void (async () => {
    try {
      for (let index = 0; index < members.length; index++) {
        const { storageKey, filename, motion } = members[index]!;
        await read(await add(index, { key: storageKey, name: filename }));
        if (motion?.source === 'live') await read(await add(index, { key: motion.key, name: motion.filename }));
      }
      zip.addBuffer(Buffer.from(JSON.stringify({ album: { id: album.id, name: album.name }, files: manifest, failed }, null, 2)), 'manifest.json');
      if (failed.length > 0) zip.addBuffer(Buffer.from(failed.map((f) => `${JSON.stringify(f)}\n`).join('')), 'failed.jsonl');
      // names and prompts are the users': no cell a spreadsheet program runs as a formula, also where it splits on `;`
      const csv = stringify(
        [
          ['file', 'photoId', 'originalName', 'origin', 'shot', 'productPhotoId', 'prompt'],
          ...manifest.map((m) =>
            [m.file, m.photoId, m.originalName, m.origin, m.shot ?? '', m.productPhotoId ?? '', m.prompt ?? ''].map((cell) => spreadsheetCell(cell)),
          ),
        ],
        { quoted_match: /;/ },
      );
      zip.addBuffer(Buffer.from(csv), 'manifest.csv');
      zip.end();
    } catch (error) {
      onError(error);
      (zip.outputStream as unknown as Readable).destroy(error as Error);
    }
  })();
  return { filename: `${safeName(album.name).replace(/\.+$/, '') || 'album'}.zip`, stream: zip.outputStream as unknown as Readable };
}

/** Why a photo's file could not be read, without its path (a file in place names a folder of the owner's). */
function unreadable(error: unknown): string {
  if (error instanceof InPlaceFileGoneError) return 'the file is not in its folder any more (a library in place)';
  if (error instanceof BlobNotFoundError) return 'the file is missing from storage';
  if (error instanceof InPlaceFileRefusedError) return 'the file in its library in place was not read (changed or replaced since it was scanned)';
  return 'the file could not be read from storage';
}

/** A name for inside the ZIP and for the download: no path, no control characters, at most 120 characters. */
function safeName(name: string): string {
  const base = path
    .basename(name.replace(/\\/g, '/'))
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
    .trim();
  if (base.length <= 120) return base || 'photo';
  const ext = path.extname(base).slice(0, 10);
  return base.slice(0, 120 - ext.length) + ext;
}
