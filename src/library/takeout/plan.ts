// What a Google Takeout export holds, before anything is imported: each photo or video with its sidecar (read and
// checked), the album each folder is, and everything that does not fit — files without a sidecar, sidecars without a
// file, sidecars that are not JSON — for the report. A plan holds no sidecar's text: what the import does with each
// (its marks) is kept, and the file is read again when its photo is imported, so that the plan of an export of any
// size takes memory by the number of its files alone.
import { MAX_SIDECAR_JSON_BYTES, parseAlbumMeta, parseTakeoutSidecar, type TakeoutAlbumMeta, type TakeoutSidecar } from '../../media/takeout-json.js';
import { ALBUMS_FILE, startsAsAlbumsDocument } from '../../media/albums-file.js';
import { readSmall, ZipBombError, type TakeoutFile } from './archive.js';
import { matchFolder, sidecarName, type SidecarName } from './sidecar-names.js';

/** Lists of the report beyond this many lines are counted, not kept (takeoutReport prints 200). */
export const MAX_LISTED = 1000;

/** What an import does with a sidecar: the marks it gives its photo, and whether it names people. */
export interface SidecarMarks {
  favorited: boolean;
  archived: boolean;
  trashed: boolean;
  namesPeople: boolean;
}

export const marksOf = (facts: TakeoutSidecar): SidecarMarks => ({
  favorited: facts.favorited,
  archived: facts.archived,
  trashed: facts.trashed,
  namesPeople: facts.people.length > 0,
});

export interface TakeoutItem {
  file: TakeoutFile;
  /**
   * Its sidecar (an edited copy's is its original's): the file, read again when the photo goes in, or the text made
   * for it (an iCloud photo's, from its CSV row); and its marks.
   */
  sidecar: { file: TakeoutFile; text: string | null; marks: SidecarMarks } | null;
  /** The albums it is in (a Takeout item: its folder's, when the folder is one). */
  albums: TakeoutAlbumMeta[];
}

export interface TakeoutPlan {
  items: TakeoutItem[];
  withoutSidecar: string[];
  /** Sidecars (or iCloud detail rows) without their file: at most MAX_LISTED, the rest counted in unusedSidecarsLeftOut. */
  unusedSidecars: string[];
  unusedSidecarsLeftOut: number;
  /** JSON files that could not be read, or are not a photo's sidecar nor an album's. */
  badJson: { label: string; reason: string }[];
  /** Values a sidecar holds that were refused (an absurd date, a place off the globe). */
  problems: { label: string; problem: string }[];
  /** Folders taken as albums, by title. */
  albums: string[];
  /** Album metadata files that made no album, with why: their folder's photos are imported, in no album. */
  notAlbums: { label: string; reason: string }[];
}

/** JSON files Google puts in an export that describe no photo. */
const NOT_SIDECARS = new Set(['print-subscriptions.json', 'shared_album_comments.json', 'user-generated-memory-titles.json']);
/** Google's name for an album folder's metadata file (a second one in a folder is counted, as photos are). */
const ALBUM_FILE = /^metadata(\(\d{1,4}\))?\.json$/iu;
/** Not photos: the export's own pages and sidecars, and what other tools leave beside photos. */
const NOT_MEDIA = /\.(html?|json|jsonl|xmp|txt|csv)$/iu;

interface Folder {
  media: TakeoutFile[];
  sidecars: { name: SidecarName; file: TakeoutFile; marks: SidecarMarks }[];
  album: TakeoutAlbumMeta | null;
}

/** A Shoebox export's own list of albums (media/albums-file.ts): not a photo's sidecar. */
async function isExportAlbums(file: TakeoutFile): Promise<boolean> {
  const stream = await file.open();
  try {
    for await (const chunk of stream) return startsAsAlbumsDocument((chunk as Buffer).subarray(0, 64).toString('utf8'));
    return false;
  } finally {
    stream.destroy();
  }
}

/** Reads every JSON of the export (small), matches sidecars in each folder, and says what each folder is. */
export async function planTakeout(files: readonly TakeoutFile[], options: { signal?: AbortSignal } = {}): Promise<TakeoutPlan> {
  const folders = new Map<string, Folder>();
  const folder = (name: string) => {
    let found = folders.get(name);
    if (!found) folders.set(name, (found = { media: [], sidecars: [], album: null }));
    return found;
  };
  const plan: TakeoutPlan = {
    items: [],
    withoutSidecar: [],
    unusedSidecars: [],
    unusedSidecarsLeftOut: 0,
    badJson: [],
    problems: [],
    albums: [],
    notAlbums: [],
  };
  const seen = new Set<string>();
  for (const file of files) {
    options.signal?.throwIfAborted();
    // the same file in two zips of one export (or a zip and its extracted copy) counts once
    const key = `${file.folder}/${file.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!NOT_MEDIA.test(file.name)) {
      folder(file.folder).media.push(file);
      continue;
    }
    if (!/\.json$/iu.test(file.name) || NOT_SIDECARS.has(file.name)) continue;
    if (file.name === ALBUMS_FILE && (await isExportAlbums(file))) continue;
    let text: string;
    try {
      text = await readSmall(file, MAX_SIDECAR_JSON_BYTES);
    } catch (error) {
      if (error instanceof ZipBombError) throw error;
      plan.badJson.push({ label: file.label, reason: (error as Error).message });
      continue;
    }
    try {
      const reading = parseAlbumMeta(text, file.name);
      if (reading && 'refused' in reading) {
        plan.notAlbums.push({ label: file.label, reason: reading.refused });
        continue;
      }
      if (reading) {
        folder(file.folder).album = reading.album;
        continue;
      }
      const facts = parseTakeoutSidecar(text, file.name);
      for (const problem of facts.problems) plan.problems.push({ label: file.label, problem });
      folder(file.folder).sidecars.push({ name: sidecarName(file.name, facts.title)!, file, marks: marksOf(facts) });
    } catch (error) {
      // an album's file that cannot be read leaves its folder no album: said there, not among photos' sidecars
      (ALBUM_FILE.test(file.name) ? plan.notAlbums : plan.badJson).push({ label: file.label, reason: (error as Error).message });
    }
  }
  for (const { media, sidecars, album } of folders.values()) {
    const match = matchFolder(
      media.map((m) => m.name),
      sidecars.map((s) => s.name),
    );
    const byName = new Map(sidecars.map((s) => [s.name.file, s]));
    for (const file of media) {
      const found = match.sidecars.get(file.name);
      const sidecar = found ? byName.get(found)! : null;
      plan.items.push({ file, sidecar: sidecar ? { file: sidecar.file, text: null, marks: sidecar.marks } : null, albums: album ? [album] : [] });
    }
    plan.withoutSidecar.push(...media.filter((m) => !match.sidecars.has(m.name)).map((m) => m.label));
    const unused = match.unused.map((file) => byName.get(file)!.file.label);
    const room = MAX_LISTED - plan.unusedSidecars.length;
    plan.unusedSidecars.push(...unused.slice(0, room));
    plan.unusedSidecarsLeftOut += Math.max(0, unused.length - room);
    if (album) plan.albums.push(album.title);
  }
  plan.albums = [...new Set(plan.albums)].sort();
  return plan;
}
