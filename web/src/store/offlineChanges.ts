// Changes made while offline that can wait (a favourite set or taken back, photos moved to the trash or added to an
// album): kept in this browser, shown at once, and sent in the order they were made once the connection is back. One that the server refuses when sent (a photo
// deleted meanwhile) is dropped and said, never tried again; one that meets no connection again waits for the next.
import { useSyncExternalStore } from 'react';
import { ApiError } from '../api.js';
import { addPhotosToAlbum } from '../client/albums.js';
import { trashPhotos, updatePhotos } from '../client/library.js';
import { OFFLINE_CHANGES_KEY } from '../lib/offline.js';
import { errorText } from '../lib/errors.js';
import { library } from './library.js';

export type OfflineChange =
  | { kind: 'favorite'; ids: string[]; favorite: boolean }
  /** Off the timeline at once (library.hideLocal), back if the server refuses. */
  | { kind: 'trash'; ids: string[] }
  /** An album the picker listed from what this device kept; a new album cannot wait (its id is the server's). */
  | { kind: 'album'; ids: string[]; albumId: string; albumName: string };

interface State {
  waiting: readonly OfflineChange[];
  /** What the server refused when the changes were sent. */
  failed: readonly string[];
}

const read = (): OfflineChange[] => {
  try {
    const kept: unknown = JSON.parse(localStorage.getItem(OFFLINE_CHANGES_KEY) ?? '[]');
    return Array.isArray(kept) ? (kept as OfflineChange[]) : [];
  } catch {
    return [];
  }
};

let state: State = { waiting: read(), failed: [] };
const listeners = new Set<() => void>();
let sending: Promise<void> | null = null;
/** Changes just sent: still shown over the server's answers until the orderings are loaded again with them. */
let sent: OfflineChange[] = [];
let shownKey = '';

/**
 * Shows the changes waiting (and those just sent) over whatever the server or the offline cache answers: the trashed
 * photos left out, the favourites marked, through a refresh or a reload of the page.
 */
function showLocal(): void {
  const changes = [...sent, ...state.waiting];
  const key = JSON.stringify(changes);
  if (key === shownKey) return;
  shownKey = key;
  const patches = new Map<string, { favorite: boolean }>();
  for (const change of changes) if (change.kind === 'favorite') for (const id of change.ids) patches.set(id, { favorite: change.favorite });
  library.overlayLocal(patches);
  library.hideLocal(new Set(changes.flatMap((change) => (change.kind === 'trash' ? change.ids : []))));
}

function set(next: Partial<State>): void {
  state = { ...state, ...next };
  if (state.waiting.length > 0) localStorage.setItem(OFFLINE_CHANGES_KEY, JSON.stringify(state.waiting));
  else localStorage.removeItem(OFFLINE_CHANGES_KEY);
  showLocal();
  for (const listener of listeners) listener();
}

function words(change: OfflineChange): string {
  const photos = `${change.ids.length} ${change.ids.length === 1 ? 'photo' : 'photos'}`;
  if (change.kind === 'trash') return `Move ${photos} to the trash`;
  if (change.kind === 'album') return `Add ${photos} to “${change.albumName}”`;
  return `${change.favorite ? 'Favourite' : 'Unfavourite'} ${photos}`;
}

function send(change: OfflineChange): Promise<unknown> {
  if (change.kind === 'trash') return trashPhotos(change.ids);
  if (change.kind === 'album') return addPhotosToAlbum(change.albumId, change.ids);
  return updatePhotos(change.ids, { favorite: change.favorite });
}

/** Keeps a change to send once back online, and shows it at once (showLocal). */
export function keepOfflineChange(change: OfflineChange): void {
  set({ waiting: [...state.waiting, change] });
}

/** Takes a change back before it is sent (the toast's Undo); false once it has gone. */
export function cancelOfflineChange(change: OfflineChange): boolean {
  const kept = JSON.stringify(change);
  const at = state.waiting.findIndex((waiting) => JSON.stringify(waiting) === kept);
  // the first is being sent: too late to take back
  if (at < 0 || (sending && at === 0)) return false;
  set({ waiting: state.waiting.filter((_, i) => i !== at) });
  return true;
}

/** Sends the waiting changes in order; stops at the first that meets no connection (it waits for the next time). */
export function sendOfflineChanges(): Promise<void> {
  sending ??= (async () => {
    let refused = false;
    while (state.waiting.length > 0 && navigator.onLine) {
      const [change, ...rest] = state.waiting as [OfflineChange, ...OfflineChange[]];
      try {
        await send(change);
        sent = [...sent, change];
      } catch (error) {
        if (error instanceof ApiError && error.status === 0) break;
        refused = true;
        set({ failed: [...state.failed, `${words(change)}: not done — ${errorText(error)}`] });
      }
      set({ waiting: rest });
    }
    // loaded again before they are no longer shown over it (a refusal shows the server's copy again)
    if (sent.length > 0 || refused) await library.refresh();
    sent = [];
    showLocal();
  })().finally(() => (sending = null));
  return sending;
}

/** Once the changes being sent (if any) have gone. */
export const offlineChangesSent = (): Promise<void> => sending ?? Promise.resolve();

export const dismissOfflineFailures = (): void => set({ failed: [] });

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
export const useOfflineChanges = (): State => useSyncExternalStore(subscribe, () => state);

// another tab of this browser may have kept some too: its list is this one's
window.addEventListener('storage', (event) => {
  if (event.key === OFFLINE_CHANGES_KEY) set({ waiting: read() });
});
window.addEventListener('online', () => void sendOfflineChanges());
showLocal();
if (navigator.onLine && state.waiting.length > 0) void sendOfflineChanges();
