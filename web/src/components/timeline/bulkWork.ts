// What the selection bar's actions do to the chosen photos, each answering the toast that says so (with its undo).
import { trashPhotos, updatePhotos } from '../../client/library.js';
import { stackPhotos, unstack } from '../../client/stacks.js';
import { restoreFromTrash } from '../../client/trash.js';
import { formatCount } from '../../lib/format.js';
import { library } from '../../store/library.js';
import type { PhotoSequence } from '../../store/photoSequence.js';
import type { ToastMessage } from './Toast.js';

export const photos = (n: number) => `${formatCount(n)} ${n === 1 ? 'photo' : 'photos'}`;

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

export async function favourite(ids: string[], favorite: boolean): Promise<ToastMessage> {
  await updatePhotos(ids, { favorite });
  library.patchLocal(new Set(ids), { favorite });
  void library.refresh();
  return { text: favorite ? `Added ${photos(ids.length)} to your favourites.` : `Removed ${photos(ids.length)} from your favourites.` };
}

export async function archive(chosen: string[], archived: boolean): Promise<ToastMessage> {
  await updatePhotos(chosen, { archived });
  library.patchLocal(new Set(chosen), { archived });
  void library.refresh();
  const undo = async () => {
    await updatePhotos(chosen, { archived: !archived });
    void library.refresh();
    return archived ? `Brought ${photos(chosen.length)} back.` : `Archived ${photos(chosen.length)} again.`;
  };
  return archived
    ? { text: `Archived ${photos(chosen.length)}: out of the timeline.`, link: { to: '/archive', label: 'Open the archive' }, undo }
    : { text: `Brought ${photos(chosen.length)} back to the timeline.`, undo };
}

export async function stack(ids: string[]): Promise<ToastMessage> {
  const made = await stackPhotos(ids);
  void library.refresh();
  // a stack one of them was in came along: taking it all apart would undo more than this did
  const merged = made.members.some((m) => m.reason !== 'by-user');
  return {
    text: merged
      ? `Stacked ${photos(made.members.length)}, with the stacks some of them were in.`
      : `Stacked ${photos(made.members.length)}: the best shot shows for them.`,
    link: { to: `/photos/${made.coverId ?? made.members[0]!.photo.id}`, label: 'Open the stack' },
    ...(merged
      ? {}
      : {
          undo: async () => {
            await unstack(made.id);
            void library.refresh();
            return `Unstacked ${photos(made.members.length)}.`;
          },
        }),
  };
}

export async function trash(chosen: string[]): Promise<ToastMessage> {
  const { trashed } = await trashPhotos(chosen);
  void library.refresh();
  return {
    text: `Moved ${photos(trashed)} to the trash.`,
    link: { to: '/trash', label: 'Open the trash' },
    undo: async () => {
      await restoreFromTrash(chosen);
      void library.refresh();
      return `Restored ${photos(chosen.length)}.`;
    },
  };
}
