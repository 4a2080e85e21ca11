// What the selection bar's actions do to the chosen photos, each answering the toast that says so (with its undo).
import { trashPhotos, updatePhotos } from '../../client/library.js';
import { stackPhotos, unstack } from '../../client/stacks.js';
import { restoreFromTrash } from '../../client/trash.js';
import { formatCount, photosAndVideos, plural, stackedItems } from '../../lib/format.js';
import { library } from '../../store/library.js';
import type { PhotoSequence } from '../../store/photoSequence.js';
import type { ToastMessage } from './Toast.js';

export const photos = (n: number) => `${formatCount(n)} ${n === 1 ? 'photo' : 'photos'}`;

/** A count of chosen items in words: `n` of them, with the noun that fits what they are. */
export type Counted = (n: number) => string;

/**
 * Words for counts of the chosen items, by what the ordering says they are: all of them "2 photos and 1 video"; some
 * of them (those an action changed) "3 photos" or "3 videos" when all are one kind, else "3 items". A video is not a
 * photo: "Move 1 photo to the trash?" over a clip reads as a mistake.
 */
export function countedAs(sequence: PhotoSequence, ids: readonly string[]): Counted {
  let videos = 0;
  let known = 0;
  for (const id of ids) {
    const offset = sequence.indexOf(id);
    const item = offset === undefined ? undefined : sequence.photoAt(offset);
    if (!item) continue;
    known++;
    if (item.mime.startsWith('video/')) videos++;
  }
  const onlyPhotos = known === ids.length && videos === 0;
  const onlyVideos = known === ids.length && videos === known && known > 0;
  return (n) => {
    if (onlyPhotos) return photos(n);
    if (onlyVideos) return plural(n, 'video', 'videos');
    if (known === ids.length && n === ids.length) return photosAndVideos(n, videos);
    return plural(n, 'item', 'items');
  };
}

/** Whether every chosen photo is loaded and has the flag (then the button takes it back). */
export function allHave(sequence: PhotoSequence, ids: readonly string[], flag: 'favorite' | 'archived'): boolean {
  return (
    ids.length > 0 &&
    ids.every((id) => {
      const offset = sequence.indexOf(id);
      return offset !== undefined && Boolean(sequence.photoAt(offset)?.[flag]);
    })
  );
}

export async function favourite(ids: string[], favorite: boolean, what: Counted = photos): Promise<ToastMessage> {
  await updatePhotos(ids, { favorite });
  library.patchLocal(new Set(ids), { favorite });
  void library.refresh();
  return { text: favorite ? `Added ${what(ids.length)} to your favourites.` : `Removed ${what(ids.length)} from your favourites.` };
}

export async function archive(chosen: string[], archived: boolean, what: Counted = photos): Promise<ToastMessage> {
  await updatePhotos(chosen, { archived });
  library.patchLocal(new Set(chosen), { archived });
  void library.refresh();
  const undo = async () => {
    await updatePhotos(chosen, { archived: !archived });
    void library.refresh();
    return archived ? `Brought ${what(chosen.length)} back.` : `Archived ${what(chosen.length)} again.`;
  };
  return archived
    ? { text: `Archived ${what(chosen.length)}: out of the timeline.`, link: { to: '/archive', label: 'Open the archive' }, undo }
    : { text: `Brought ${what(chosen.length)} back to the timeline.`, undo };
}

export async function stack(ids: string[]): Promise<ToastMessage> {
  const made = await stackPhotos(ids);
  void library.refresh();
  // a stack one of them was in came along: taking it all apart would undo more than this did
  const merged = made.members.some((m) => m.reason !== 'by-user');
  return {
    text: merged
      ? `Stacked ${stackedItems(made.members)}, with the stacks some of them were in.`
      : `Stacked ${stackedItems(made.members)}: the best shot shows for them.`,
    link: { to: `/photos/${made.coverId ?? made.members[0]!.photo.id}`, label: 'Open the stack' },
    ...(merged
      ? {}
      : {
          undo: async () => {
            await unstack(made.id);
            void library.refresh();
            return `Unstacked ${stackedItems(made.members)}.`;
          },
        }),
  };
}

export async function trash(chosen: string[], what: Counted = photos): Promise<ToastMessage> {
  const { trashed } = await trashPhotos(chosen);
  void library.refresh();
  return {
    text: `Moved ${what(trashed)} to the trash.`,
    link: { to: '/trash', label: 'Open the trash' },
    undo: async () => {
      await restoreFromTrash(chosen);
      void library.refresh();
      return `Restored ${what(chosen.length)}.`;
    },
  };
}
