// Importing a Google Takeout export (issue 35): every photo and video through the one door for new items, each with
// its sidecar kept beside it (its date, place and description fill what the file does not say, in the metadata
// step); favourites, the trash and the albums of the export applied after. Idempotent: the same bytes are the same
// item, so a second run adds nothing; the photos it finds already there are placed in the export's albums, but their
// favourites and trash are left as the user has them now — unless an earlier run of this very import added them
// (the target says so: `ours`), and was cut short before it gave them their marks.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { forEachLimit } from '../../base/concurrency.js';
import { withoutControls } from '../../base/text.js';
import { MAX_SIDECAR_JSON_BYTES, type TakeoutAlbumMeta } from '../../media/takeout-json.js';
import { readSmall, ZipBombError } from './archive.js';
import type { TakeoutItem, TakeoutPlan } from './plan.js';
import { makeTempFolder } from '../../base/process-folders.js';
import { counted } from '../../base/plural.js';

/** Where the items go: the library in this process, or a running server over HTTP. */
export interface TakeoutTarget {
  /**
   * Adds one file (its sidecar, a JSON file, attached): the existing item's id when the bytes are there already;
   * `attached` when the sidecar was given to a photo that had none; `ours` when the existing item was added from
   * this very file by an earlier run of the same import (one cut short: its marks may not have been given).
   */
  add(
    name: string,
    stream: Readable,
    sidecarFile: string | null,
    label: string,
  ): Promise<{ id: string; duplicate: boolean; video: boolean; attached: boolean; ours: boolean }>;
  favorite(ids: string[]): Promise<void>;
  /** Puts the photos in the archive (Google's archived, iCloud's hidden). */
  archive(ids: string[]): Promise<void>;
  trash(ids: string[]): Promise<void>;
  /** Puts the photos in the user's album of that title, made when there is none. */
  album(meta: TakeoutAlbumMeta, ids: string[]): Promise<void>;
  /** Whether a failure to add a file ends the import rather than that file (a server that is gone takes no more). */
  fatal?(error: unknown): boolean;
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
  /**
   * After each item, with how many items from the first are in (items go in side by side: one may end before an
   * earlier one); awaited before its slot takes the next (the server records where the import is).
   */
  onItem?: (settled: number) => void | Promise<void>;
  /** Stops the import between items (a server stopping, the import deleted): it rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Why an item failed, as the report says it: a failed statement's own reason, not the statement and its values
 * (drizzle's message carries both, NUL characters and all); without control characters.
 */
export function failureReason(error: unknown): string {
  const cause = error instanceof Error && error.message.startsWith('Failed query') && error.cause instanceof Error ? error.cause : error;
  return withoutControls(cause instanceof Error ? cause.message : String(cause), { lines: true }).slice(0, 1000);
}

export async function importTakeout(plan: TakeoutPlan, target: TakeoutTarget, options: TakeoutImportOptions = {}): Promise<TakeoutOutcome> {
  const outcome: TakeoutOutcome = {
    added: [],
    videos: 0,
    alreadyThere: 0,
    copies: 0,
    failed: [],
    favourites: 0,
    trashed: 0,
    archived: 0,
    albums: [],
    withPeople: 0,
  };
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
    const finished = new Uint8Array(ordered.length);
    let settled = 0;
    await forEachLimit([...ordered.keys()], options.concurrency ?? 2, async (index) => {
      const item = ordered[index]!;
      options.signal?.throwIfAborted();
      try {
        let sidecarFile: string | null = null;
        if (item.sidecar) {
          sidecarFile = path.join(temp, `${written++}.json`);
          await writeFile(sidecarFile, item.sidecar.text ?? (await readSmall(item.sidecar.file, MAX_SIDECAR_JSON_BYTES)));
        }
        const stream = await item.file.open();
        const result = await target.add(item.file.name, stream, sidecarFile, item.file.label);
        if (sidecarFile) await rm(sidecarFile, { force: true });
        idOf.set(item, result.id);
        if (result.duplicate && result.attached) freshIds.add(result.id);
        // added now, or by a run of this import that a stop cut short: counted as added, given its marks
        if (!result.duplicate || result.ours) {
          newIds.add(result.id);
          freshIds.add(result.id);
          outcome.added.push(result.id);
          if (result.video) outcome.videos++;
        } else duplicates.push(result.id);
      } catch (error) {
        // a bomb's archive would fail each item left, one by one, and so would a server that is gone: the import stops instead
        if (error instanceof ZipBombError || options.signal?.aborted || target.fatal?.(error)) throw error;
        outcome.failed.push({ label: item.file.label, reason: failureReason(error) });
      }
      finished[index] = 1;
      while (settled < ordered.length && finished[settled]) settled++;
      await options.onItem?.(settled);
    });
    options.signal?.throwIfAborted();
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
            outcome.failed.push({ label: labelOf.get(id) ?? id, reason: `${what}: ${failureReason(error)}` });
          }
        }
        return changed;
      }
    };
    outcome.favourites = await applyEach(
      fresh((item) => item.sidecar?.marks.favorited === true),
      'not made a favourite',
      (ids) => target.favorite(ids),
    );
    outcome.archived = await applyEach(
      fresh((item) => item.sidecar?.marks.archived === true),
      'not archived',
      (ids) => target.archive(ids),
    );
    outcome.withPeople = fresh((item) => item.sidecar?.marks.namesPeople === true).length;
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
    outcome.trashed = await applyEach(
      fresh((item) => item.sidecar?.marks.trashed === true),
      'not moved to the trash',
      (ids) => target.trash(ids),
    );
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return outcome;
}

/** The report, as the CLI prints it: counts, then each file without a sidecar, sidecar without a file, problem. */
export function takeoutReport(plan: TakeoutPlan, outcome: TakeoutOutcome, refused: { label: string; reason: string }[]): string {
  const lines = [
    `Added ${outcome.added.length}${outcome.videos ? ` (${counted(outcome.videos, 'video')})` : ''}, already in the library ${outcome.alreadyThere}, ` +
      `copies in several folders ${outcome.copies}, failed ${outcome.failed.length}.`,
    `Favourites ${outcome.favourites}, moved to the trash ${outcome.trashed}, archived ${outcome.archived}, ` + `with people named ${outcome.withPeople}.`,
    `Albums: ${outcome.albums.length === 0 ? 'none' : outcome.albums.map((a) => `${a.title} (${a.photos})`).join(', ')}.`,
  ];
  const list = (title: string, items: string[], leftOut = 0) => {
    if (items.length === 0) return;
    const total = items.length + leftOut;
    lines.push(`${title} (${total}):`);
    for (const item of items.slice(0, 200)) lines.push(`  ${item}`);
    if (total > 200) lines.push(`  … and ${total - 200} more`);
  };
  list(
    'Not read',
    refused.map((r) => `${r.label}: ${r.reason}`),
  );
  list(
    'Failed',
    outcome.failed.map((f) => `${f.label}: ${f.reason}`),
  );
  list('Without a sidecar (dates from the file alone)', plan.withoutSidecar);
  list('Sidecars (or detail rows) without their file', plan.unusedSidecars, plan.unusedSidecarsLeftOut);
  list(
    'Folders not made albums (their photos are imported)',
    plan.notAlbums.map((n) => `${n.label}: ${n.reason}`),
  );
  list(
    'Sidecars not read',
    plan.badJson.map((b) => `${b.label}: ${b.reason}`),
  );
  list(
    'Values not taken',
    plan.problems.map((p) => `${p.label}: ${p.problem}`),
  );
  return lines.join('\n');
}
