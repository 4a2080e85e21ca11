// Changes made while the server cannot be reached that can wait (a favourite set or taken back, photos moved to the
// trash or added to an album): kept in this browser, shown at once, and sent in the order they were made once it answers
// again. One that the server refuses for good when sent (a photo deleted meanwhile) is dropped and said, never tried
// again; one that meets no server, a server busy or failing, or a session that ended, waits for the next time.
import { useSyncExternalStore } from 'react';
import { ApiError } from '../api.js';
import { addPhotosToAlbum } from '../client/albums.js';
import { trashPhotos, updatePhotos } from '../client/library.js';
import { OFFLINE_CHANGES_KEY, OFFLINE_OWNER_KEY } from '../lib/offline.js';
import { errorText } from '../lib/errors.js';
import { accountApi } from '../client/account.js';
import { isReachable, onReachableAgain } from '../lib/reachable.js';
import { library } from './library.js';

/** A change as the page makes it. */
export type OfflineChangeBody =
  | { kind: 'favorite'; ids: string[]; favorite: boolean }
  /** Off the timeline at once (library.hideLocal), back if the server refuses. */
  | { kind: 'trash'; ids: string[] }
  /** An album the picker listed from what this device kept; a new album cannot wait (its id is the server's). */
  | { kind: 'album'; ids: string[]; albumId: string; albumName: string };

/** A kept change: its id names it alone among the waiting ones (another tab may send and remove others meanwhile). */
export type OfflineChange = OfflineChangeBody & { id: string };

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
  // written only when the list is what changed: another tab's change may be on its way to this one's copy
  if (next.waiting && state.waiting.length > 0) localStorage.setItem(OFFLINE_CHANGES_KEY, JSON.stringify(state.waiting));
  else if (next.waiting) localStorage.removeItem(OFFLINE_CHANGES_KEY);
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

/** Runs a change on the server; null when the server cannot be reached (the change may wait), else its answer. */
export async function whenReachable<T>(change: () => Promise<T>): Promise<{ answer: T } | null> {
  // changes still waiting go first: a later one sent past them would be undone when they are
  if (!isReachable() || read().length > 0) return null;
  try {
    return { answer: await change() };
  } catch (error) {
    if (error instanceof ApiError && error.status === 0) return null;
    throw error;
  }
}

/** Keeps a change to send once the server answers again, and shows it at once (showLocal); answers it as kept. */
export function keepOfflineChange(body: OfflineChangeBody): OfflineChange {
  const change = { ...body, id: `${Date.now()}-${Math.random().toString(36).slice(2)}` };
  set({ waiting: [...read(), change] });
  if (isReachable()) void sendOfflineChanges();
  return change;
}

/** Takes a change back before it is sent (the toast's Undo); false once it has gone or is going. */
export function cancelOfflineChange(change: OfflineChange): boolean {
  const waiting = read();
  const at = waiting.findIndex((kept) => kept.id === change.id);
  // being sent: too late to take back
  if (at < 0 || change.id === sendingId) return false;
  set({ waiting: waiting.filter((kept) => kept.id !== change.id) });
  return true;
}

/** A refusal that another try would not change (the photo went, the change is not allowed), unlike a server away. */
const refusedForGood = (error: unknown) =>
  error instanceof ApiError && error.status !== 0 && error.status !== 401 && error.status !== 408 && error.status !== 429 && error.status < 500;

/**
 * Sends the waiting changes in order, one tab of this browser at a time (each would send them all); stops at the first
 * that meets no server, a server busy or failing, or a session that ended (it waits for the next time).
 */
export function sendOfflineChanges(): Promise<void> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  sending ??= (locks ? locks.request('shoebox-offline-changes', sendWaiting) : sendWaiting()).finally(() => (sending = null));
  return sending;
}

/** The change on its way now (its Undo is too late). */
let sendingId: string | null = null;
/** A later try while the server answers but took none (busy, failing): 10 s, then longer, up to 5 minutes. */
let retry: { timer: ReturnType<typeof setTimeout> | null; ms: number } = { timer: null, ms: 10_000 };

async function sendWaiting(): Promise<void> {
  let refused = false;
  let stopped = false;
  // what another tab sent meanwhile is gone from the list
  for (let change = read()[0]; change; change = read()[0]) {
    sendingId = change.id;
    try {
      await send(change);
      sent = [...sent, change];
    } catch (error) {
      if (!refusedForGood(error)) {
        stopped = true;
        break;
      }
      refused = true;
      set({ failed: [...state.failed, `${words(change)}: not done — ${errorText(error)}`] });
    } finally {
      sendingId = null;
    }
    const done = change.id;
    set({ waiting: read().filter((kept) => kept.id !== done) });
  }
  // loaded again before they are no longer shown over it (a refusal shows the server's copy again)
  if (sent.length > 0 || refused) await library.refresh();
  sent = [];
  showLocal();
  // stopped, or a change kept while the last were being shown sent: another go
  if ((stopped || read().length > 0) && isReachable()) tryAgainLater();
  else retry.ms = 10_000;
}

function tryAgainLater(): void {
  if (retry.timer) return;
  retry = {
    ms: Math.min(retry.ms * 2, 300_000),
    timer: setTimeout(() => {
      retry.timer = null;
      void sendOfflineChanges();
    }, retry.ms),
  };
}

/** Once the changes being sent (if any) have gone. */
export const offlineChangesSent = (): Promise<void> => sending ?? Promise.resolve();

/**
 * Sends what waits, once the signed-in user is known to be the one who made it (OFFLINE_OWNER_KEY: another user signing
 * in on this browser never sends, nor sees, them: they go unseen).
 */
export async function sendAsOwner(): Promise<void> {
  const me = await accountApi.me().catch(() => null);
  if (!me) return;
  const owner = localStorage.getItem(OFFLINE_OWNER_KEY);
  if (owner !== null && owner !== me.id) {
    set({ waiting: [], failed: [] });
    sent = [];
    showLocal();
  }
  localStorage.setItem(OFFLINE_OWNER_KEY, me.id);
  if (read().length > 0) await sendOfflineChanges();
}

/** Sends what waits now and each time the server answers again (the signed-in app calls it once). */
export function sendOfflineChangesWhenBack(): () => void {
  void sendAsOwner();
  return onReachableAgain(() => void sendAsOwner());
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
showLocal();
