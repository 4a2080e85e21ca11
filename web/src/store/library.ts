// The gallery's state, kept outside React so that it survives a visit to a photo page (coming back shows the
// same photos at the same scroll position at once) and so the header and the gallery share one copy.
import { useSyncExternalStore } from 'react';
import { api, ApiError, isTerminal, type LibraryStats, type PhotoSummary } from '../api.js';

export const PAGE_SIZE = 50;
/** How often to look again while photos are being processed. */
const BUSY_POLL_MS = 2000;
/** How often to look for changes made elsewhere (an import from the CLI, another browser) when idle. */
const IDLE_POLL_MS = 5_000;
/** The API's largest page. */
const MAX_LIMIT = 500;

export interface LibraryState {
  items: PhotoSummary[];
  total: number;
  /** Pages of PAGE_SIZE loaded so far. */
  pages: number;
  status: 'idle' | 'loading' | 'ready' | 'error';
  loadingMore: boolean;
  error: string | null;
  stats: LibraryStats | null;
}

const initial: LibraryState = { items: [], total: 0, pages: 0, status: 'idle', loadingMore: false, error: null, stats: null };

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Whether the pipeline still has work: shown photos not finished, or anything pending in the library. */
export function isBusy(state: LibraryState): boolean {
  if (state.items.some((item) => !isTerminal(item.state))) return true;
  const s = state.stats;
  return !!s && ((s.states.pending ?? 0) > 0 || (s.states.processing ?? 0) > 0 || s.queueDepth > 0);
}

class LibraryStore {
  private state: LibraryState = initial;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  private lastFullLook = 0;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.startPolling();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopPolling();
    };
  };

  readonly getSnapshot = (): LibraryState => this.state;

  private set(patch: Partial<LibraryState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  /** Loads the first page unless already loaded (or loading). */
  ensureLoaded(): void {
    if (this.state.status === 'idle' || this.state.status === 'error') void this.refresh();
  }

  /** Fetches the next page and appends it. */
  async loadMore(): Promise<void> {
    const s = this.state;
    if (s.loadingMore || s.status !== 'ready' || s.items.length >= s.total) return;
    this.set({ loadingMore: true });
    try {
      const page = await api.listPhotos(s.pages + 1, PAGE_SIZE);
      // Uploads since the last page shift later pages down: skip what is already shown.
      const seen = new Set(this.state.items.map((item) => item.id));
      const fresh = page.items.filter((item) => !seen.has(item.id));
      this.set({ items: [...this.state.items, ...fresh], total: page.total, pages: s.pages + 1, loadingMore: false, error: null });
    } catch (error) {
      this.set({ loadingMore: false, error: errorText(error) });
    }
    this.schedule();
  }

  /** Reloads the pages already shown (at least the first) and the library counts. Calls made meanwhile coalesce. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        await this.reload();
      } while (this.refreshAgain);
    })().finally(() => {
      this.refreshing = null;
      this.schedule();
    });
    return this.refreshing;
  }

  private async reload(): Promise<void> {
    if (this.state.status !== 'ready') this.set({ status: 'loading' });
    const want = Math.max(1, this.state.pages) * PAGE_SIZE;
    try {
      const [stats, ...chunks] = await Promise.all([
        api.stats().catch(() => this.state.stats),
        ...Array.from({ length: Math.ceil(want / MAX_LIMIT) }, (_, i) => api.listPhotos(i + 1, Math.min(MAX_LIMIT, want))),
      ]);
      const items = chunks.flatMap((chunk) => chunk.items).slice(0, want);
      const total = chunks[chunks.length - 1]?.total ?? items.length;
      this.lastFullLook = Date.now();
      this.set({ items, total, pages: Math.max(1, Math.ceil(items.length / PAGE_SIZE)), status: 'ready', error: null, stats });
    } catch (error) {
      this.set(this.state.status === 'ready' ? { error: errorText(error) } : { status: 'error', error: errorText(error) });
    }
  }

  /** A cheap look: counts, and the states of the unfinished photos shown; reloads the list when anything moved. */
  private async poll(): Promise<void> {
    const s = this.state;
    if (s.status !== 'ready') return this.refresh();
    const unfinished = s.items.filter((item) => !isTerminal(item.state)).map((item) => item.id);
    try {
      const [stats, states] = await Promise.all([
        api.stats(),
        unfinished.length > 0 ? api.photoStates(unfinished.slice(0, 5000)).then((r) => r.states) : Promise.resolve({} as Record<string, string>),
      ]);
      const byId = new Map(s.items.map((item) => [item.id, item.state]));
      const moved = unfinished.some((id) => states[id] !== byId.get(id));
      const countsChanged = stats.total !== s.total || JSON.stringify(stats.states) !== JSON.stringify(s.stats?.states);
      if (moved || countsChanged || Date.now() - this.lastFullLook > 60_000) {
        await this.refresh();
      } else {
        this.set({ stats, error: null });
      }
    } catch (error) {
      // Keep what is shown; say that the server is not answering.
      this.set({ error: error instanceof ApiError ? error.message : errorText(error) });
    }
  }

  /** Forgets a photo at once (after deleting it), then checks with the server. */
  removeLocal(id: string): void {
    const items = this.state.items.filter((item) => item.id !== id);
    if (items.length !== this.state.items.length) this.set({ items, total: Math.max(0, this.state.total - 1) });
    void this.refresh();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.listeners.size === 0) return;
    const delay = isBusy(this.state) ? BUSY_POLL_MS : IDLE_POLL_MS;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (document.visibilityState === 'hidden' || this.refreshing) return this.schedule();
      void this.poll().finally(() => this.schedule());
    }, delay);
  }

  private readonly onVisible = () => {
    if (document.visibilityState === 'visible' && this.state.status !== 'idle') void this.poll();
  };

  private startPolling(): void {
    document.addEventListener('visibilitychange', this.onVisible);
    this.schedule();
  }

  private stopPolling(): void {
    document.removeEventListener('visibilitychange', this.onVisible);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

export const library = new LibraryStore();

export function useLibrary(): LibraryState {
  return useSyncExternalStore(library.subscribe, library.getSnapshot);
}
