// One poller per server for the jobs event stream: however many clients listen, the database is asked about once
// a second, and not at all while nobody listens.
import type { Library } from '../library.js';
import { jobsChangeMark, jobsCounts, snapshotWith, type JobsCounts, type JobsSnapshot } from './jobs.js';

export const POLL_INTERVAL_MS = 1000;
/** Counting takes ~0.3 s at 100k photos (1M step rows): at most this share of the time goes to it while work goes on. */
const COUNTING_SHARE = 0.1;
/** Recount at least this often while clients listen, even when nothing seems to change (a photo deleted for good). */
const RECOUNT_MS = 60_000;

export type JobsListener = (snapshot: JobsSnapshot) => void;

interface Subscriber {
  listener: JobsListener;
  /** The key of the snapshot it was sent last. */
  sent: string | null;
}

export class JobsFeed {
  private readonly subscribers = new Set<Subscriber>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private closed = false;
  private counts: JobsCounts | null = null;
  private mark: string | null = null;
  private countedAt = 0;
  private countingMs = 0;
  private latest: JobsSnapshot | null = null;
  /** The latest snapshot without its time: a listener is sent a snapshot only when this changed. */
  private latestKey = '';

  constructor(
    private readonly lib: Library,
    private readonly intervalMs: number = POLL_INTERVAL_MS,
  ) {}

  /**
   * Calls the listener with the current snapshot at once (as soon as there is one), then with every changed one.
   * Returns the unsubscribe; the poller stops with the last listener.
   */
  subscribe(listener: JobsListener): () => void {
    if (this.closed) return () => {};
    const subscriber: Subscriber = { listener, sent: null };
    this.subscribers.add(subscriber);
    if (this.isFresh()) {
      this.dispatch();
      // the fresh snapshot may come from GET /api/jobs, with no poller running yet
      if (!this.timer && !this.polling) this.schedule();
    } else {
      void this.poll().then(() => this.dispatch());
    }
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.stop();
    };
  }

  /** A snapshot at most one poll old (for GET /api/jobs): the feed's while it runs, else a fresh one. */
  async snapshot(): Promise<JobsSnapshot> {
    if (!this.isFresh()) await this.poll();
    if (!this.latest) throw new Error('the pipeline progress could not be read (see the server log)');
    return this.latest;
  }

  get listening(): number {
    return this.subscribers.size;
  }

  /** Stops polling and forgets the listeners (the server is closing). */
  async close(): Promise<void> {
    this.closed = true;
    this.subscribers.clear();
    this.stop();
    await this.polling;
  }

  private isFresh(): boolean {
    return this.latest !== null && Date.now() - Date.parse(this.latest.at) < this.intervalMs * 2;
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Sends the latest snapshot to every listener that has not had it. */
  private dispatch(): void {
    if (!this.latest) return;
    for (const subscriber of [...this.subscribers]) {
      if (subscriber.sent === this.latestKey) continue;
      subscriber.sent = this.latestKey;
      subscriber.listener(this.latest);
    }
  }

  /** One poll at a time; a caller arriving meanwhile shares it. Schedules the next while someone listens. */
  private poll(): Promise<void> {
    this.polling ??= this.read()
      .then(() => this.dispatch())
      .catch((error: unknown) => this.lib.logger.warn({ err: error }, 'reading the pipeline progress failed'))
      .finally(() => {
        this.polling = null;
        this.stop();
        if (!this.closed && this.subscribers.size > 0) this.schedule();
      });
    return this.polling;
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  private async read(): Promise<void> {
    const now = new Date();
    const mark = await jobsChangeMark(this.lib);
    const sinceCount = now.getTime() - this.countedAt;
    const changed = mark !== this.mark || sinceCount >= RECOUNT_MS;
    // While the pipeline runs the mark moves every second; at 100k photos counting that often would take most of
    // the database's time, so a recount waits until its own duration is a small share of the time since the last.
    if (!this.counts || (changed && sinceCount >= this.countingMs / COUNTING_SHARE)) {
      const started = performance.now();
      this.counts = await jobsCounts(this.lib);
      this.countingMs = performance.now() - started;
      this.countedAt = now.getTime();
      this.mark = mark;
    }
    const snapshot = await snapshotWith(this.lib, this.counts, now);
    this.latest = snapshot;
    this.latestKey = JSON.stringify({ ...snapshot, at: undefined });
  }
}
