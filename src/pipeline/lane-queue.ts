// The in-process pipeline queue: one LocalQueue per lane (model/lanes.ts), each with its own slots, fed by a dispatcher
// that asks the database which lanes a photo has work in. A lane that ends a photo's work there hands the photo to
// the lanes that have work next. The slow lanes give way to the quick one: while photos wait for their thumbnail,
// no new faces, OCR, CLIP, caption or duplicate work starts (what runs, runs on), so a batch shows up first and is
// analysed after — as Immich runs thumbnails as their own queue. Videos are background work in every lane: slots of
// their own beside the photos' (LocalQueue's `later`), started only while no photo waits or runs in the lane, and a
// running one gives way between its frames while photos are there (`giveWay`); their posters waiting do not hold
// the slow lanes.
import { LANE_NAMES, type LaneName } from '../model/lanes.js';
import type { AddOptions, PhotoQueue, QueueLoad } from '../queue/photo-queue.js';
import { LocalQueue } from './queue.js';

export interface LaneHandlers {
  /** Lanes with work for the photo now, from the database; settles a photo that has nothing left to do. */
  route(photoId: string): Promise<LaneName[]>;
  /**
   * Runs the photo's steps in the lane; returns the lanes with work afterwards. `giveWay` resolves once no photo
   * waits or runs ahead of this one's work (at once but for background work).
   */
  run(photoId: string, lane: LaneName, giveWay: () => Promise<void>): Promise<LaneName[]>;
  /**
   * How the photo's lanes take it: after the others (`background`: a video, minutes of work that must not hold photos
   * up), in turns with other owners' (`share`).
   */
  placement?(photoId: string): Promise<AddOptions>;
}

const now = (): Promise<void> => Promise.resolve();

export type LaneConcurrency = Readonly<Record<LaneName, number>>;

/** Photos looked up at once by the dispatcher (a few database reads each). */
const DISPATCH_CONCURRENCY = 4;

export class LaneQueue implements PhotoQueue {
  private readonly dispatcher: LocalQueue;
  private readonly lanes: Record<LaneName, LocalQueue>;
  private handlers: LaneHandlers | null = null;
  /** Background work waiting to go on, each with the lane it runs in. */
  private giving = new Set<{ lane: LaneName; resolve: () => void }>();

  constructor(
    concurrency: LaneConcurrency,
    private readonly onError: (photoId: string, error: unknown, lane: LaneName | 'dispatch') => void = () => {},
  ) {
    for (const lane of LANE_NAMES) {
      if (!(Number.isInteger(concurrency[lane]) && concurrency[lane] >= 1)) {
        throw new RangeError(`lane ${lane} needs a concurrency of at least 1, got ${concurrency[lane]}`);
      }
    }
    this.dispatcher = new LocalQueue(DISPATCH_CONCURRENCY, (photoId, error) => this.onError(photoId, error, 'dispatch'));
    // videos waiting for their poster do not hold the photos' faces and text back
    const quickHasBacklog = () => this.lanes.quick.hasForegroundWaiting();
    this.lanes = Object.fromEntries(
      LANE_NAMES.map((lane) => [
        lane,
        new LocalQueue(
          concurrency[lane],
          (photoId, error) => this.onError(photoId, error, lane),
          lane === 'quick' ? undefined : () => !quickHasBacklog(),
          () => this.letThrough(),
        ),
      ]),
    ) as Record<LaneName, LocalQueue>;
  }

  /** Asks for the photo to be looked at: the dispatcher finds the lanes it has work in. */
  async add(photoId: string): Promise<void> {
    await this.dispatcher.add(photoId);
  }

  /** Consumes every lane: the in-process queue has one process, so `lanes` (a cluster worker's share) is all of them. */
  start(handlers: LaneHandlers, lanes: readonly LaneName[] = LANE_NAMES): void {
    if (lanes.length !== LANE_NAMES.length) throw new Error('the in-process queue runs every lane: a worker for some lanes needs REDIS_URL');
    this.handlers = handlers;
    for (const lane of LANE_NAMES) {
      this.lanes[lane].start(async (photoId) => {
        try {
          const background = (await handlers.placement?.(photoId))?.background ?? false;
          await this.send(photoId, await handlers.run(photoId, lane, background ? () => this.giveWay(lane) : now));
        } finally {
          if (lane === 'quick') this.pokeSlowLanes();
        }
      });
    }
    this.dispatcher.start(async (photoId) => this.send(photoId, await handlers.route(photoId)));
  }

  async load(): Promise<Record<string, QueueLoad>> {
    const workers = this.handlers ? 1 : 0;
    return Object.fromEntries(Object.entries(this.laneDepths()).map(([lane, depth]) => [lane, { ...depth, workers }]));
  }

  /** Distinct photos waiting or running in any lane. */
  async depth(): Promise<number> {
    const ids = new Set<string>();
    for (const queue of [this.dispatcher, ...Object.values(this.lanes)]) {
      const { waiting, running } = queue.ids();
      for (const id of waiting) ids.add(id);
      for (const id of running) ids.add(id);
    }
    return ids.size;
  }

  /** Photos waiting or running per lane (the dispatcher's as `dispatch`). */
  laneDepths(): Record<LaneName | 'dispatch', { waiting: number; running: number }> {
    const depth = (queue: LocalQueue) => ({ waiting: queue.ids().waiting.length, running: queue.ids().running.size });
    return {
      dispatch: depth(this.dispatcher),
      ...(Object.fromEntries(LANE_NAMES.map((lane) => [lane, depth(this.lanes[lane])])) as Record<LaneName, { waiting: number; running: number }>),
    };
  }

  /** Resolves once nothing waits or runs in any lane (a lane handing a photo on keeps the next one busy). */
  async idle(): Promise<void> {
    for (;;) {
      await this.dispatcher.idle();
      await Promise.all(LANE_NAMES.map((lane) => this.lanes[lane].idle()));
      if ((await this.depth()) === 0 || this.handlers === null) return;
    }
  }

  /** Stops taking work; waits for what runs. Work not done is in the database and is picked up at the next start. */
  async close(): Promise<void> {
    // background work giving way goes on to its end (or its step's signal stops it)
    for (const waiter of this.giving) waiter.resolve();
    this.giving.clear();
    await this.dispatcher.close();
    await Promise.all(LANE_NAMES.map((lane) => this.lanes[lane].close()));
  }

  private async send(photoId: string, lanes: readonly LaneName[]): Promise<void> {
    if (lanes.length === 0) return;
    const placement = (await this.handlers?.placement?.(photoId)) ?? {};
    for (const lane of lanes) await this.lanes[lane].add(photoId, placement);
  }

  /** Resolves once no photo waits or runs in the lane, nor waits for its thumbnail (quick lane). */
  private giveWay(lane: LaneName): Promise<void> {
    if (!this.photosAhead(lane)) return now();
    return new Promise((resolve) => this.giving.add({ lane, resolve }));
  }

  private photosAhead(lane: LaneName): boolean {
    return this.lanes[lane].hasForegroundWork() || this.lanes.quick.hasForegroundWork();
  }

  private letThrough(): void {
    for (const waiter of this.giving) {
      if (this.photosAhead(waiter.lane)) continue;
      this.giving.delete(waiter);
      waiter.resolve();
    }
  }

  private pokeSlowLanes(): void {
    for (const lane of LANE_NAMES) if (lane !== 'quick') this.lanes[lane].poke();
  }
}
