import type { Settings } from '../config/settings.js';
import type { RegenerateOptions, RegenerateSummary } from '../library/albums/index.js';
import { UserError } from '../base/errors.js';
import { withLibrary } from './listing.js';
import { findServer } from './target.js';
import { counted } from '../base/plural.js';

export interface RegenerateFlags {
  minSize?: number;
  minSimilarity?: number;
  /** A number of days, or undefined for no split. */
  timeGapDays?: number;
  json?: boolean;
  server?: string;
}

/** Dates as the API writes them, so that --json prints the same with or without a server. */
type SummaryJson = Omit<RegenerateSummary, 'albums'> & {
  albums: (Omit<RegenerateSummary['albums'][number], 'start' | 'end'> & { start: string | null; end: string | null })[];
};

function toJson(summary: RegenerateSummary): SummaryJson {
  return {
    ...summary,
    albums: summary.albums.map((album) => ({ ...album, start: album.start?.toISOString() ?? null, end: album.end?.toISOString() ?? null })),
  };
}

function print(summary: SummaryJson, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const width = Math.max(1, ...summary.albums.map((album) => String(album.photoCount).length));
  for (const album of summary.albums) {
    process.stdout.write(`${String(album.photoCount).padStart(width)}  ${album.change.padEnd(9)}  ${album.name}  ${album.id}\n`);
  }
  const counts = `${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.removed} removed`;
  const skipped = summary.skipped > 0 ? `, ${summary.skipped} left out (dismissed or kept before)` : '';
  const pending =
    summary.pending > 0
      ? `; ${counted(summary.pending, 'photo')} still ${summary.pending === 1 ? 'waits' : 'wait'} for ${summary.pending === 1 ? 'its' : 'their'} embedding`
      : '';
  process.stderr.write(`${counted(summary.photos, 'photo')} clustered: ${counts}${skipped}${pending}\n`);
}

/**
 * `shoebox albums regenerate`: groups alike photos into automatic albums again, through a running server (which
 * holds the library), else on the library directly.
 */
export async function runAlbumsRegenerate(settings: Settings, flags: RegenerateFlags): Promise<void> {
  const options: RegenerateOptions = {};
  if (flags.minSize !== undefined) options.minSize = flags.minSize;
  if (flags.minSimilarity !== undefined) options.minSimilarity = flags.minSimilarity;
  if (flags.timeGapDays !== undefined) options.timeGapDays = flags.timeGapDays;
  const server = await findServer(settings, flags.server);
  if (server) {
    const response = await server.fetch('/api/albums/auto/regenerate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(options),
    });
    const body = (await response.json()) as SummaryJson & { message?: string };
    if (!response.ok) throw new Error(body.message ?? `regenerate answered ${response.status}`);
    print(body, Boolean(flags.json));
    return;
  }
  await withLibrary(settings, 'albums regenerate', async (lib) => {
    const { regenerateAutoAlbums } = await import('../library/albums/index.js');
    try {
      print(toJson(await regenerateAutoAlbums(lib, options)), Boolean(flags.json));
    } catch (error) {
      // The library's own words, without the HTTP status they carry for the API.
      if (error instanceof UserError) throw new Error(error.message);
      throw error;
    }
  });
}
