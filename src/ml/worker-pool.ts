// A small pool of worker threads, one job at a time per worker, so that model inference never blocks the
// event loop of the API. Workers start on demand and keep their models while there is work; a worker idle for
// `idleMs` exits, giving its models' memory back, and the next job starts a fresh one. A worker that crashes (or
// hangs past the job timeout) fails only the job it was running and is replaced by the next job that needs one.
import { parentPort, type Transferable, type Worker } from 'node:worker_threads';

interface JobMessage<Q> {
  id: number;
  payload: Q;
}

type ReplyMessage<R> = { id: number; ok: true; result: R } | { id: number; ok: false; error: { name: string; message: string; stack?: string } };

interface Job<Q, R> {
  id: number;
  payload: Q;
  resolve(result: R): void;
  reject(error: Error): void;
}

interface Slot<Q, R> {
  worker: Worker;
  job: Job<Q, R> | null;
  timer: NodeJS.Timeout | null;
  /** Set while the worker waits for work: when it fires, the worker exits. */
  idleTimer: NodeJS.Timeout | null;
  lastError: Error | null;
}

export interface WorkerPoolOptions {
  /** Used in error messages, e.g. `faces`. */
  name: string;
  /** Most workers alive at once. */
  size: number;
  spawn(): Worker;
  /** A job running longer is failed and its worker terminated; 0 = no limit. */
  jobTimeoutMs?: number;
  /** A worker with no job for this long exits (its models' memory goes with it); 0 or absent = never. */
  idleMs?: number;
}

/** The job could not finish because its worker died, timed out or the pool closed; the input may be fine. */
export class WorkerPoolError extends Error {
  override name = 'WorkerPoolError';
}

export class WorkerPool<Q, R> {
  private readonly queue: Job<Q, R>[] = [];
  private readonly slots = new Set<Slot<Q, R>>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    if (!(Number.isInteger(options.size) && options.size >= 1)) {
      throw new RangeError(`${options.name} pool size must be an integer ≥ 1, got ${options.size}`);
    }
  }

  /** Workers alive now (started and not exited). */
  get workerCount(): number {
    return this.slots.size;
  }

  run(payload: Q): Promise<R> {
    if (this.closed) return Promise.reject(new WorkerPoolError(`${this.options.name} pool is closed`));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, payload, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closedError = (): WorkerPoolError => new WorkerPoolError(`${this.options.name} pool closed`);
    for (const job of this.queue.splice(0)) job.reject(closedError());
    const exits: Promise<number>[] = [];
    for (const slot of this.slots) {
      this.stopIdle(slot);
      this.finish(slot)?.reject(closedError());
      exits.push(slot.worker.terminate());
    }
    this.slots.clear();
    await Promise.allSettled(exits);
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = [...this.slots].find((s) => s.job === null);
      if (!slot) {
        if (this.slots.size >= this.options.size) return;
        slot = this.spawn();
      }
      this.assign(slot, this.queue.shift()!);
    }
  }

  private assign(slot: Slot<Q, R>, job: Job<Q, R>): void {
    this.stopIdle(slot);
    slot.job = job;
    slot.worker.ref();
    const timeout = this.options.jobTimeoutMs ?? 0;
    if (timeout > 0) {
      slot.timer = setTimeout(() => {
        this.retire(slot);
        job.reject(new WorkerPoolError(`${this.options.name} worker took longer than ${timeout} ms; terminated`));
        void slot.worker.terminate();
        this.pump();
      }, timeout);
    }
    slot.worker.postMessage({ id: job.id, payload: job.payload } satisfies JobMessage<Q>);
  }

  /** Clears the slot's job (and its timer) and returns it; the caller settles it. */
  private finish(slot: Slot<Q, R>): Job<Q, R> | null {
    const job = slot.job;
    slot.job = null;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    return job;
  }

  /** Takes a worker out of the pool; its exit then changes nothing. */
  private retire(slot: Slot<Q, R>): void {
    this.finish(slot);
    this.stopIdle(slot);
    this.slots.delete(slot);
  }

  private stopIdle(slot: Slot<Q, R>): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
  }

  /** An idle worker exits after `idleMs` unless a job comes first. */
  private idle(slot: Slot<Q, R>): void {
    const idleMs = this.options.idleMs ?? 0;
    if (idleMs <= 0 || slot.job !== null) return;
    this.stopIdle(slot);
    slot.idleTimer = setTimeout(() => {
      if (slot.job !== null || !this.slots.has(slot)) return;
      this.retire(slot);
      void slot.worker.terminate();
    }, idleMs);
    slot.idleTimer.unref();
  }

  private spawn(): Slot<Q, R> {
    const worker = this.options.spawn();
    const slot: Slot<Q, R> = { worker, job: null, timer: null, idleTimer: null, lastError: null };
    this.slots.add(slot);
    worker.on('message', (reply: ReplyMessage<R>) => {
      const job = slot.job;
      if (!job || reply.id !== job.id) return;
      this.finish(slot);
      if (reply.ok) job.resolve(reply.result);
      else job.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, stack: reply.error.stack }));
      if (this.queue.length === 0) worker.unref(); // an idle pool must not keep the process alive
      this.pump();
      this.idle(slot);
    });
    worker.on('error', (error) => {
      slot.lastError = error;
    });
    worker.on('exit', (code) => {
      if (!this.slots.has(slot)) return;
      const job = this.finish(slot);
      this.slots.delete(slot);
      const why = slot.lastError ? slot.lastError.message : `exit code ${code}`;
      job?.reject(new WorkerPoolError(`${this.options.name} worker crashed: ${why}`));
      this.pump();
    });
    return slot;
  }
}

/**
 * The worker's half: answers each job with `handle`'s result, or with its error as a message (the worker lives
 * on). `handle` may name buffers of the result to transfer instead of copying.
 */
export function serveWorkerJobs<Q, R>(handle: (payload: Q) => Promise<{ result: R; transfer?: Transferable[] }>): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorkerJobs must run in a worker thread');
  port.on('message', (message: JobMessage<Q>) => {
    handle(message.payload).then(
      ({ result, transfer }) => port.postMessage({ id: message.id, ok: true, result } satisfies ReplyMessage<R>, transfer),
      (error: unknown) => {
        const e = error instanceof Error ? error : new Error(String(error));
        port.postMessage({ id: message.id, ok: false, error: { name: e.name, message: e.message, stack: e.stack } } satisfies ReplyMessage<R>);
      },
    );
  });
}
