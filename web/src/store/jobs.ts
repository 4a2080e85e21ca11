// The pipeline's progress, shared by the jobs page and the header indicator: one EventSource on
// /api/jobs/events for the whole app. The browser reconnects a dropped stream by itself; when the stream
// cannot be had at all (closed for good, or no EventSource), the store polls GET /api/jobs instead and
// tries the stream again later, backing off.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { getJobs, JOBS_EVENTS_URL, type JobsSnapshot } from '../client/jobs.js';
import { errorText } from '../lib/errors.js';

/** How often to poll while the stream is down: quickly while photos are processed, slowly when idle. */
const POLL_BUSY_MS = 2_000;
const POLL_IDLE_MS = 10_000;
/** Waits before opening the stream again after the server closed it for good: doubles up to the maximum. */
const RECONNECT_FIRST_MS = 2_000;
const RECONNECT_MAX_MS = 60_000;
/** Keeps the stream open this long after the last user leaves, so that moving between pages does not reconnect. */
const LINGER_MS = 5_000;
/**
 * The header's live counts start this long after the page loaded (the jobs page starts them at once): the
 * stream's first count reads every step row (~0.3 s of the database at 100k photos), which must not queue ahead
 * of the first screen's own requests.
 */
const STARTUP_GRACE_MS = 1_500;

export type JobsConnection = 'connecting' | 'live' | 'polling';

export interface BatchProgress {
  /** Photos of the current run of work that have finished (completed, partial or failed). */
  done: number;
  /** done + the photos still waiting or being processed. */
  total: number;
}

export interface JobsState {
  snapshot: JobsSnapshot | null;
  connection: JobsConnection;
  /** Why the last look failed, while no fresh snapshot came since. */
  error: string | null;
  /** Progress of the run of work under way (null when idle). */
  batch: BatchProgress | null;
}

/** Photos waiting for or going through the pipeline. */
export const workingCount = (s: JobsSnapshot): number => (s.states.pending ?? 0) + (s.states.processing ?? 0);
/** Photos the pipeline is done with, whatever the outcome. */
export const finishedCount = (s: JobsSnapshot): number => (s.states.completed ?? 0) + (s.states.partial ?? 0) + (s.states.failed ?? 0);

class JobsStore {
  private state: JobsState = { snapshot: null, connection: 'connecting', error: null, batch: null };
  private readonly listeners = new Set<() => void>();
  private source: EventSource | null = null;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private lingerTimer: ReturnType<typeof setTimeout> | null = null;
  private reconnectDelay = RECONNECT_FIRST_MS;
  private polling: Promise<void> | null = null;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.lingerTimer) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = null;
    } else if (this.listeners.size === 1) {
      this.start();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.lingerTimer = setTimeout(() => {
          this.lingerTimer = null;
          this.stop();
        }, LINGER_MS);
      }
    };
  };

  readonly getSnapshot = (): JobsState => this.state;

  /** Looks now (after a retry, say) instead of waiting for the next event or poll. */
  refresh(): Promise<void> {
    return this.pollOnce();
  }

  private set(patch: Partial<JobsState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  private start(): void {
    if (typeof EventSource === 'undefined') {
      this.set({ connection: 'polling' });
      this.schedulePoll(0);
      return;
    }
    this.openStream();
  }

  private stop(): void {
    this.source?.close();
    this.source = null;
    for (const timer of [this.pollTimer, this.reconnectTimer]) if (timer) clearTimeout(timer);
    this.pollTimer = null;
    this.reconnectTimer = null;
    this.set({ connection: 'connecting' });
  }

  private openStream(): void {
    const source = new EventSource(JOBS_EVENTS_URL);
    this.source = source;
    this.set({ connection: this.state.connection === 'polling' ? 'polling' : 'connecting' });
    source.addEventListener('open', () => {
      if (this.source !== source) return;
      this.reconnectDelay = RECONNECT_FIRST_MS;
      this.stopPolling();
      this.set({ connection: 'live', error: null });
    });
    source.addEventListener('jobs', (event) => {
      if (this.source !== source) return;
      try {
        this.accept(JSON.parse((event as MessageEvent<string>).data) as JobsSnapshot);
      } catch (error) {
        this.set({ error: `unreadable progress from the server: ${errorText(error)}` });
      }
    });
    source.addEventListener('error', () => {
      if (this.source !== source) return;
      if (source.readyState === EventSource.CLOSED) {
        // The server refused the stream (an error status, or not an event stream): poll, try again later.
        source.close();
        this.source = null;
        this.reconnectTimer = setTimeout(() => {
          this.reconnectTimer = null;
          this.openStream();
        }, this.reconnectDelay);
        this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
      }
      // While the browser reconnects by itself (CONNECTING), keep the numbers fresh by polling meanwhile.
      this.set({ connection: 'polling' });
      if (!this.pollTimer && !this.polling) this.schedulePoll(0);
    });
  }

  private stopPolling(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }

  private schedulePoll(delay: number): void {
    this.stopPolling();
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      void this.pollOnce().then(() => {
        if (this.state.connection === 'live' || this.listeners.size === 0) return;
        const busy = this.state.snapshot ? workingCount(this.state.snapshot) > 0 : false;
        if (!this.pollTimer) this.schedulePoll(busy ? POLL_BUSY_MS : POLL_IDLE_MS);
      });
    }, delay);
  }

  private pollOnce(): Promise<void> {
    this.polling ??= getJobs()
      .then((snapshot) => this.accept(snapshot))
      .catch((error: unknown) => this.set({ error: errorText(error) }))
      .finally(() => {
        this.polling = null;
      });
    return this.polling;
  }

  /** Takes a snapshot unless a newer one is already shown (a poll answered after a stream event). */
  private accept(snapshot: JobsSnapshot): void {
    const current = this.state.snapshot;
    if (current && Date.parse(snapshot.at) < Date.parse(current.at)) return;
    this.set({ snapshot, error: null, batch: this.batchOf(snapshot) });
  }

  /** The server's run of work (it knows where it began; a page opened in its middle does not). */
  private batchOf(snapshot: JobsSnapshot): BatchProgress | null {
    return workingCount(snapshot) === 0 ? null : snapshot.run;
  }
}

export const jobsStore = new JobsStore();

export function useJobs(): JobsState {
  return useSyncExternalStore(jobsStore.subscribe, jobsStore.getSnapshot);
}

/** Runs `start` once the first screen has had the server to itself (at once after that); answers a cancel. */
export function afterStartup(start: () => void): () => void {
  const wait = STARTUP_GRACE_MS - performance.now();
  if (wait <= 0) {
    start();
    return () => {};
  }
  const timer = setTimeout(start, wait);
  return () => clearTimeout(timer);
}

/** False until `afterStartup` would run: what the header shows from the jobs stream waits for it. */
export function useAfterStartup(): boolean {
  const [started, setStarted] = useState(() => performance.now() >= STARTUP_GRACE_MS);
  useEffect(() => (started ? undefined : afterStartup(() => setStarted(true))), [started]);
  return started;
}
