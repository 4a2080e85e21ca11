// Photos put in the user's albums by title through a running server, an album made where the user has none of that
// title (the first of a name is used), and in the archive: a Takeout's album folders and archived photos, the albums
// and archive an export of Shoebox lists.
import { inBatches } from '../base/concurrency.js';
import type { TakeoutTarget } from '../library/takeout/index.js';
import type { ShoeboxClient } from './client.js';
import type { SetAlbumCover } from './exported.js';

const BATCH = 1000;

type OwnAlbum = { id: string; name: string; coverChosen: boolean };

/** The user's own manual albums through the server, a page at a time (a caller may stop at the one it looks for). */
async function* ownAlbumList(client: ShoeboxClient): AsyncGenerator<OwnAlbum> {
  for (let page = 1; ; page++) {
    const list = await client.request<{ items: OwnAlbum[]; total: number; limit: number }>(
      'GET',
      `/api/albums?kind=manual&sharing=mine&limit=500&page=${page}`,
    );
    yield* list.items;
    if (page * list.limit >= list.total) return;
  }
}

/** The albums of the user's own, by name (the first of a name). */
async function ownAlbums(client: ShoeboxClient): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for await (const album of ownAlbumList(client)) if (!found.has(album.name)) found.set(album.name, album.id);
  return found;
}

/** Puts photos in the user's album of a title through the server, made when there is none. */
export function serverAlbums(client: ShoeboxClient): TakeoutTarget['album'] {
  let albums: Promise<Map<string, string>> | null = null;
  return async (meta, ids) => {
    albums ??= ownAlbums(client);
    const known = await albums;
    let id = known.get(meta.title);
    if (!id) {
      const made = await client.request<{ id: string }>('POST', '/api/albums', {
        name: meta.title,
        ...(meta.description ? { description: meta.description } : {}),
      });
      id = made.id;
      known.set(meta.title, id);
    }
    await inBatches(ids, BATCH, (batch) => client.request('POST', `/api/albums/${id}/photos`, { ids: batch }));
  };
}

/** An album's cover through the server, unless one was chosen (cli/exported.ts's SetAlbumCover). */
export function serverAlbumCover(client: ShoeboxClient): SetAlbumCover {
  return async (title, photoId) => {
    for await (const album of ownAlbumList(client)) {
      if (album.name !== title) continue;
      if (album.coverChosen) return false;
      await client.request('PATCH', `/api/albums/${album.id}`, { coverPhotoId: photoId });
      return true;
    }
    return false;
  };
}

/** Puts photos in the archive through the server. */
export function serverArchive(client: ShoeboxClient): TakeoutTarget['archive'] {
  return (ids) => inBatches(ids, BATCH, (batch) => client.request('PATCH', '/api/photos', { ids: batch, archived: true }));
}
