// One ordering of photos (the whole library, an album, a person…): its timeline of day buckets, and the photos
// themselves fetched in chunks by offset as the screen comes near them. The layout of a 100k-photo gallery is
// known from the bucket counts alone; only the chunks around what is on screen are ever fetched.
import { ApiError } from '../api.js';
import { getTimeline, photoRange, type LibraryFilter, type Timeline, type TimelinePhoto } from '../client/library.js';
import { errorText, isAbort } from '../lib/errors.js';
import { serverOffset, shownOffset, timelineWithout } from './hiddenPhotos.js';

/** Photos per request: a few screens of tiles. */
export const CHUNK = 200;
/** The API's largest page. */
const MAX_LIMIT = 500;
/** While scrolling, wait this long for the view to settle before fetching what it shows. */
const SETTLE_MS = 60;
/** Chunks kept in memory beyond those wanted (about 40k photos): enough to come back to, bounded for 100k. */
const KEEP_CHUNKS = 200;

export interface SequenceState {
  timeline: Timeline | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  /** Bumped whenever photos arrive or change: components compare it to know they must look again. */
  version: number;
}

interface Chunk {
  items: TimelinePhoto[];
  /** Fetched before the last refresh: shown until its fresh copy arrives. */
  stale: boolean;
  usedAt: number;
}

export function filterKey(filter: LibraryFilter = {}): string {
  const entries = Object.entries(filter).filter(([, value]) => value !== undefined && value !== '');
  entries.sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}

export class PhotoSequence {
  private state: SequenceState = { timeline: null, status: 'idle', error: null, version: 0 };
  private readonly listeners = new Set<() => void>();
  private readonly chunks = new Map<number, Chunk>();
  private readonly inflight = new Map<number, { controller: AbortController; generation: number }>();
  private readonly offsets = new Map<string, number>();
  /** The chunk range last asked for by the screen, [first, last]. */
  private wanted: [number, number] = [0, 0];
  private wantTimer: ReturnType<typeof setTimeout> | null = null;
  private generation = 0;
  private loading: Promise<void> | null = null;
  private loadAgain = false;
  private clock = 0;
  private outdated = false;
  /** The timeline as the server answered it; `state.timeline` is it without the hidden photos. */
  private fetched: Timeline | null = null;
  /** Photos left out on this device (trashed offline, not sent yet), and the server offsets of those loaded, sorted. */
  private hiddenIds: ReadonlySet<string> = new Set();
  private hiddenAt: number[] = [];
  /** Changes made on this device that the server's answers do not hold yet (favourites made offline), by photo. */
  private patches: ReadonlyMap<string, Partial<TimelinePhoto>> = new Map();

  constructor(
    readonly key: string,
    readonly filter: LibraryFilter,
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): SequenceState => this.state;

  get total(): number {
    return this.state.timeline?.total ?? 0;
  }

  /** The offsets below are the server's but where a method says it takes or gives what the screen shows. */
  private get serverTotal(): number {
    return this.fetched?.total ?? 0;
  }

  private set(patch: Partial<SequenceState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  private bump(): void {
    this.set({ version: this.state.version + 1 });
  }

  /** Loads the timeline unless it is loaded (and not outdated) or loading. */
  ensureLoaded(): Promise<void> {
    if (this.state.status === 'idle' || this.state.status === 'error' || this.outdated) return this.refresh();
    return this.loading ?? Promise.resolve();
  }

  /** Whether anything shows this ordering now (a timeline on screen, the photo page stepping through it). */
  get watched(): boolean {
    return this.listeners.size > 0;
  }

  /** The library changed while nothing showed this ordering: it is loaded again when next shown. */
  markOutdated(): void {
    this.outdated = true;
  }

  /**
   * Reloads the timeline, then the chunks on screen; what was loaded stays shown (marked stale) until its
   * fresh copy arrives. Calls made meanwhile coalesce into one more reload.
   */
  refresh(): Promise<void> {
    if (this.loading) {
      this.loadAgain = true;
      return this.loading;
    }
    this.outdated = false;
    this.loading = (async () => {
      do {
        this.loadAgain = false;
        await this.reload();
      } while (this.loadAgain);
    })().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async reload(): Promise<void> {
    if (this.state.status !== 'ready') this.set({ status: 'loading' });
    const hadPhotos = this.chunks.size > 0;
    // On a first load the newest photos are wanted whatever the timeline says: ask for both at once.
    if (this.chunks.size === 0 && this.inflight.size === 0 && this.wanted[0] === 0) void this.fetchChunk(0);
    try {
      const timeline = await getTimeline('day', this.filter);
      this.fetched = timeline;
      if (hadPhotos) {
        // What was loaded may have moved (uploads, trash, processing). The photos on screen are fetched again
        // before the new timeline is shown, so that the new layout never shows the old photos in their old
        // places (a trashed photo still there, the last one gone); the rest is fetched when next wanted.
        const [first, last] = this.wanted;
        const end = Math.min(last, Math.floor((timeline.total - 1) / CHUNK));
        const fresh = await Promise.all(Array.from({ length: Math.max(0, end - first + 1) }, (_, i) => photoRange((first + i) * CHUNK, CHUNK, this.filter)));
        this.generation++;
        for (const chunk of this.chunks.values()) chunk.stale = true;
        for (const [index, request] of this.inflight) {
          request.controller.abort();
          this.inflight.delete(index);
        }
        // Chunks past the new end hold photos that are no longer there.
        for (const index of [...this.chunks.keys()]) if (index * CHUNK >= timeline.total) this.chunks.delete(index);
        fresh.forEach((page, i) => this.store(first + i, page.items, false));
      }
      this.locateHidden();
      this.set({ timeline: this.shownTimeline(), status: 'ready', error: null, version: this.state.version + 1 });
      await this.fetchWanted();
    } catch (error) {
      this.set(this.state.status === 'ready' ? { error: errorText(error) } : { status: 'error', error: errorText(error) });
    }
  }

  /** The photo shown at `offset` in this ordering, when its chunk is loaded. */
  photoAt(offset: number): TimelinePhoto | undefined {
    return this.serverPhotoAt(serverOffset(offset, this.hiddenAt));
  }

  private serverPhotoAt(offset: number): TimelinePhoto | undefined {
    const chunk = this.chunks.get(Math.floor(offset / CHUNK));
    return chunk?.items[offset % CHUNK];
  }

  /** Where a loaded photo shows in this ordering (a hidden one nowhere). */
  indexOf(id: string): number | undefined {
    const offset = this.offsets.get(id);
    if (offset === undefined || this.hiddenIds.has(id)) return undefined;
    // The map may remember a place from before a refresh: trust it only when the chunk agrees.
    return this.serverPhotoAt(offset)?.id === id ? shownOffset(offset, this.hiddenAt) : undefined;
  }

  /** Leaves these photos out of what this ordering shows (the server still has them), or shows them again. */
  hide(ids: ReadonlySet<string>): void {
    this.hiddenIds = ids;
    this.locateHidden();
    this.set({ timeline: this.shownTimeline(), version: this.state.version + 1 });
  }

  /** Finds where the hidden photos are among those loaded. */
  private locateHidden(): void {
    const at: number[] = [];
    for (const id of this.hiddenIds) {
      const offset = this.offsets.get(id);
      if (offset !== undefined && this.serverPhotoAt(offset)?.id === id) at.push(offset);
    }
    this.hiddenAt = at.sort((a, b) => a - b);
  }

  private shownTimeline(): Timeline | null {
    return this.fetched && timelineWithout(this.fetched, this.hiddenAt, (offset) => this.serverPhotoAt(offset)?.type === 'video');
  }

  /**
   * The screen shows photos `start`…`end - 1`: fetch their chunks soon (at once when nothing is loaded yet),
   * and abort fetches for chunks it has scrolled away from.
   */
  want(shownStart: number, shownEnd: number): void {
    const total = this.serverTotal;
    if (total === 0 || shownEnd <= shownStart) return;
    const start = serverOffset(shownStart, this.hiddenAt);
    const end = serverOffset(shownEnd - 1, this.hiddenAt) + 1;
    const first = Math.max(0, Math.floor(start / CHUNK));
    const last = Math.min(Math.floor((total - 1) / CHUNK), Math.floor(Math.max(start, end - 1) / CHUNK));
    this.wanted = [first, last];
    for (const [index, request] of this.inflight) {
      if (index < first - 1 || index > last + 1) {
        request.controller.abort();
        this.inflight.delete(index);
      }
    }
    const missing = this.missingChunks(first, last);
    if (missing.length === 0) return;
    if (this.wantTimer) clearTimeout(this.wantTimer);
    const immediate = missing.every((index) => !this.chunks.has(index)) && this.chunks.size === 0;
    if (immediate) {
      this.wantTimer = null;
      void this.fetchWanted();
    } else {
      this.wantTimer = setTimeout(() => {
        this.wantTimer = null;
        void this.fetchWanted();
      }, SETTLE_MS);
    }
  }

  private missingChunks(first: number, last: number): number[] {
    const missing: number[] = [];
    for (let index = first; index <= last; index++) {
      const chunk = this.chunks.get(index);
      const request = this.inflight.get(index);
      if ((!chunk || chunk.stale) && !(request && request.generation === this.generation)) missing.push(index);
    }
    return missing;
  }

  private async fetchWanted(): Promise<void> {
    const [first, last] = this.wanted;
    if (this.serverTotal === 0) return;
    await Promise.all(this.missingChunks(first, Math.min(last, Math.floor((this.serverTotal - 1) / CHUNK))).map((index) => this.fetchChunk(index)));
  }

  private async fetchChunk(index: number): Promise<void> {
    this.inflight.get(index)?.controller.abort();
    const controller = new AbortController();
    const generation = this.generation;
    this.inflight.set(index, { controller, generation });
    try {
      const page = await photoRange(index * CHUNK, CHUNK, this.filter, controller.signal);
      if (this.inflight.get(index)?.controller !== controller) return;
      this.inflight.delete(index);
      this.store(index, page.items, generation !== this.generation);
      this.bump();
    } catch (error) {
      if (this.inflight.get(index)?.controller === controller) this.inflight.delete(index);
      if (isAbort(error)) return;
      this.set({ error: error instanceof ApiError ? error.message : errorText(error) });
    }
  }

  private store(index: number, fetched: TimelinePhoto[], stale: boolean): void {
    const items = this.patches.size > 0 ? fetched.map((item) => ({ ...item, ...this.patches.get(item.id) })) : fetched;
    const old = this.chunks.get(index);
    if (old) for (const item of old.items) if (this.offsets.get(item.id) === index * CHUNK + old.items.indexOf(item)) this.offsets.delete(item.id);
    this.chunks.set(index, { items, stale, usedAt: ++this.clock });
    items.forEach((item, i) => this.offsets.set(item.id, index * CHUNK + i));
    this.evict();
    if (this.hiddenIds.size > 0) {
      // shown with the notice of what arrived (bump), or with the timeline that came with it
      this.locateHidden();
      this.state = { ...this.state, timeline: this.shownTimeline() };
    }
  }

  /** Forgets the chunks used longest ago once there are many, never those on screen. */
  private evict(): void {
    if (this.chunks.size <= KEEP_CHUNKS) return;
    const [first, last] = this.wanted;
    const old = [...this.chunks.entries()].filter(([index]) => index < first - 2 || index > last + 2).sort((a, b) => a[1].usedAt - b[1].usedAt);
    for (const [index, chunk] of old.slice(0, this.chunks.size - KEEP_CHUNKS)) {
      this.chunks.delete(index);
      for (const item of chunk.items)
        if (this.offsets.get(item.id) !== undefined && this.serverPhotoAt(this.offsets.get(item.id)!)?.id !== item.id) this.offsets.delete(item.id);
    }
  }

  /** Photos shown `start`…`end - 1`, from memory where loaded, else fetched (for selecting a range or a whole day). */
  async range(start: number, end: number, signal?: AbortSignal): Promise<TimelinePhoto[]> {
    if (end <= start) return [];
    const from = serverOffset(Math.max(0, start), this.hiddenAt);
    const to = Math.min(serverOffset(end - 1, this.hiddenAt) + 1, this.serverTotal);
    const out: TimelinePhoto[] = [];
    let offset = from;
    while (offset < to) {
      const loaded = this.serverPhotoAt(offset);
      const chunk = this.chunks.get(Math.floor(offset / CHUNK));
      if (loaded && chunk && !chunk.stale) {
        out.push(loaded);
        offset++;
        continue;
      }
      const limit = Math.min(MAX_LIMIT, to - offset);
      const page = await photoRange(offset, limit, this.filter, signal);
      if (page.items.length === 0) break;
      out.push(...page.items);
      offset += page.items.length;
    }
    return out.filter((photo) => !this.hiddenIds.has(photo.id));
  }

  /** Fetches the chunk holding the photo shown at `shown` (and waits for it): the photo page stepping beyond what is loaded. */
  async load(shown: number): Promise<TimelinePhoto | undefined> {
    const offset = serverOffset(shown, this.hiddenAt);
    if (shown < 0 || offset >= this.serverTotal) return undefined;
    const index = Math.floor(offset / CHUNK);
    const chunk = this.chunks.get(index);
    if (!chunk) {
      const page = await photoRange(index * CHUNK, CHUNK, this.filter);
      this.store(index, page.items, false);
      this.bump();
    }
    return this.photoAt(shown);
  }

  /** Lays these changes over every photo loaded now or later, until called again without them. */
  overlay(patches: ReadonlyMap<string, Partial<TimelinePhoto>>): void {
    this.patches = patches;
    if (patches.size === 0) return;
    for (const chunk of this.chunks.values()) chunk.items = chunk.items.map((item) => ({ ...item, ...patches.get(item.id) }));
    this.bump();
  }

  /** Changes loaded photos in place (a bulk favourite), before the server's copy is fetched again. */
  patch(ids: ReadonlySet<string>, change: Partial<TimelinePhoto>): void {
    for (const chunk of this.chunks.values()) {
      chunk.items = chunk.items.map((item) => (ids.has(item.id) ? { ...item, ...change } : item));
    }
    this.bump();
  }

  /** Ids of the loaded photos that are not finished processing (for cheap polling of their states). */
  unfinished(): string[] {
    const out: string[] = [];
    for (const chunk of this.chunks.values()) for (const item of chunk.items) if (item.state === 'pending' || item.state === 'processing') out.push(item.id);
    return out.filter((id) => !this.hiddenIds.has(id));
  }

  /** The loaded photos, in order, from offset 0 up to the first gap. */
  loadedPrefix(): TimelinePhoto[] {
    const out: TimelinePhoto[] = [];
    for (let index = 0; this.chunks.has(index); index++) {
      const items = this.chunks.get(index)!.items;
      out.push(...items);
      if (items.length < CHUNK) break;
    }
    return this.hiddenIds.size > 0 ? out.filter((photo) => !this.hiddenIds.has(photo.id)) : out;
  }
}
