// `shoebox export DIR [--album ID] [--by date|album]`: the user's own photos (or one album's) out of the library,
// originals with XMP sidecars and a manifest (library/export/run.ts), from a running server or from the library.
import { Readable } from 'node:stream';
import type { Settings } from '../config/settings.js';
import type { ExportLayout, ExportSource, ExportPhoto } from '../library/export/index.js';
import type { HandStacks } from '../library/stacks/index.js';
import type { ShoeboxClient } from './client.js';
import { allPages, throughServerOrLibrary } from './listing.js';
import { createProgress } from './progress.js';
import { counted } from '../base/plural.js';

interface ExportFlags {
  album?: string;
  takeoutJson?: boolean;
  by?: ExportLayout;
  server?: string;
}

type Detail = ExportPhoto & { motion?: boolean };

/** The file name a Content-Disposition header gives (`filename*=UTF-8''…` first), or null. */
export function dispositionName(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*=UTF-8''([^;]+)/iu.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      // a malformed escape: the plain name, if any
    }
  }
  return /filename="([^"]*)"/iu.exec(header)?.[1] ?? null;
}

function serverSource(client: ShoeboxClient, album: string | undefined): ExportSource {
  const body = async (route: string) => {
    const response = await client.fetch(route);
    if (!response.ok || !response.body) throw new Error(`GET ${route} answered ${response.status}`);
    return Readable.fromWeb(response.body as never);
  };
  return {
    async ids() {
      const me = await client.request<{ id: string }>('GET', '/api/auth/me');
      // every photo of a stack: the raw file and the edits are the user's as much as the cover
      // and the archive: it is the user's as much as the timeline
      const query = album ? `album=${encodeURIComponent(album)}&archived=include` : `owner=${me.id}&stacks=expand&archived=include`;
      const items = await allPages((page) => client.request<{ items: { id: string }[]; total: number }>('GET', `/api/photos?${query}&limit=500&page=${page}`));
      return items.map((item) => item.id);
    },
    photo: (id) => client.request<Detail>('GET', `/api/photos/${id}`),
    original: (id) => body(`/api/photos/${id}/original`),
    async albumFacts() {
      type Album = { name: string; description: string | null; coverPhotoId: string | null; coverChosen?: boolean };
      const albums = await allPages((page) =>
        client.request<{ items: Album[]; total: number }>('GET', `/api/albums?kind=manual&sharing=mine&limit=500&page=${page}`),
      );
      const { albumFactsOf } = await import('../library/export/index.js');
      return albumFactsOf(albums);
    },
    async motion(photo) {
      if (!(photo as Detail).motion) return null;
      const route = `/api/photos/${photo.id}/original?part=motion`;
      // its name as stored (a Live Photo's IMG_0001.MOV), as the library's own export names it
      const head = await client.fetch(route, { method: 'HEAD' });
      // as library/export/library-source.ts names it (this side of the CLI loads nothing of the library)
      const fallback = `${photo.filename.replace(/\.[^.]*$/u, '')}-motion.mp4`;
      const name = dispositionName(head.headers.get('content-disposition')) ?? fallback;
      // the server names a Live Photo's MOV as it came, and a motion photo's video, taken out of the still, by the still
      return { name, embedded: name === fallback, open: () => body(route) };
    },
    handStacks: (photoIds) => client.request<HandStacks>('POST', '/api/stacks/by-hand', { photoIds }),
  };
}

export async function runExport(dir: string, settings: Settings, flags: ExportFlags): Promise<void> {
  const { exportLibrary } = await import('../library/export/index.js');
  const layout = flags.by ?? 'date';
  const run = async (source: ExportSource) => {
    const ids = await source.ids();
    const progress = createProgress('export ', ids.length);
    const listed: ExportSource = { ...source, ids: async () => ids };
    let outcome;
    try {
      outcome = await exportLibrary(listed, dir, { layout, takeoutJson: flags.takeoutJson === true, onPhoto: () => progress.tick() });
    } finally {
      progress.stop(); // its timer would keep the process alive after an error
    }
    const lines = [
      `Exported ${counted(outcome.photos, 'photo')} to ${dir}: ${counted(outcome.written, 'file')} written, ${outcome.kept} already there, ${outcome.failed.length} failed.`,
      ...outcome.failed.slice(0, 200).map((f) => `  failed ${f.id}: ${f.reason}`),
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
    if (outcome.failed.length > 0) process.exitCode = 1;
  };
  await throughServerOrLibrary(
    settings,
    flags.server,
    'export',
    (client) => run(serverSource(client, flags.album)),
    async (lib) => {
      const { librarySource } = await import('../library/export/index.js');
      return run(librarySource(lib, flags.album ? { album: flags.album } : { all: true }));
    },
  );
}
