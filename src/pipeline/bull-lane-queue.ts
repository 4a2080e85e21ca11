// The pipeline's lanes on Redis: one BullMQ queue for the dispatcher and one per lane (model/lanes.ts), shared by every
// server and worker of a cluster. Servers add photos; only workers consume, each the lanes it was given (a GPU
// machine can take faces and CLIP only). Unlike the in-process LaneQueue, slow lanes do not wait for the quick
// lane's backlog: in a cluster each lane has its own machines' slots.
import { BullPhotoQueue, untilDrained } from '../queue/bullmq.js';
import type { PhotoQueue, QueueLoad } from '../queue/photo-queue.js';
import type { LaneConcurrency, LaneHandlers } from './lane-queue.js';
import { LANE_NAMES, type LaneName } from '../model/lanes.js';
import { isWorthRetrying } from './retry.js';
import { MISSED_BEATS } from './heartbeat.js';

/** Photos looked up at once by a worker's dispatcher (a few database reads each). */
const DISPATCH_CONCURRENCY = 4;

export class BullLaneQueue implements PhotoQueue {
  private readonly dispatcher: BullPhotoQueue;
  private readonly lanes: Record<LaneName, BullPhotoQueue>;

  constructor(
    redisUrl: string,
    concurrency: LaneConcurrency,
    onError: (photoId: string, error: unknown, lane: LaneName | 'dispatch') => void = () => {},
    heartbeatMs?: number,
  ) {
    // A worker's job locks last as long as its heartbeat counts it alive (pipeline/heartbeat.ts), renewed every half of
    // that by BullMQ, and are checked every beat: a dead worker's jobs come back as soon as its steps do.
    const leaseMs = heartbeatMs ? heartbeatMs * MISSED_BEATS : undefined;
    const stalledCheckMs = heartbeatMs;
    this.dispatcher = new BullPhotoQueue('dispatch', redisUrl, {
      concurrency: DISPATCH_CONCURRENCY,
      leaseMs,
      stalledCheckMs,
      retryable: isWorthRetrying,
      onError: (id, e) => onError(id, e, 'dispatch'),
    });
    this.lanes = Object.fromEntries(
      LANE_NAMES.map((lane) => [
        lane,
        new BullPhotoQueue(`lane-${lane}`, redisUrl, {
          concurrency: concurrency[lane],
          leaseMs,
          stalledCheckMs,
          retryable: isWorthRetrying,
          onError: (id, e) => onError(id, e, lane),
        }),
      ]),
    ) as Record<LaneName, BullPhotoQueue>;
  }

  async add(photoId: string): Promise<void> {
    await this.dispatcher.add(photoId);
  }

  /** Consumes the dispatcher and the given lanes (all by default) in this process. */
  start(handlers: LaneHandlers, lanes: readonly LaneName[] = LANE_NAMES): void {
    const send = async (photoId: string, next: readonly LaneName[]) => {
      if (next.length === 0) return;
      const placement = (await handlers.placement?.(photoId)) ?? {};
      for (const lane of next) await this.lanes[lane].add(photoId, placement);
    };
    // BullMQ takes a job by its priority; a video's work that has begun goes on (a worker has no view of the others')
    const now = async () => {};
    for (const lane of lanes) this.lanes[lane].start(async (photoId) => send(photoId, await handlers.run(photoId, lane, now)));
    this.dispatcher.start(async (photoId) => send(photoId, await handlers.route(photoId)));
  }

  async load(): Promise<Record<string, QueueLoad>> {
    const queues = Object.entries({ dispatch: this.dispatcher, ...this.lanes });
    const loads = await Promise.all(queues.map(([, queue]) => queue.queueLoad()));
    return Object.fromEntries(queues.map(([name], i) => [name, loads[i]!]));
  }

  /** Photos waiting or running in the dispatcher and the lanes, cluster-wide (a photo in two lanes counts twice). */
  async depth(): Promise<number> {
    const depths = await Promise.all([this.dispatcher, ...Object.values(this.lanes)].map((queue) => queue.depth()));
    return depths.reduce((sum, n) => sum + n, 0);
  }

  idle(): Promise<void> {
    return untilDrained(() => this.depth());
  }

  async close(): Promise<void> {
    await Promise.all([this.dispatcher, ...Object.values(this.lanes)].map((queue) => queue.close()));
  }
}
