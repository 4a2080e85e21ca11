// Changes made while the server cannot be reached that can wait (a favourite set or taken back): kept in this browser,
// shown at once, and sent in the order they were made once it answers again. One that the server refuses for good when
// sent (a photo deleted meanwhile) is dropped and said, never tried again; one that meets no server, a server busy or
// failing, or a session that ended, waits for the next time.
import { useSyncExternalStore } from 'react';
import { ApiError } from '../api.js';
import { updatePhotos } from '../client/library.js';
import { OFFLINE_CHANGES_KEY } from '../lib/offline.js';
import { errorText } from '../lib/errors.js';
import { onReachableAgain } from '../lib/reachable.js';
import { library } from './library.js';

export interface OfflineChange {
  /** This change alone among the waiting ones (another tab may send and remove others meanwhile). */
  id: string;
  kind: 'favorite';
  ids: string[];
  favorite: boolean;
}

interface State {
  waiting: readonly OfflineChange[];
  /** What the server refused when the changes were sent. */
  failed: readonly string[];
}

/** The waiting changes as this browser holds them now (another tab may have changed them). */
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

/** Keeps a change to send once the server answers again, and shows it at once. */
export function keepOfflineChange(change: Omit<OfflineChange, 'id'>): void {
  library.patchLocal(new Set(change.ids), { favorite: change.favorite });
  set({ waiting: [...read(), { ...change, id: `${Date.now()}-${Math.random().toString(36).slice(2)}` }] });
}

/** A refusal that another try would not change (the photo went, the change is not allowed), unlike a server away. */
const refusedForGood = (error: unknown) =>
  error instanceof ApiError && error.status !== 0 && error.status !== 401 && error.status !== 408 && error.status !== 429 && error.status < 500;

/**
 * Sends the waiting changes in order, one tab of this browser at a time (each would send them all); stops at the first
 * that meets no server, or a session that ended (it waits for the next time).
 */
export function sendOfflineChanges(): Promise<void> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  sending ??= (locks ? locks.request('shoebox-offline-changes', sendWaiting) : sendWaiting()).finally(() => (sending = null));
  return sending;
}

async function sendWaiting(): Promise<void> {
  let sent = 0;
  // what another tab sent meanwhile is gone from the list
  for (let change = read()[0]; change; change = read()[0]) {
    try {
      await updatePhotos(change.ids, { favorite: change.favorite });
      sent++;
    } catch (error) {
      if (!refusedForGood(error)) break;
      set({ failed: [...state.failed, `${words(change)}: not done — ${errorText(error)}`] });
    }
    const done = change.id;
    set({ waiting: read().filter((waiting) => waiting.id !== done) });
  }
  if (sent > 0) await library.refresh();
}

/** Sends what waits now and each time the server answers again (the app, signed in, calls it once). */
export function sendOfflineChangesWhenBack(): () => void {
  if (read().length > 0) void sendOfflineChanges();
  return onReachableAgain(() => void sendOfflineChanges());
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
