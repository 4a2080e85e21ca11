// Changes made while offline that can wait (a favourite set or taken back): kept in this browser, shown at once, and
// sent in the order they were made once the connection is back. One that the server refuses when sent (a photo
// deleted meanwhile) is dropped and said, never tried again; one that meets no connection again waits for the next.
import { useSyncExternalStore } from 'react';
import { ApiError } from '../api.js';
import { updatePhotos } from '../client/library.js';
import { OFFLINE_CHANGES_KEY } from '../lib/offline.js';
import { errorText } from '../lib/errors.js';
import { library } from './library.js';

export interface OfflineChange {
  kind: 'favorite';
  ids: string[];
  favorite: boolean;
}

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

function set(next: Partial<State>): void {
  state = { ...state, ...next };
  if (state.waiting.length > 0) localStorage.setItem(OFFLINE_CHANGES_KEY, JSON.stringify(state.waiting));
  else localStorage.removeItem(OFFLINE_CHANGES_KEY);
  for (const listener of listeners) listener();
}

const words = (change: OfflineChange) =>
  `${change.favorite ? 'Favourite' : 'Unfavourite'} ${change.ids.length} ${change.ids.length === 1 ? 'photo' : 'photos'}`;

/** Keeps a change to send once back online, and shows it at once. */
export function keepOfflineChange(change: OfflineChange): void {
  library.patchLocal(new Set(change.ids), { favorite: change.favorite });
  set({ waiting: [...state.waiting, change] });
}

/** Sends the waiting changes in order; stops at the first that meets no connection (it waits for the next time). */
export function sendOfflineChanges(): Promise<void> {
  sending ??= (async () => {
    let sent = 0;
    while (state.waiting.length > 0 && navigator.onLine) {
      const [change, ...rest] = state.waiting as [OfflineChange, ...OfflineChange[]];
      try {
        await updatePhotos(change.ids, { favorite: change.favorite });
        sent++;
      } catch (error) {
        if (error instanceof ApiError && error.status === 0) break;
        set({ failed: [...state.failed, `${words(change)}: not done — ${errorText(error)}`] });
      }
      set({ waiting: rest });
    }
    if (sent > 0) await library.refresh();
  })().finally(() => (sending = null));
  return sending;
}

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
if (navigator.onLine && state.waiting.length > 0) void sendOfflineChanges();
