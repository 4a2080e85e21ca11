// The library's state, kept outside React so that it survives a visit to a photo page (coming back shows the
// same photos at the same scroll position at once) and so the header, the gallery and the photo page share one
// copy: the library counts, and the orderings of photos (the whole library, an album, a person) that timelines
// show and the photo page steps through.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { PhotoSummary } from '../api.js';
import type { LibraryFilter, TimelinePhoto } from '../client/library.js';
import type { JobsSnapshot } from '../client/jobs.js';
import { afterStartup, jobsStore } from './jobs.js';
import { CHUNK, filterKey, PhotoSequence, type SequenceState } from './photoSequence.js';
import { errorText } from '../lib/errors.js';

export { CHUNK, PhotoSequence, type SequenceState };

/** Photos per step of `loadMore` (kept for pages that list the library's first photos). */
export const PAGE_SIZE = CHUNK;
/** Reload what is on screen at least this often, for changes the counts do not show (a favourite set elsewhere). */
const FULL_LOOK_MS = 60_000;
/** Orderings kept besides the whole library's (albums and people visited lately). */
const KEEP_SEQUENCES = 8;

export interface LibraryState {
  /** The whole library's photos loaded from the start without a gap (newest taken first). */
  items: PhotoSummary[];
  /** How many the gallery lists (the archive left out, a stack as its cover), and how many of those are videos. */
  total: number;
  videos: number;
  /** Chunks of PAGE_SIZE loaded from the start. */
  pages: number;
  status: 'idle' | 'loading' | 'ready' | 'error';
  loadingMore: boolean;
  error: string | null;
  /** Photos per state and the queue, from the jobs stream (null until its first snapshot). */
  stats: LibraryCounts | null;
}

export interface LibraryCounts {
  total: number;
  states: Record<string, number>;
  queueDepth: number;
}

function countsOf(snapshot: JobsSnapshot): LibraryCounts {
  const total = Object.values(snapshot.states).reduce((sum, n) => sum + n, 0);
  return { total, states: snapshot.states, queueDepth: snapshot.queue.depth };
}

const initial: LibraryState = { items: [], total: 0, videos: 0, pages: 0, status: 'idle', loadingMore: false, error: null, stats: null };

class LibraryStore {
  private state: LibraryState = initial;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopWatchingJobs: (() => void) | null = null;
  private watchingJobs = false;
  private readonly sequences = new Map<string, PhotoSequence>();
  /** The ordering the last photo was opened from: the photo page steps through it. */
  private active: PhotoSequence;
  readonly main: PhotoSequence;
  private lastSnapshot: JobsSnapshot | null = null;
  private lastStats = '';
  private lastFullLook = 0;
  /** Photos the orderings leave out until the server has them gone (trashed offline, waiting to be sent). */
  private hidden: ReadonlySet<string> = new Set();
  /** Changes the orderings lay over the server's photos until it has them (favourites made offline). */
  private patches: ReadonlyMap<string, Partial<TimelinePhoto>> = new Map();

  constructor() {
    this.main = new PhotoSequence(filterKey({}), {});
    this.sequences.set(this.main.key, this.main);
    this.active = this.main;
    this.main.subscribe(() => this.syncMain());
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.startWatching();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopWatching();
    };
  };

  readonly getSnapshot = (): LibraryState => this.state;

  private set(patch: Partial<LibraryState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  /** Mirrors the whole library's ordering into the state the header and older pages read. */
  private syncMain(): void {
    const s = this.main.getSnapshot();
    const items = this.main.loadedPrefix();
    const same = items.length === this.state.items.length && items.every((item, i) => item === this.state.items[i]);
    this.set({
      items: same ? this.state.items : items,
      total: s.timeline?.total ?? this.state.total,
      videos: s.timeline?.videos ?? this.state.videos,
      pages: Math.ceil(items.length / PAGE_SIZE),
      status: s.status,
      error: s.error,
    });
  }

  /** The ordering for a filter (the same object every time, so that what was loaded is reused). */
  sequence(filter: LibraryFilter = {}): PhotoSequence {
    const key = filterKey(filter);
    let sequence = this.sequences.get(key);
    if (!sequence) {
      sequence = new PhotoSequence(key, filter);
      if (this.hidden.size > 0) sequence.hide(this.hidden);
      sequence.overlay(this.patches);
      this.sequences.set(key, sequence);
      // Forget the orderings visited longest ago (a Map iterates in insertion order).
      for (const [other, value] of this.sequences) {
        if (this.sequences.size <= KEEP_SEQUENCES + 1) break;
        if (value !== this.main && value !== this.active && value !== sequence) this.sequences.delete(other);
      }
    } else {
      // Visited again: move to the end, the most recent.
      this.sequences.delete(key);
      this.sequences.set(key, sequence);
    }
    return sequence;
  }

  /** The photo page steps through this ordering (set when a photo is opened from a timeline). */
  setActive(sequence: PhotoSequence): void {
    this.active = sequence;
  }

  activeSequence(): PhotoSequence {
    return this.active;
  }

  /** Loads the timeline and the first photos unless already loaded (or loading). */
  ensureLoaded(): void {
    void this.main.ensureLoaded().then(() => {
      if (this.main.total > 0 && !this.main.photoAt(0)) this.main.want(0, 1);
    });
  }

  /** Fetches the next chunk after the loaded start of the library. */
  async loadMore(): Promise<void> {
    const s = this.state;
    if (s.loadingMore || s.status !== 'ready' || s.items.length >= s.total) return;
    this.set({ loadingMore: true });
    try {
      await this.main.load(s.items.length);
    } catch (error) {
      this.set({ error: errorText(error) });
    }
    this.set({ loadingMore: false });
  }

  /** Reloads the orderings on screen (and asks for fresh counts); the others are reloaded when next shown. */
  async refresh(): Promise<void> {
    if (this.watchingJobs) void jobsStore.refresh();
    const loaded = [...this.sequences.values()].filter((s) => s.getSnapshot().status !== 'idle');
    for (const sequence of loaded) if (!sequence.watched) sequence.markOutdated();
    await Promise.all(loaded.filter((s) => s.watched).map((s) => s.refresh()));
    this.lastFullLook = Date.now();
    this.scheduleFullLook();
  }

  /**
   * The counts come with the jobs stream (the server asks the database once a second for everyone, cheaply):
   * when photos arrive, finish or leave, what is on screen is loaded again.
   */
  private readonly onJobs = (): void => {
    const { snapshot } = jobsStore.getSnapshot();
    if (!snapshot || snapshot === this.lastSnapshot) return;
    this.lastSnapshot = snapshot;
    const stats = countsOf(snapshot);
    // Thumbnails made count as a change too: a photo shows from then on, long before its state moves again.
    const fingerprint = JSON.stringify([stats.total, stats.states, snapshot.steps.preprocessing?.done ?? 0]);
    const unfinished = (stats.states.pending ?? 0) + (stats.states.processing ?? 0);
    // The first counts arrive a moment after the first screen was loaded: photos may have come or moved on since.
    const changed = this.lastStats === '' ? stats.total !== this.state.total || unfinished > 0 : fingerprint !== this.lastStats;
    this.lastStats = fingerprint;
    this.set({ stats });
    if (changed) void this.refresh();
  };

  /** Forgets a photo at once (after trashing it), then checks with the server. */
  removeLocal(id: string): void {
    const items = this.state.items.filter((item) => item.id !== id);
    if (items.length !== this.state.items.length) this.set({ items, total: Math.max(0, this.state.total - 1) });
    void this.refresh();
  }

  /**
   * Takes photos off every ordering at once, and keeps them off whatever the server's (or the offline cache's) answers
   * still say, until called again without them: the photos trashed offline, shown again if the server refuses.
   */
  hideLocal(ids: ReadonlySet<string>): void {
    const same = ids.size === this.hidden.size && [...ids].every((id) => this.hidden.has(id));
    if (same) return;
    this.hidden = ids;
    for (const sequence of this.sequences.values()) sequence.hide(ids);
  }

  /** Lays changes over every ordering's photos, loaded now or later (a reload, the offline cache's copies), until called again without them. */
  overlayLocal(patches: ReadonlyMap<string, Partial<TimelinePhoto>>): void {
    this.patches = patches;
    for (const sequence of this.sequences.values()) sequence.overlay(patches);
  }

  /** Applies a change to loaded photos in every ordering (a bulk favourite), before the server's copy returns. */
  patchLocal(ids: ReadonlySet<string>, change: Partial<TimelinePhoto>): void {
    for (const sequence of this.sequences.values()) sequence.patch(ids, change);
  }

  private scheduleFullLook(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.listeners.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (document.visibilityState === 'hidden') return this.scheduleFullLook();
      void this.refresh();
    }, FULL_LOOK_MS);
  }

  private readonly onVisible = () => {
    const stale = Date.now() - this.lastFullLook > FULL_LOOK_MS;
    if (document.visibilityState === 'visible' && this.state.status !== 'idle' && stale) void this.refresh();
  };

  private startWatching(): void {
    document.addEventListener('visibilitychange', this.onVisible);
    this.lastFullLook = Date.now();
    this.scheduleFullLook();
    // The stream's first count (every step row: ~0.3 s of the database at 100k photos) waits until the first
    // screen has had its own requests answered.
    let unsubscribe: (() => void) | null = null;
    const cancel = afterStartup(() => {
      unsubscribe = jobsStore.subscribe(this.onJobs);
      this.watchingJobs = true;
      this.onJobs();
    });
    this.stopWatchingJobs = () => {
      cancel();
      unsubscribe?.();
      this.watchingJobs = false;
    };
  }

  private stopWatching(): void {
    document.removeEventListener('visibilitychange', this.onVisible);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopWatchingJobs?.();
    this.stopWatchingJobs = null;
  }
}

export const library = new LibraryStore();

export function useLibrary(): LibraryState {
  return useSyncExternalStore(library.subscribe, library.getSnapshot);
}

/** The state of one ordering (timeline, status, version), re-rendering when it changes. */
export function useSequence(sequence: PhotoSequence): SequenceState {
  return useSyncExternalStore(sequence.subscribe, sequence.getSnapshot);
}

export interface Neighbours {
  newer: TimelinePhoto | null;
  older: TimelinePhoto | null;
  /** The photo's place in the ordering (0 = newest), when known. */
  position: number | null;
  total: number;
}

/**
 * The photos either side of one in the ordering it was opened from (the gallery, an album, a person), at any
 * position: the chunks either side are fetched when they are not loaded yet. A photo opened from a link (not
 * from a timeline) is looked for in the whole library's loaded photos; `takenAt` lets it be found in its day.
 */
export function useNeighbours(id: string, takenAt?: string | null): Neighbours {
  const sequence = library.activeSequence().indexOf(id) !== undefined ? library.activeSequence() : library.main;
  const state = useSequence(sequence);
  useLibrary(); // keeps the library polling (and so the ordering fresh) while a photo page is open
  const [, setTried] = useState(0);
  const position = sequence.indexOf(id) ?? null;

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      await sequence.ensureLoaded();
      let at = sequence.indexOf(id);
      if (at === undefined && takenAt !== undefined) {
        // Not loaded yet: fetch the day the photo was taken on (or the undated photos) and look there.
        const day = takenAt ? takenAt.slice(0, 10) : 'undated';
        const bucket = sequence.getSnapshot().timeline?.buckets.find((b) => b.key === day);
        if (bucket) {
          for (let offset = bucket.offset; offset < bucket.offset + bucket.count && !cancelled; offset += CHUNK) {
            await sequence.load(offset).catch(() => undefined);
            at = sequence.indexOf(id);
            if (at !== undefined) break;
          }
        }
      }
      if (at === undefined || cancelled) return;
      await Promise.all([sequence.load(at - 1), sequence.load(at + 1)]).catch(() => undefined);
      if (!cancelled) setTried((n) => n + 1);
    })();
    return () => {
      cancelled = true;
    };
  }, [sequence, id, takenAt, state.timeline]);

  if (position === null) return { newer: null, older: null, position: null, total: sequence.total };
  return {
    newer: sequence.photoAt(position - 1) ?? null,
    older: sequence.photoAt(position + 1) ?? null,
    position,
    total: sequence.total,
  };
}
