// Importing a Google Takeout export (issue 35): every photo and video through the one door for new items, each with
// its sidecar kept beside it (its date, place and description fill what the file does not say, in the metadata
// step); favourites, the trash and the albums of the export applied after. Idempotent: the same bytes are the same
// item, so a second run adds nothing; the photos it finds already there are placed in the export's albums, but their
// favourites and trash are left as the user has them now.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { forEachLimit } from '../../base/concurrency.js';
import { errorMessage } from '../../media/decoders/common.js';
import type { TakeoutAlbumMeta } from '../../media/takeout-json.js';
import type { TakeoutItem, TakeoutPlan } from './plan.js';
import { makeTempFolder } from '../../base/process-folders.js';

/** Where the items go: the library in this process, or a running server over HTTP. */
export interface TakeoutTarget {
  /**
   * Adds one file (its sidecar, a JSON file, attached): the existing item's id when the bytes are there already;
   * `attached` when the sidecar was given to a photo that had none.
   */
  add(name: string, stream: Readable, sidecarFile: string | null, label: string): Promise<{ id: string; duplicate: boolean; video: boolean; attached: boolean }>;
  favorite(ids: string[]): Promise<void>;
  /** Puts the photos in the archive (Google's archived, iCloud's hidden). */
  archive(ids: string[]): Promise<void>;
  trash(ids: string[]): Promise<void>;
  /** Puts the photos in the user's album of that title, made when there is none. */
  album(meta: TakeoutAlbumMeta, ids: string[]): Promise<void>;
}

export interface TakeoutOutcome {
  added: string[];
  videos: number;
  /** Files whose bytes were in the library before this run. */
  alreadyThere: number;
  /** Copies of a file this run had already imported (a year folder's and an album's). */
  copies: number;
  failed: { label: string; reason: string }[];
  favourites: number;
  trashed: number;
  /** Archived in Google Photos: kept as they are (Shoebox shows every photo in its timeline). */
  archived: number;
  albums: { title: string; photos: number }[];
  /** Items whose sidecar names people (kept in the sidecar, for the photo's page and the people step). */
  withPeople: number;
}

export interface TakeoutImportOptions {
  concurrency?: number;
  onItem?: () => void;
}

export async function importTakeout(plan: TakeoutPlan, target: TakeoutTarget, options: TakeoutImportOptions = {}): Promise<TakeoutOutcome> {
  const outcome: TakeoutOutcome = { added: [], videos: 0, alreadyThere: 0, copies: 0, failed: [], favourites: 0, trashed: 0, archived: 0, albums: [], withPeople: 0 };
  const newIds = new Set<string>();
  /** Photos whose export facts this run applies: added now, or given their sidecar now (a run stopped before). */
  const freshIds = new Set<string>();
  const idOf = new Map<TakeoutItem, string>();
  const duplicates: string[] = [];
  const temp = await makeTempFolder('takeout');
  let written = 0;
  try {
    // the year folders first: an album's copy of a photo then finds it there
    const ordered = [...plan.items].sort((a, b) => Number(a.albums.length > 0) - Number(b.albums.length > 0));
    await forEachLimit(ordered, options.concurrency ?? 2, async (item) => {
      try {
        let sidecarFile: string | null = null;
        if (item.sidecar) {
          sidecarFile = path.join(temp, `${written++}.json`);
          await writeFile(sidecarFile, item.sidecar.text);
        }
        const stream = await item.file.open();
        const result = await target.add(item.file.name, stream, sidecarFile, item.file.label);
        if (sidecarFile) await rm(sidecarFile, { force: true });
        idOf.set(item, result.id);
        if (result.duplicate && result.attached) freshIds.add(result.id);
        if (!result.duplicate) {
          newIds.add(result.id);
          freshIds.add(result.id);
          outcome.added.push(result.id);
          if (result.video) outcome.videos++;
        } else duplicates.push(result.id);
      } catch (error) {
        outcome.failed.push({ label: item.file.label, reason: errorMessage(error) });
      }
      options.onItem?.();
    });
    // counted once every add is done: two copies of one file may have been added side by side
    for (const id of duplicates) {
      if (newIds.has(id)) outcome.copies++;
      else outcome.alreadyThere++;
    }
    const fresh = (pick: (item: TakeoutItem) => boolean) => [
      ...new Set(plan.items.filter((item) => pick(item) && freshIds.has(idOf.get(item) ?? '')).map((item) => idOf.get(item)!)),
    ];
    const labelOf = new Map([...idOf].map(([item, id]) => [id, item.file.label]));
    /**
     * A change to many photos; a batch refused (a photo gone meanwhile — a Live Photo's video folded into its still —
     * or in the trash) is applied one photo at a time, and those refused are reported. Counts the photos changed.
     */
    const applyEach = async (ids: string[], what: string, apply: (batch: string[]) => Promise<unknown>): Promise<number> => {
      if (ids.length === 0) return 0;
      try {
        await apply(ids);
        return ids.length;
      } catch {
        let changed = 0;
        for (const id of ids) {
          try {
            await apply([id]);
            changed++;
          } catch (error) {
            outcome.failed.push({ label: labelOf.get(id) ?? id, reason: `${what}: ${errorMessage(error)}` });
          }
        }
        return changed;
      }
    };
    outcome.favourites = await applyEach(fresh((item) => item.sidecar?.facts.favorited === true), 'not made a favourite', (ids) => target.favorite(ids));
    outcome.archived = await applyEach(fresh((item) => item.sidecar?.facts.archived === true), 'not archived', (ids) => target.archive(ids));
    outcome.withPeople = fresh((item) => (item.sidecar?.facts.people.length ?? 0) > 0).length;
    const albums = new Map<string, { meta: TakeoutAlbumMeta; ids: Set<string> }>();
    for (const item of plan.items) {
      const id = idOf.get(item);
      if (!id) continue;
      for (const album of item.albums) {
        const entry = albums.get(album.title) ?? { meta: album, ids: new Set<string>() };
        entry.ids.add(id);
        albums.set(album.title, entry);
      }
    }
    for (const { meta, ids } of albums.values()) {
      const placed = await applyEach([...ids], `not put in the album ${meta.title}`, (batch) => target.album(meta, batch));
      outcome.albums.push({ title: meta.title, photos: placed });
    }
    // last: a photo in the trash is out of its albums' lists, and the trash empties itself after a while
    outcome.trashed = await applyEach(fresh((item) => item.sidecar?.facts.trashed === true), 'not moved to the trash', (ids) => target.trash(ids));
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return outcome;
}

/** The report, as the CLI prints it: counts, then each file without a sidecar, sidecar without a file, problem. */
export function takeoutReport(plan: TakeoutPlan, outcome: TakeoutOutcome, refused: { label: string; reason: string }[]): string {
  const lines = [
    `Added ${outcome.added.length}${outcome.videos ? ` (${outcome.videos} videos)` : ''}, already in the library ${outcome.alreadyThere}, ` +
      `copies in several folders ${outcome.copies}, failed ${outcome.failed.length}.`,
    `Favourites ${outcome.favourites}, moved to the trash ${outcome.trashed}, archived ${outcome.archived}, ` +
      `with people named ${outcome.withPeople}.`,
    `Albums: ${outcome.albums.length === 0 ? 'none' : outcome.albums.map((a) => `${a.title} (${a.photos})`).join(', ')}.`,
  ];
  const list = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push(`${title} (${items.length}):`);
    for (const item of items.slice(0, 200)) lines.push(`  ${item}`);
    if (items.length > 200) lines.push(`  … and ${items.length - 200} more`);
  };
  list('Not read', refused.map((r) => `${r.label}: ${r.reason}`));
  list('Failed', outcome.failed.map((f) => `${f.label}: ${f.reason}`));
  list('Without a sidecar (dates from the file alone)', plan.withoutSidecar);
  list('Sidecars (or detail rows) without their file', plan.unusedSidecars);
  list('Sidecars not read', plan.badJson.map((b) => `${b.label}: ${b.reason}`));
  list('Values not taken', plan.problems.map((p) => `${p.label}: ${p.problem}`));
  return lines.join('\n');
}
