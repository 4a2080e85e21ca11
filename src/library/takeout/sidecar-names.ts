// Which JSON sidecar of a Google Takeout folder belongs to which photo or video. Google has named them in several
// ways over the years, and cuts names to fit 51 characters:
// - `IMG.jpg.json` (older) and `IMG.jpg.supplemental-metadata.json` (2024 on), the part before `.json` cut to 46
//   characters (`IMG_20200920_131207.jpg.supplemental-metad.json`, `….su.json`, `….s.json`, `…..json`);
// - a second `IMG.jpg` in a folder is `IMG(1).jpg`, its sidecar `IMG.jpg.supplemental-metadata(1).json`, or
//   `IMG.jpg(1).json` in older exports: the counter moves to just before `.json`;
// - a file name over 47 characters is itself cut (the extension kept); the sidecar's `title` keeps the whole name;
// - an edited copy (`IMG-edited.jpg`, or localised: `-bearbeitet`, `-modifié`…) has no sidecar: it shares the
//   original's.
// Matching is by name first (each rule above), then by the sidecars' titles; what is left unmatched is reported.
import { EDITED_SUFFIXES } from '../../media/shot-names.js';

/** Google's limit on a sidecar's name before `.json` (51 in all). */
const SIDECAR_STEM_MAX = 46;
const SUPPLEMENTAL = '.supplemental-metadata';

export interface SidecarName {
  /** The file's name in the folder. */
  file: string;
  /** The name before the counter and `.json`, as Google cut it. */
  stem: string;
  /** `(1)`, `(2)`… or ''. */
  counter: string;
  /** The sidecar's `title` (the photo's whole original name), when it has one. */
  title?: string;
}

export interface MediaName {
  file: string;
  /** The name the sidecar was made from: the counter taken out, an edited copy's original. */
  base: string;
  counter: string;
  /** An edited copy: its sidecar is its original's. */
  edited: boolean;
}

/** A media file's name taken apart: `IMG(1).jpg` → base `IMG.jpg`, counter `(1)`; `IMG-edited.jpg` → `IMG.jpg`. */
export function mediaName(file: string): MediaName {
  const dot = file.lastIndexOf('.');
  let stem = dot > 0 ? file.slice(0, dot) : file;
  const ext = dot > 0 ? file.slice(dot) : '';
  let counter = '';
  const counted = /^(.*?)(\(\d{1,4}\))$/u.exec(stem);
  if (counted) {
    stem = counted[1]!;
    counter = counted[2]!;
  }
  const lower = stem.normalize('NFC').toLowerCase();
  const suffix = EDITED_SUFFIXES.find((s) => lower.endsWith(s) && lower.length > s.length);
  if (suffix) stem = stem.slice(0, stem.length - suffix.length);
  return { file, base: stem + ext, counter, edited: suffix !== undefined };
}

/** A sidecar's name taken apart (`IMG.jpg.supplemental-metadata(1).json` → stem `IMG.jpg.supplemental-metadata`, `(1)`). */
export function sidecarName(file: string, title?: string): SidecarName | null {
  if (!/\.json$/iu.test(file)) return null;
  let stem = file.slice(0, -'.json'.length);
  let counter = '';
  const counted = /^(.*?)(\(\d{1,4}\))$/u.exec(stem);
  if (counted) {
    stem = counted[1]!;
    counter = counted[2]!;
  }
  return { file, stem, counter, ...(title !== undefined ? { title } : {}) };
}

/**
 * The sidecar names (`counter|stem`) that may be a media file's, with how well each fits: 3 as named today
 * (`IMG.jpg.supplemental-metadata`), 2 the older `IMG.jpg`, 1 the name without its extension (a name Google shortened:
 * the sidecar is cut from the whole title). Each whole, and cut to Google's limit when longer.
 */
function candidates(media: MediaName): { key: string; fit: number }[] {
  const found: { key: string; fit: number }[] = [];
  const add = (full: string, fit: number) => {
    found.push({ key: `${media.counter}|${full}`, fit });
    if (full.length > SIDECAR_STEM_MAX) found.push({ key: `${media.counter}|${full.slice(0, SIDECAR_STEM_MAX)}`, fit });
  };
  add(media.base + SUPPLEMENTAL, 3);
  add(media.base, 2);
  const dot = media.base.lastIndexOf('.');
  if (dot > 0) add(media.base.slice(0, dot), 1);
  return found;
}

/** A name shorter than this was not cut by Google (it cuts file names to 47 characters, the extension kept). */
const CUT_NAME_MIN = 30;

/** Whether the sidecar's title is the media file's whole name (the file's own name may have been cut). */
function titleFits(media: MediaName, sidecar: SidecarName): boolean {
  const title = sidecar.title?.normalize('NFC');
  if (!title || sidecar.counter !== media.counter) return false;
  const base = media.base.normalize('NFC');
  if (title === base) return true;
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return false;
  const stem = base.slice(0, dot);
  return stem.length >= CUT_NAME_MIN && title.startsWith(stem) && title.toLowerCase().endsWith(base.slice(dot).toLowerCase());
}

/** A name that holds a counter of its own (`scan(1).jpg` as uploaded): its sidecar names it whole. */
function literal(media: MediaName): MediaName | null {
  return media.counter ? { ...media, base: media.file, counter: '' } : null;
}

export interface FolderMatch {
  /** Media file → its sidecar's file (edited copies share their original's). */
  sidecars: Map<string, string>;
  /** Media files no sidecar was found for. */
  withoutSidecar: string[];
  /** Sidecars no media file took. */
  unused: string[];
}

/**
 * Matches the media files of one folder (all zips of an export merged) with its sidecars. Originals are matched
 * first, best-fitting name first, each sidecar to one original; an edited copy then takes its original's sidecar,
 * or one fitting its original's name.
 */
export function matchFolder(mediaFiles: readonly string[], sidecarFiles: readonly SidecarName[]): FolderMatch {
  const media = mediaFiles.map(mediaName);
  const byKey = new Map(sidecarFiles.map((s) => [`${s.counter}|${s.stem}`, s]));
  const free = new Map(sidecarFiles.map((s) => [s.file, s]));
  const sidecars = new Map<string, string>();
  const byBase = new Map<string, string>(); // `counter|base` of an original → its sidecar
  const originals = media.filter((m) => !m.edited);
  const edited = media.filter((m) => m.edited);
  const fitting = (m: MediaName) => candidates(m).flatMap(({ key, fit }) => (byKey.has(key) ? [{ s: byKey.get(key)!, fit }] : []));

  // by name, the best fits first: a sidecar fitting several names goes to the one it fits best (looked up, not
  // compared: a year folder may hold 30,000 photos)
  const pairs: { m: MediaName; s: SidecarName; fit: number }[] = [];
  for (const m of originals) {
    for (const { s, fit } of fitting(m)) pairs.push({ m, s, fit: fit * 2 * 1000 + s.stem.length });
    const whole = literal(m);
    if (whole) for (const { s, fit } of fitting(whole)) pairs.push({ m, s, fit: (fit * 2 - 1) * 1000 + s.stem.length });
  }
  pairs.sort((a, b) => b.fit - a.fit);
  for (const { m, s } of pairs) {
    if (sidecars.has(m.file) || !free.has(s.file)) continue;
    sidecars.set(m.file, s.file);
    free.delete(s.file);
  }
  // then by title, for names cut too short to tell apart (few are left by now)
  for (const m of originals) {
    if (sidecars.has(m.file)) continue;
    const titled = [...free.values()].filter((s) => titleFits(m, s));
    if (titled.length === 1) {
      sidecars.set(m.file, titled[0]!.file);
      free.delete(titled[0]!.file);
    }
  }
  for (const m of originals) {
    const s = sidecars.get(m.file);
    if (s) byBase.set(`${m.counter}|${m.base}`, s);
  }
  for (const m of edited) {
    const found = byBase.get(`${m.counter}|${m.base}`) ?? byBase.get(`|${m.base}`) ?? fitting(m).sort((a, b) => b.fit - a.fit)[0]?.s.file;
    if (found) {
      sidecars.set(m.file, found);
      free.delete(found);
    }
  }
  return {
    sidecars,
    withoutSidecar: mediaFiles.filter((f) => !sidecars.has(f)),
    unused: [...free.keys()],
  };
}
