/**
 * What the library asks of the pipeline's queue: look at this photo. The queue only says which photo to look at
 * next; the database says what is left to do. A photo added is taken by `routePhoto` (which lanes have work) and
 * `runLane` (its steps there) in src/pipeline/runner.ts; the queue between is `LaneQueue` in process
 * (pipeline/lane-queue.ts) or `BullLaneQueue` on Redis, wired in app/open.ts.
 */
export interface PhotoQueue {
  /**
   * Asks for the photo to be looked at. Adding a photo that is already waiting does nothing. `background`: taken
   * after every other waiting photo (a video's minutes of work never hold a photo import up).
   */
  add(photoId: string, options?: AddOptions): Promise<void>;
  /** Photos waiting or running. */
  depth(): Promise<number>;
  /** Per lane (the pipeline's queues): photos waiting and running, and the workers taking them (for /metrics). */
  load?(): Promise<Record<string, QueueLoad>>;
  /** Resolves once nothing is waiting or running. */
  idle(): Promise<void>;
  /** Stops taking new work and waits for running jobs to finish. */
  close(): Promise<void>;
}

export interface AddOptions {
  background?: boolean;
  /**
   * Whose it is (the owner's id): background photos of several shares are taken in turns, the share served longest ago
   * first, so that one owner's backlog of clips does not hold a lane against another's.
   */
  share?: string;
}

export interface QueueLoad {
  waiting: number;
  running: number;
  /** Processes consuming the queue (cluster-wide with Redis; 1 or 0 in process). */
  workers: number;
}
