// An export's archive sent to Upload is refused with where it goes instead: Import, and the command for its source.
// Which service made it is read as each makes its zips: Google's parts are `takeout-….zip` holding `Takeout/…`,
// Apple's `iCloud Photos Part 1 of N.zip` holding `Photo Details.csv` files; a zip neither names gets both commands.
import yauzl from 'yauzl';

export type ArchiveSource = 'google-takeout' | 'icloud';

/** The first entries are enough: both services put their own folder or files at once. */
const ENTRIES_LOOKED_AT = 200;

/** The source an archive's name and first entry names say (pure); null when they say neither. */
export function archiveSource(filename: string, entries: readonly string[]): ArchiveSource | null {
  if (/icloud/iu.test(filename) || entries.some((name) => /^icloud photos/iu.test(name) || /(^|\/)photo details[^/]*\.csv$/iu.test(name))) return 'icloud';
  if (/^takeout-/iu.test(filename) || entries.some((name) => /^takeout\//iu.test(name))) return 'google-takeout';
  return null;
}

/** The names of a zip's first entries; none when it cannot be read (a damaged zip is still refused as an archive). */
async function firstEntries(zipPath: string): Promise<string[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false });
  } catch {
    return [];
  }
  try {
    return await new Promise<string[]>((resolve) => {
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName.replace(/\\/gu, '/'));
        if (names.length < ENTRIES_LOOKED_AT) zip.readEntry();
        else resolve(names);
      });
      zip.on('end', () => resolve(names));
      zip.on('error', () => resolve(names));
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

const COMMAND: Record<ArchiveSource, string> = {
  'google-takeout': 'shoebox import --from google-takeout',
  icloud: 'shoebox import --from icloud',
};
const NAMES: Record<ArchiveSource, string> = { 'google-takeout': 'a Google Takeout', icloud: 'an iCloud Photos export' };

/** What an upload of the archive at `zipPath` is told: a zip is no photo, and where the export it is part of goes. */
export async function archiveRefusal(filename: string, zipPath: string): Promise<string> {
  const source = archiveSource(filename, await firstEntries(zipPath));
  const where = source
    ? `${NAMES[source]} is brought in by Import (More → Import, or ${COMMAND[source]})`
    : `a Google Takeout or iCloud export is brought in by Import (More → Import, or shoebox import --from google-takeout or icloud)`;
  return `${filename}: a zip archive, not a photo or video: ${where}`;
}
