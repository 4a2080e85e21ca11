// An iCloud Photos export ("Request a copy of your data": zips named `iCloud Photos Part 1 of N`) planned into the
// same shape as a Google Takeout one (./plan.ts), so that it is imported the same way. Its facts are in CSV files:
// `Photo Details*.csv` beside the photos (imgName, favorite, hidden, deleted, originalCreationDate in GMT, …) and one
// `Albums/<album>.csv` per album (an `Images` column of file names). The facts of each photo travel as a JSON sidecar
// in Takeout's form, which the metadata step reads (media/takeout-json.ts): the file's own date wins, as for Takeout.
// The CSVs are streamed (./csv-rows.ts) and only rows that name a file of the export are kept: a CSV's size costs
// time, bounded, never memory.
import { withoutControls } from '../../base/text.js';
import { parseTakeoutSidecar, type TakeoutAlbumMeta } from '../../media/takeout-json.js';
import { ZipBombError, type TakeoutFile } from './archive.js';
import { CSV_LIMITS, csvRecords, type CsvLimits } from './csv-rows.js';
import { marksOf, MAX_LISTED, type TakeoutPlan } from './plan.js';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
/** A date field longer than this is not one; a problem quotes at most this much of it. */
const MAX_DATE_CHARS = 80;

/** `Saturday January 15,2022 7:31 PM GMT` → the instant; null for anything else. */
export function iCloudDate(text: string): Date | null {
  if (text.length > MAX_DATE_CHARS) return null;
  const match = /^\s*(?:[A-Za-z]+,?\s+)?([A-Za-z]+)\s+(\d{1,2}),\s*(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)\s*(?:GMT|UTC)\s*$/iu.exec(text);
  if (!match) return null;
  const month = MONTHS.indexOf(match[1]!.toLowerCase());
  const hour12 = Number(match[4]);
  if (month < 0 || hour12 < 1 || hour12 > 12) return null;
  const hour = (hour12 % 12) + (match[7]!.toUpperCase() === 'PM' ? 12 : 0);
  const date = new Date(Date.UTC(Number(match[3]), month, Number(match[2]), hour, Number(match[5]), Number(match[6] ?? 0)));
  return date.getUTCDate() === Number(match[2]) ? date : null; // February 30th is not a date
}

/** A Photo Details row of a file the export holds, as much of it as the import uses. */
interface Detail {
  file: TakeoutFile;
  key: string;
  name: string;
  favorite: boolean;
  hidden: boolean;
  deleted: boolean;
  when: Date | null;
  /** originalCreationDate when it is there and not a date (quoted, cut short). */
  notADate: string | null;
}

const yes = (value: string | undefined) => /^(yes|true|1)$/iu.test(value ?? '');

/** What the CSVs of the export say about the files it holds. */
interface Facts {
  details: Map<string, Detail>;
  byName: Map<string, Detail[]>;
  albumsOf: Map<string, TakeoutAlbumMeta[]>;
  /** Detail rows that name no file of the export: the first MAX_LISTED, and how many in all. */
  strays: string[];
  strayCount: number;
}

/**
 * Reads one CSV into `facts`: a Photo Details file's rows of the files in `names`, or an album's. Its rows join the
 * facts only once it is read whole: a file past a bound says nothing.
 */
async function readCsv(file: TakeoutFile, names: ReadonlySet<string>, facts: Facts, plan: TakeoutPlan, limits: CsvLimits, signal?: AbortSignal): Promise<void> {
  const details: Detail[] = [];
  const images: string[] = [];
  const strays: string[] = [];
  let strayCount = 0;
  let kind: 'details' | 'album' | null = null;
  let column: Record<'name' | 'favorite' | 'hidden' | 'deleted' | 'date' | 'images', number> | null = null;
  let read = 0;
  for await (const record of csvRecords(await file.open(), limits)) {
    if (++read % 10_000 === 0) signal?.throwIfAborted();
    if (!column) {
      const at = (name: string) => record.indexOf(name);
      column = {
        name: at('imgName'),
        favorite: at('favorite'),
        hidden: at('hidden'),
        deleted: at('deleted'),
        date: at('originalCreationDate'),
        images: at('Images'),
      };
      kind = file.folder === 'Albums' || (column.images >= 0 && column.name < 0) ? 'album' : column.name >= 0 ? 'details' : null;
      if (kind === null) return; // a CSV of something else: not read further
      continue;
    }
    if (kind === 'album') {
      const name = column.images >= 0 ? record[column.images] : undefined;
      if (name && names.has(name)) images.push(name);
      continue;
    }
    const name = record[column.name];
    if (!name) continue;
    if (!names.has(name)) {
      if (strays.length < MAX_LISTED) strays.push(`${file.label}: ${withoutControls(name).slice(0, 200)}`);
      strayCount++;
      continue;
    }
    const date = record[column.date] ?? '';
    const when = date ? iCloudDate(date) : null;
    details.push({
      file,
      key: `${file.dir}|${name}`,
      name,
      favorite: yes(record[column.favorite]),
      hidden: yes(record[column.hidden]),
      deleted: yes(record[column.deleted]),
      when,
      notADate: date && !when ? JSON.stringify(date.slice(0, MAX_DATE_CHARS)) : null,
    });
  }
  if (kind === 'album') {
    const title = withoutControls(file.name.replace(/\.csv$/iu, ''));
    if (!title) {
      plan.notAlbums.push({ label: file.label, reason: 'its name gives the album no title' });
      return;
    }
    const album = { title };
    plan.albums.push(title);
    for (const name of images) {
      const list = facts.albumsOf.get(name);
      if (!list) facts.albumsOf.set(name, [album]);
      else if (list.at(-1) !== album) list.push(album); // a name twice in one album's CSV: once
    }
    return;
  }
  for (const detail of details) {
    // a row for the same file again replaces the first
    if (!facts.details.has(detail.key)) {
      const list = facts.byName.get(detail.name);
      if (list) list.push(detail);
      else facts.byName.set(detail.name, [detail]);
    }
    facts.details.set(detail.key, detail);
  }
  facts.strays.push(...strays.slice(0, MAX_LISTED - facts.strays.length));
  facts.strayCount += strayCount;
}

export async function planICloud(files: readonly TakeoutFile[], options: { csvLimits?: CsvLimits; signal?: AbortSignal } = {}): Promise<TakeoutPlan> {
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
  // a part's Photo Details describe the photos beside them: rows are keyed by their folder (every part has a
  // `Photos/`, and IMG_0001.JPG comes back every 10,000 photos), by name alone only where that is unambiguous
  const facts: Facts = { details: new Map(), byName: new Map(), albumsOf: new Map(), strays: [], strayCount: 0 };
  const media: TakeoutFile[] = [];
  const csvs: TakeoutFile[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.label)) continue;
    seen.add(file.label);
    if (/\.csv$/iu.test(file.name)) csvs.push(file);
    else if (!/\.(html?|json|txt)$/iu.test(file.name)) media.push(file);
  }
  const names = new Set(media.map((file) => file.name));
  for (const file of csvs) {
    options.signal?.throwIfAborted();
    try {
      await readCsv(file, names, facts, plan, options.csvLimits ?? CSV_LIMITS, options.signal);
    } catch (error) {
      if (error instanceof ZipBombError || options.signal?.aborted) throw error;
      plan.badJson.push({ label: file.label, reason: `not read: ${(error as Error).message}` });
    }
  }
  const taken = new Set<string>();
  for (const file of media) {
    const named = facts.byName.get(file.name);
    const found = facts.details.get(`${file.dir}|${file.name}`) ?? (named?.length === 1 ? named[0] : undefined);
    let sidecar: TakeoutPlan['items'][number]['sidecar'] = null;
    if (found) {
      taken.add(found.key);
      const label = `${found.file.label} (${file.name})`;
      if (found.notADate) plan.problems.push({ label, problem: `originalCreationDate ${found.notADate} is not a date` });
      const json = {
        title: file.name,
        ...(found.when ? { photoTakenTime: { timestamp: String(Math.floor(found.when.getTime() / 1000)) } } : {}),
        favorited: found.favorite,
        archived: found.hidden,
        trashed: found.deleted,
      };
      const text = JSON.stringify(json);
      const facts = parseTakeoutSidecar(text, file.name);
      for (const problem of facts.problems) plan.problems.push({ label, problem });
      sidecar = { file: found.file, text, marks: marksOf(facts) };
    } else plan.withoutSidecar.push(file.label);
    plan.items.push({ file, sidecar, albums: facts.albumsOf.get(file.name) ?? [] });
  }
  const untaken = [...facts.details.values()].filter(({ key }) => !taken.has(key)).map(({ file, name }) => `${file.label}: ${name}`);
  plan.unusedSidecars = [...untaken, ...facts.strays].slice(0, MAX_LISTED);
  plan.unusedSidecarsLeftOut = untaken.length + facts.strayCount - plan.unusedSidecars.length;
  plan.albums = [...new Set(plan.albums)].sort();
  return plan;
}
