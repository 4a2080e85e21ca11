// What the selection bar's actions do to the chosen photos, each answering the toast that says so (with its undo).
import { trashPhotos, updatePhotos } from '../../client/library.js';
import { stackPhotos, unstack } from '../../client/stacks.js';
import { restoreFromTrash } from '../../client/trash.js';
import { getPhoto } from '../../client/photo.js';
import { canShareFiles, fetchSharedFiles, MAX_SHARED_FILES, openShareSheet } from '../../lib/share.js';
import { countedByMime, formatCount, stackedItems, type Counted } from '../../lib/format.js';
import { library } from '../../store/library.js';
import { cancelOfflineChange, keepOfflineChange, offlineChangesSent, whenReachable } from '../../store/offlineChanges.js';
import type { PhotoSequence } from '../../store/photoSequence.js';
import type { ToastMessage } from './Toast.js';

export const photos = (n: number) => `${formatCount(n)} ${n === 1 ? 'photo' : 'photos'}`;

/** Words for counts of the chosen items, by what the ordering says they are (countedByMime). */
export function countedAs(sequence: PhotoSequence, ids: readonly string[]): Counted {
  return countedByMime(
    ids.map((id) => {
      const offset = sequence.indexOf(id);
      return offset === undefined ? undefined : sequence.photoAt(offset)?.mime;
    }),
  );
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
  // it can wait while the server cannot be reached: kept, shown at once, sent once it answers (store/offlineChanges.ts)
  const keep = (): ToastMessage => {
    keepOfflineChange({ kind: 'favorite', ids, favorite });
    return { text: `${favorite ? 'Added' : 'Removed'} ${what(ids.length)} ${favorite ? 'to' : 'from'} your favourites once back online.` };
  };
  if (!(await whenReachable(() => updatePhotos(ids, { favorite })))) return keep();
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
  const moved = await whenReachable(() => trashPhotos(chosen));
  if (!moved) {
    // off the timeline at once, sent once back online; the undo takes it out of the queue, or restores it once sent
    const change = keepOfflineChange({ kind: 'trash', ids: chosen });
    return {
      text: `Moved ${what(chosen.length)} to the trash: sent once back online.`,
      undo: async () => {
        if (cancelOfflineChange(change)) return `Kept ${what(chosen.length)}: nothing will be sent.`;
        await offlineChangesSent();
        // sending may have stopped before it (a server away, busy): still waiting, it is taken back
        if (cancelOfflineChange(change)) return `Kept ${what(chosen.length)}: nothing will be sent.`;
        await restoreFromTrash(chosen);
        void library.refresh();
        return `Restored ${what(chosen.length)}.`;
      },
    };
  }
  const { trashed } = moved.answer;
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

/** The chosen photos' files for the share sheet (each photo asked for first: its type, and whether it was edited). */
export async function selectedFiles(ids: string[]): Promise<File[]> {
  if (ids.length > MAX_SHARED_FILES) throw new Error(`At most ${MAX_SHARED_FILES} files go to the share sheet at once; share a link instead.`);
  const photos = await Promise.all(ids.map((id) => getPhoto(id)));
  return fetchSharedFiles(photos.map((p) => ({ id: p.id, filename: p.filename, mime: p.mime, edited: Boolean(p.edit) })));
}

/** Opens the share sheet with the files; null when the user closed it without sharing. */
export async function shareFiles(files: File[], what: Counted = photos): Promise<ToastMessage | null> {
  if (!canShareFiles(files)) throw new Error('This browser cannot share these files (a video, say): share a link instead.');
  return (await openShareSheet({ files })) ? { text: `Shared ${what(files.length)}.` } : null;
}
