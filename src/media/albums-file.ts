// `albums.json` at the top of an export: which exported originals are in which of the user's albums (and which is the
// cover the user chose), and which are in the archive, by path. No other tool keeps albums or an archive in a photo's metadata, and an export by date has
// no album folders, so this file is how `shoebox import` of an export puts them back. Pure.
import { z } from 'zod';
import { withoutControls } from '../base/text.js';
import { parseExportDocument } from './export-document.js';

export const ALBUMS_FILE = 'albums.json';

/** The most an albums file may hold (a library of a million photos in a few albums is ~60 MB of paths). */
export const MAX_ALBUMS_FILE_BYTES = 256 * 1024 * 1024;

export interface ExportAlbum {
  name: string;
  /** The originals in it, relative to the export's top folder, `/`-separated. */
  files: string[];
  /** What the user wrote of it (absent from files written before descriptions, and when it has none). */
  description?: string;
  /** The original of the cover the user chose (absent: the most recent photo, and in files written before covers). */
  cover?: string;
}

/** What an album says beside its photos: its description, and the photo the user chose as its cover (by id). */
export interface AlbumFacts {
  description?: string;
  chosenCover?: string;
}

export interface ExportCollections {
  albums: ExportAlbum[];
  /** The originals of archived photos (absent from files written before the archive). */
  archived: string[];
}

const schema = z.object({
  shoebox: z.literal('albums'),
  version: z.literal(1),
  // a name is kept without control characters (a NUL cannot be stored)
  albums: z.array(
    z.object({
      name: z
        .string()
        .transform((name) => withoutControls(name))
        .pipe(z.string().min(1).max(500)),
      files: z.array(z.string().min(1).max(4096)),
      description: z.string().max(10_000).optional(), // as long as an album's may be (api/albums.ts)
      cover: z.string().min(1).max(4096).optional(),
    }),
  ),
  archived: z.array(z.string().min(1).max(4096)).optional(),
});

const slashes = (file: string) => file.split('\\').join('/');

/**
 * The file's text: albums by name (in name order) with their descriptions and chosen covers (`covers`: the cover's
 * original by album), each file once, then the archive's files.
 */
export function albumsDocument(
  albums: ReadonlyMap<string, readonly string[]>,
  archived: readonly string[] = [],
  descriptions: ReadonlyMap<string, string> = new Map(),
  covers: ReadonlyMap<string, string> = new Map(),
): string {
  const list = [...albums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, files]) => {
      const description = descriptions.get(name);
      const cover = covers.get(name);
      return { name, files: [...new Set(files.map(slashes))], ...(description ? { description } : {}), ...(cover ? { cover: slashes(cover) } : {}) };
    });
  return `${JSON.stringify({ shoebox: 'albums', version: 1, albums: list, archived: [...new Set(archived.map(slashes))] }, null, 1)}\n`;
}

/** Whether a file's first bytes are those of an albums file (albumsDocument writes `shoebox` first). */
export function startsAsAlbumsDocument(head: string): boolean {
  return /^\{\s*"shoebox"\s*:\s*"albums"/u.test(head);
}

/** The albums and the archive an export's file lists; throws with the reason when it is not one. */
export function parseAlbumsDocument(text: string): ExportCollections {
  const parsed = parseExportDocument(text, ALBUMS_FILE, 'albums', schema);
  const albums = parsed.albums.map(({ description, cover, ...album }) => ({ ...album, ...(description ? { description } : {}), ...(cover ? { cover } : {}) }));
  return { albums, archived: parsed.archived ?? [] };
}
