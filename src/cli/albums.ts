import type { Settings } from '../config/settings.js';
import type { AlbumSummary } from '../library/albums/index.js';
import { allPages, throughServerOrLibrary } from './listing.js';

export interface AlbumsFlags {
  kind?: 'manual' | 'auto';
  json?: boolean;
  server?: string;
}

function print(items: AlbumSummary[], json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ items }, null, 2)}\n`);
    return;
  }
  if (items.length === 0) {
    process.stderr.write('No albums.\n');
    return;
  }
  const width = Math.max(...items.map((album) => String(album.photoCount).length));
  for (const album of items) {
    process.stdout.write(`${String(album.photoCount).padStart(width)}  ${album.kind.padEnd(6)}  ${album.name}  ${album.id}\n`);
  }
  process.stderr.write(`${items.length} albums\n`);
}

/** `shoebox albums`: name, kind and photo count of each album, through a running server, else the library directly. */
export async function runAlbums(settings: Settings, flags: AlbumsFlags): Promise<void> {
  const limit = 500;
  const albums = await throughServerOrLibrary(
    settings,
    flags.server,
    'albums',
    (client) => allPages((page) => client.albums({ page: String(page), limit: String(limit), ...(flags.kind ? { kind: flags.kind } : {}) })),
    async (lib) => {
      const { listAlbums } = await import('../library/albums/index.js');
      return allPages((page) => listAlbums(lib, { kind: flags.kind, page, limit }));
    },
  );
  print(albums, Boolean(flags.json));
}
