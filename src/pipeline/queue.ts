// The queue only says which photo to look at next; the database says what is left to do.
// LocalQueue is one in-process queue of photo ids with its own slots; LaneQueue (lane-queue.ts) puts one per
// pipeline lane behind the PhotoQueue interface that the library uses. A Redis-backed queue implements the same
// interface for clusters.

import type { AddOptions, PhotoQueue } from '../queue/photo-queue.js';

export type PhotoJobHandler = (photoId: string) => Promise<void>;

export class LocalQueue implements PhotoQueue {
  // start(handler) consumes; at most `concurrency` photos at once.
  private readonly waiting: string[] = [];
  /** Waiting behind every photo of `waiting` (AddOptions.background). */
  private readonly later: string[] = [];
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
  ) {}

  async add(photoId: string, options: AddOptions = {}): Promise<void> {
    if (this.closed) return;
    if (this.running.has(photoId)) {
      this.again.set(photoId, options);
      return;
    }
    if (this.waitingSet.has(photoId)) return;
    this.waitingSet.add(photoId);
    (options.background ? this.later : this.waiting).push(photoId);
    this.pump();
  }

  start(handler: PhotoJobHandler): void {
    this.handler = handler;
    this.pump();
  }

  async depth(): Promise<number> {
    return this.waiting.length + this.later.length + this.running.size;
  }

  /** Photos waiting (in the order they will be taken) and running now. */
  ids(): { waiting: readonly string[]; running: ReadonlySet<string> } {
    return { waiting: this.later.length === 0 ? this.waiting : [...this.waiting, ...this.later], running: this.running };
  }

  /** Whether photos wait that are not in the background (a lane giving way to this one asks). */
  hasForegroundWaiting(): boolean {
    return this.waiting.length > 0;
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
    this.later.length = 0;
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
    while (!this.closed && this.running.size < this.concurrency && this.waiting.length + this.later.length > 0 && this.mayStart()) {
      // with two slots or more, background work keeps one free: a photo arriving starts at once
      if (this.waiting.length === 0 && this.concurrency > 1 && this.runningLater.size >= this.concurrency - 1) break;
      const background = this.waiting.length === 0;
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
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
