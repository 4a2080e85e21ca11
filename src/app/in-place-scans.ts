// Libraries in place at work: their scans as jobs (in process, or BullMQ on Redis in a cluster: once per cluster,
// whichever worker takes it), the watchers that ask for a scan when a folder changes, and the periodic full scans
// and grace period of offline photos.
import path from 'node:path';
import { sql } from 'drizzle-orm';
import chokidar, { type FSWatcher } from 'chokidar';
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import { rows, type Db } from '../db/connection.js';
import { rowOwner } from '../scope/rows.js';
import type { WatchMode } from '../db/schema.js';
import {
  exclusionMatcher,
  expireOfflinePhotos,
  GlobTimeoutError,
  noteChangedFolders,
  scanInPlaceLibrary,
  MatchTime,
  WATCH_MATCH_SHARE,
} from '../library/in-place/index.js';
import { writeDueSidecars } from '../library/write-back/index.js';
import type { Resources } from '../library/library.js';
import { GroupQueue } from '../queue/group-queue.js';
import type { PeriodicTask } from '../queue/local-schedule.js';
import type { PhotoQueue } from '../queue/photo-queue.js';
import type { RedisEngines } from './redis-engines.js';

export type InPlaceScanQueue = PhotoQueue & { start(handler: (libraryId: string) => Promise<void>): void };

/** How soon a cluster's scan whose owner has another under way is looked at again. */
const OWNER_BUSY_RETRY_MS = 2000;

/**
 * Scans share the process fairly between owners: an owner's libraries are scanned one after another (a scan reads
 * the disk as fast as it goes), different owners' side by side, SHOEBOX_LIBRARY_SCANS at most per process — so one
 * user's slow scan never holds another's. In a cluster the owner is held in Redis, so that one owner's scans run
 * one at a time there too while another's go on, on the same worker or another.
 */
export function inPlaceScanQueue(settings: Settings, logger: Logger, redis: RedisEngines | null, db: Db): InPlaceScanQueue {
  const crashed = (libraryId: string, error: unknown) => logger.error({ libraryId, err: error }, 'library scan failed');
  const ownerOf = (libraryId: string) => rowOwner(db, 'libraries', libraryId);
  return redis
    ? new redis.BullPhotoQueue('library-scans', redis.url, {
        concurrency: settings.libraryScans,
        onError: crashed,
        leaseMs: settings.stepLeaseSeconds * 1000,
        exclusive: { groupOf: ownerOf, retryMs: OWNER_BUSY_RETRY_MS },
      })
    : new GroupQueue(settings.libraryScans, ownerOf, crashed);
}

/** Queues the libraries whose scan was asked for and not done (a crash, a restart), or every library. */
export async function queueInPlaceScans(context: Resources, which: 'open' | 'all'): Promise<number> {
  const found = await rows<{ id: string }>(
    context.db,
    which === 'all'
      ? sql`update libraries set full_scan_due = true returning id`
      : sql`select id from libraries where scan_state in ('queued', 'scanning') or last_scan_at is null order by created_at`,
  );
  for (const { id } of found) await context.inPlaceScans.add(id);
  return found.length;
}

interface WatchedInPlaceLibrary {
  key: string;
  watcher: FSWatcher;
  /** What matching its exclusion patterns may take, and took. */
  time: MatchTime;
}

/**
 * One watcher per library (file-system events, or polling for network shares), asking for a scan once changes
 * have settled; the set follows the libraries table (added, changed, removed in any process of the cluster).
 */
export class InPlaceWatchers {
  private readonly watched = new Map<string, WatchedInPlaceLibrary>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Folders where changes were seen, per library, until the next scan is asked for. */
  private readonly changed = new Map<string, Set<string>>();
  private refreshTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Libraries (by watchKey) whose patterns matched faster than their time came back: not watched until they change. */
  private readonly tooSlow = new Set<string>();

  constructor(private readonly context: Resources) {}

  async start(): Promise<void> {
    await this.refresh();
    const again = () => {
      this.refreshTimer = setTimeout(
        () =>
          void this.refresh()
            .catch((error) => this.context.logger.warn({ err: error }, 'library watchers not refreshed'))
            .finally(() => !this.closed && again()),
        5000,
      );
      this.refreshTimer.unref();
    };
    again();
  }

  private refreshing: Promise<void> = Promise.resolve();

  /** Starts, restarts or stops watchers to match the libraries as they are now (one refresh at a time). */
  refresh(): Promise<void> {
    const next = this.refreshing.catch(() => undefined).then(() => this.match());
    this.refreshing = next;
    return next;
  }

  private async match(): Promise<void> {
    const libraries = await rows<{ id: string; paths: string[]; exclude: string[]; watch: WatchMode }>(
      this.context.db,
      sql`select id, paths, exclude, watch from libraries`,
    );
    const wanted = new Map(
      libraries.filter((library) => library.watch !== 'off' && this.context.settings.libraryWatch !== 'off').map((library) => [library.id, library]),
    );
    for (const [id, current] of this.watched) {
      const library = wanted.get(id);
      if (!library || watchKey(library) !== current.key) {
        this.watched.delete(id);
        await current.watcher.close();
      }
    }
    for (const library of wanted.values()) {
      if (this.closed || this.watched.has(library.id) || this.tooSlow.has(watchKey(library))) continue;
      // chokidar asks about every path it walks as it sets up (three times each) and every event's: as much time as a
      // scan at once, given back as time passes (match-time.ts), so that a busy folder is watched for ever
      const time = new MatchTime(this.context.settings.libraryExcludeSeconds * 1000, WATCH_MATCH_SHARE);
      this.watched.set(library.id, { key: watchKey(library), watcher: this.watch(library, time), time });
    }
  }

  private watch(library: { id: string; paths: string[]; exclude: string[]; watch: WatchMode }, time: MatchTime): FSWatcher {
    const { settings, logger } = this.context;
    const excluded = exclusionMatcher(library.exclude, time);
    const ignored = (file: string) => {
      const root = library.paths.find((folder) => file === folder || file.startsWith(`${folder}/`));
      if (!root || file === root) return false;
      const relative = path.relative(root, file);
      if (relative.split(path.sep).some((part) => part.startsWith('.'))) return true;
      try {
        return excluded(relative.split(path.sep).join('/'), false);
      } catch (error) {
        if (!(error instanceof GlobTimeoutError)) throw error;
        this.stopSlow(library);
        return true;
      }
    };
    const settle = settings.librarySettleMs;
    const watcher = chokidar.watch(library.paths, {
      ignoreInitial: true,
      ignored,
      followSymlinks: false,
      usePolling: library.watch === 'poll' || settings.libraryWatch === 'poll',
      interval: settings.libraryPollSeconds * 1000,
      binaryInterval: settings.libraryPollSeconds * 1000,
      // a file still being copied is read once it has stopped growing
      awaitWriteFinish: settle > 0 ? { stabilityThreshold: settle, pollInterval: Math.max(50, Math.min(250, Math.round(settle / 4))) } : false,
    });
    // a file's folder is listed again; a folder added or removed, itself (with what is under it)
    for (const event of ['add', 'change', 'unlink'] as const) watcher.on(event, (file: string) => this.scanSoon(library.id, path.dirname(file)));
    for (const event of ['addDir', 'unlinkDir'] as const) watcher.on(event, (folder: string) => this.scanSoon(library.id, folder));
    watcher.on('ready', () => logger.debug({ libraryId: library.id, matchingMs: Math.round(time.spentMs) }, 'library watched'));
    watcher.on('error', (error) => logger.warn({ libraryId: library.id, err: error }, 'library watcher error: the periodic scan still finds changes'));
    return watcher;
  }

  /** A library whose patterns used their time faster than it came back: its watcher stops (scans still run: asked for, and periodic). */
  private stopSlow(library: { id: string; paths: string[]; exclude: string[]; watch: WatchMode }): void {
    const key = watchKey(library);
    if (this.tooSlow.has(key)) return;
    this.tooSlow.add(key);
    this.context.logger.warn(
      { libraryId: library.id, seconds: this.context.settings.libraryExcludeSeconds },
      'library not watched: matching its exclusion patterns took too long (simplify them); periodic scans go on',
    );
    const current = this.watched.get(library.id);
    if (current?.key === key) {
      this.watched.delete(library.id);
      void current.watcher.close().catch(() => undefined);
    }
  }

  /** A burst of events (a folder copied in) asks for one scan of the folders it touched. */
  private scanSoon(libraryId: string, folder: string): void {
    if (this.closed) return;
    const folders = this.changed.get(libraryId) ?? new Set<string>();
    folders.add(folder);
    this.changed.set(libraryId, folders);
    if (this.timers.has(libraryId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(libraryId);
      const changed = [...(this.changed.get(libraryId) ?? [])];
      this.changed.delete(libraryId);
      const matchingMs = this.watched.get(libraryId)?.time.spentMs;
      this.context.logger.debug({ libraryId, folders: changed.length, matchingMs: matchingMs && Math.round(matchingMs) }, 'library changed: scan asked');
      void noteChangedFolders(this.context.db, libraryId, changed)
        .then(() => this.context.inPlaceScans.add(libraryId))
        .catch((error) => this.context.logger.warn({ libraryId, err: error }, 'library scan not queued'));
    }, 100);
    this.timers.set(libraryId, timer);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const { watcher } of this.watched.values()) await watcher.close();
    this.watched.clear();
  }
}

function watchKey(library: { paths: string[]; exclude: string[]; watch: WatchMode }): string {
  return JSON.stringify([library.paths, library.exclude, library.watch]);
}

/**
 * Starts scanning libraries in this process: queued and interrupted scans resume, watchers start. A scan that
 * left files still being written (settling) is asked for again once they have had time to settle.
 */
export async function startInPlaceScans(context: Resources): Promise<InPlaceWatchers> {
  const { settings, logger } = context;
  const watchers = new InPlaceWatchers(context);
  (context.inPlaceScans as InPlaceScanQueue).start(async (libraryId) => {
    // a library added or changed is watched from its first scan on (elsewhere in the cluster: within seconds)
    await watchers.refresh().catch((error) => logger.warn({ err: error }, 'library watchers not refreshed'));
    const progress = await scanInPlaceLibrary(context, libraryId);
    if (progress && progress.settling > 0) {
      setTimeout(() => void context.inPlaceScans.add(libraryId).catch(() => undefined), Math.max(200, settings.librarySettleMs)).unref();
    }
    if (progress) logger.info({ libraryId, ...countsOf(progress) }, 'library scanned');
  });
  const open = await queueInPlaceScans(context, 'open');
  if (open > 0) logger.info({ libraries: open }, 'library scans resumed');
  await watchers.start();
  return watchers;
}

function countsOf(progress: { seen: number; new: number; changed: number; moved: number; gone: number; failed: number }) {
  return { seen: progress.seen, new: progress.new, changed: progress.changed, moved: progress.moved, gone: progress.gone, failed: progress.failed };
}

/** The periodic full scan (a watcher can miss changes: a share remounted, events dropped) and the offline grace period. */
export function inPlaceTasks(context: Resources): PeriodicTask[] {
  const { settings, logger } = context;
  const tasks: PeriodicTask[] = [];
  if (settings.libraryScanHours > 0) {
    tasks.push({
      name: 'library-scans',
      everyMs: Math.round(settings.libraryScanHours * 3_600_000),
      run: async () => void (await queueInPlaceScans(context, 'all')),
    });
  }
  // sidecars of write-back libraries: soon after a change (a no-op query when none is due)
  tasks.push({
    name: 'library-write-back',
    everyMs: 2000,
    run: async () => {
      const written = await writeDueSidecars(context);
      if (written > 0) logger.debug({ sidecars: written }, 'sidecars written back');
    },
  });
  if (settings.libraryOfflineDays > 0) {
    tasks.push({
      name: 'library-offline',
      everyMs: Math.min(3_600_000, Math.max(1000, Math.round((settings.libraryOfflineDays * 86_400_000) / 24))),
      run: async () => {
        const trashed = await expireOfflinePhotos(context);
        if (trashed > 0) logger.info({ photos: trashed, days: settings.libraryOfflineDays }, 'photos offline past the grace period moved to the trash');
      },
    });
  }
  return tasks;
}
