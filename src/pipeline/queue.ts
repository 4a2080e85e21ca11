// The queue only says which photo to look at next; the database says what is left to do.
// LocalQueue is one in-process queue of photo ids with its own slots; LaneQueue (lane-queue.ts) puts one per
// pipeline lane behind the PhotoQueue interface that the library uses. A Redis-backed queue implements the same
// interface for clusters.

import type { AddOptions, PhotoQueue } from '../queue/photo-queue.js';
import { FairQueue } from './fair-queue.js';

export type PhotoJobHandler = (photoId: string) => Promise<void>;

export class LocalQueue implements PhotoQueue {
  // start(handler) consumes; at most `concurrency` photos at once, and as many in the background besides.
  private readonly waiting: string[] = [];
  /** Waiting behind every photo of `waiting` (AddOptions.background), each owner's in turn (AddOptions.share). */
  private readonly later = new FairQueue();
  private readonly waitingSet = new Set<string>();
  private readonly running = new Set<string>();
  /** Of `running`, those taken from `later`. */
  private readonly runningLater = new Set<string>();
  /** Added again while running: look at it once more when it ends (its steps may have been reset). */
  private readonly again = new Map<string, AddOptions>();
  private handler: PhotoJobHandler | null = null;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly onError: (photoId: string, error: unknown) => void = () => {},
    /** Asked before each job starts: false holds the waiting jobs until poke() (a lane giving way to another). */
    private readonly mayStart: () => boolean = () => true,
    /** Told after jobs were added, started or ended (background work waiting to go on looks again). */
    private readonly onChange: () => void = () => {},
  ) {}

  async add(photoId: string, options: AddOptions = {}): Promise<void> {
    if (this.closed) return;
    if (this.running.has(photoId)) {
      this.again.set(photoId, options);
      return;
    }
    if (this.waitingSet.has(photoId)) return;
    this.waitingSet.add(photoId);
    if (options.background) this.later.push(photoId, options.share);
    else this.waiting.push(photoId);
    this.pump();
  }

  start(handler: PhotoJobHandler): void {
    this.handler = handler;
    this.pump();
  }

  async depth(): Promise<number> {
    return this.waiting.length + this.later.length + this.running.size;
  }

  /** Photos waiting (those in the foreground first) and running now. */
  ids(): { waiting: readonly string[]; running: ReadonlySet<string> } {
    return { waiting: this.later.length === 0 ? this.waiting : [...this.waiting, ...this.later.ids()], running: this.running };
  }

  /** Whether photos wait that are not in the background (a lane giving way to this one asks). */
  hasForegroundWaiting(): boolean {
    return this.waiting.length > 0;
  }

  /** Whether photos that are not in the background wait or run (background work gives way while they do). */
  hasForegroundWork(): boolean {
    return this.waiting.length > 0 || this.running.size > this.runningLater.size;
  }

  /** Looks again whether held jobs may start. */
  poke(): void {
    this.pump();
  }

  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    this.later.clear();
    this.waitingSet.clear();
    this.again.clear();
    await this.idle();
  }

  private isIdle(): boolean {
    return this.running.size === 0 && (this.waiting.length + this.later.length === 0 || this.handler === null || this.closed);
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler) return;
    // Photos have `concurrency` slots of their own and background work (videos) as many besides: a photo arriving
    // starts at once, whatever videos run. Background work starts only while no photo waits or runs here, so that a
    // lane of one slot is not shared between a photo and the minutes of a clip's work.
    while (!this.closed && this.waiting.length + this.later.length > 0 && this.mayStart()) {
      const foreground = this.running.size - this.runningLater.size;
      const background = this.waiting.length === 0;
      if (background ? foreground > 0 || this.runningLater.size >= this.concurrency : foreground >= this.concurrency) break;
      const photoId = background ? this.later.shift()! : this.waiting.shift()!;
      this.waitingSet.delete(photoId);
      this.running.add(photoId);
      if (background) this.runningLater.add(photoId);
      handler(photoId)
        .catch((error: unknown) => this.onError(photoId, error))
        .finally(() => {
          this.running.delete(photoId);
          this.runningLater.delete(photoId);
          const again = this.again.get(photoId);
          if (again && this.again.delete(photoId)) void this.add(photoId, again);
          this.pump();
          this.notifyIdle();
        });
    }
    this.onChange();
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
