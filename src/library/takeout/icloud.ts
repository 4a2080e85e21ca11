// An iCloud Photos export ("Request a copy of your data": zips named `iCloud Photos Part 1 of N`) planned into the
// same shape as a Google Takeout one (./plan.ts), so that it is imported the same way. Its facts are in CSV files:
// `Photo Details*.csv` beside the photos (imgName, favorite, hidden, deleted, originalCreationDate in GMT, …) and one
// `Albums/<album>.csv` per album (an `Images` column of file names). The facts of each photo travel as a JSON sidecar
// in Takeout's form, which the metadata step reads (media/takeout-json.ts): the file's own date wins, as for Takeout.
import { parse } from 'csv-parse/sync';
import { parseTakeoutSidecar, type TakeoutAlbumMeta } from '../../media/takeout-json.js';
import { readSmall, type TakeoutFile } from './archive.js';
import type { TakeoutPlan } from './plan.js';

/** A Photo Details CSV holds a row per photo (~100 bytes): a million photos fit. */
const MAX_CSV_BYTES = 256 * 1024 * 1024;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** `Saturday January 15,2022 7:31 PM GMT` → the instant; null for anything else. */
export function iCloudDate(text: string): Date | null {
  const match = /^\s*(?:[A-Za-z]+,?\s+)?([A-Za-z]+)\s+(\d{1,2}),\s*(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)\s*(?:GMT|UTC)\s*$/iu.exec(text);
  if (!match) return null;
  const month = MONTHS.indexOf(match[1]!.toLowerCase());
  const hour12 = Number(match[4]);
  if (month < 0 || hour12 < 1 || hour12 > 12) return null;
  const hour = (hour12 % 12) + (match[7]!.toUpperCase() === 'PM' ? 12 : 0);
  const date = new Date(Date.UTC(Number(match[3]), month, Number(match[2]), hour, Number(match[5]), Number(match[6] ?? 0)));
  return date.getUTCDate() === Number(match[2]) ? date : null; // February 30th is not a date
}

interface Detail {
  file: TakeoutFile;
  row: Record<string, string>;
  key: string;
}

const yes = (value: string | undefined) => /^(yes|true|1)$/iu.test(value?.trim() ?? '');

function rowsOf(text: string): Record<string, string>[] {
  return parse(text.replace(/^\uFEFF/u, ''), { columns: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as Record<string, string>[];
}

export async function planICloud(files: readonly TakeoutFile[]): Promise<TakeoutPlan> {
  const plan: TakeoutPlan = { items: [], withoutSidecar: [], unusedSidecars: [], badJson: [], problems: [], albums: [] };
  // a part's Photo Details describe the photos beside them: rows are keyed by their folder (every part has a
  // `Photos/`, and IMG_0001.JPG comes back every 10,000 photos), by name alone only where that is unambiguous
  const details = new Map<string, Detail>();
  const byName = new Map<string, Detail[]>();
  const albumsOf = new Map<string, TakeoutAlbumMeta[]>();
  const media: TakeoutFile[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.label)) continue;
    seen.add(file.label);
    if (!/\.csv$/iu.test(file.name)) {
      if (!/\.(html?|json|txt)$/iu.test(file.name)) media.push(file);
      continue;
    }
    let rows: Record<string, string>[];
    try {
      rows = rowsOf(await readSmall(file, MAX_CSV_BYTES));
    } catch (error) {
      plan.badJson.push({ label: file.label, reason: `not read: ${(error as Error).message}` });
      continue;
    }
    if (file.folder === 'Albums' || (rows[0] && 'Images' in rows[0] && !('imgName' in rows[0]))) {
      const album = { title: file.name.replace(/\.csv$/iu, '') };
      plan.albums.push(album.title);
      for (const row of rows) {
        const name = row.Images?.trim();
        if (name) albumsOf.set(name, [...(albumsOf.get(name) ?? []), album]);
      }
    } else if (rows[0] && 'imgName' in rows[0]) {
      for (const row of rows) {
        if (!row.imgName) continue;
        const detail = { file, row, key: `${file.dir}|${row.imgName}` };
        details.set(detail.key, detail);
        byName.set(row.imgName, [...(byName.get(row.imgName) ?? []), detail]);
      }
    }
  }
  const taken = new Set<string>();
  for (const file of media) {
    const named = byName.get(file.name);
    const found = details.get(`${file.dir}|${file.name}`) ?? (named?.length === 1 ? named[0] : undefined);
    let sidecar: TakeoutPlan['items'][number]['sidecar'] = null;
    if (found) {
      taken.add(found.key);
      const { row } = found;
      const when = row.originalCreationDate ? iCloudDate(row.originalCreationDate) : null;
      if (row.originalCreationDate && !when) plan.problems.push({ label: `${found.file.label} (${file.name})`, problem: `originalCreationDate ${JSON.stringify(row.originalCreationDate)} is not a date` });
      const json = {
        title: file.name,
        ...(when ? { photoTakenTime: { timestamp: String(Math.floor(when.getTime() / 1000)) } } : {}),
        favorited: yes(row.favorite),
        archived: yes(row.hidden),
        trashed: yes(row.deleted),
      };
      const text = JSON.stringify(json);
      const facts = parseTakeoutSidecar(text, file.name);
      for (const problem of facts.problems) plan.problems.push({ label: `${found.file.label} (${file.name})`, problem });
      sidecar = { file: found.file, text, facts };
    } else plan.withoutSidecar.push(file.label);
    plan.items.push({ file, sidecar, albums: albumsOf.get(file.name) ?? [] });
  }
  plan.unusedSidecars = [...details.values()].filter(({ key }) => !taken.has(key)).map(({ file, row }) => `${file.label}: ${row.imgName}`);
  plan.albums = [...new Set(plan.albums)].sort();
  return plan;
}
