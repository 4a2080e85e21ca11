// What a Prometheus server scrapes from a Shoebox process (prom-client): HTTP latency by route, the pipeline's
// queues and workers, step durations and failures, the database pool, and Node's own process figures. Each
// library opened has its own registry (tests run several servers in one process).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PhotoQueue, QueueLoad } from '../queue/photo-queue.js';

export interface PoolUse {
  total: number;
  idle: number;
  waiting: number;
}

export interface MetricsSources {
  queue: PhotoQueue;
  /** Steps by status that need attention (pending, running, failed), from the database: the truth, cluster-wide. */
  openSteps(): Promise<{ step: string; status: string; count: number }[]>;
  /** The PostgreSQL pool's connections; undefined for the embedded database (one in-process connection). */
  pool?(): PoolUse;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly http: Histogram<'method' | 'route' | 'status'>;
  private readonly steps: Histogram<'step' | 'outcome'>;
  private readonly failures: Counter<'step' | 'kind'>;
  private readonly visitorCopies: Counter<'kind' | 'outcome'>;
  private readonly cuts: Counter<'reason'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'shoebox_' });
    this.http = new Histogram({
      name: 'shoebox_http_request_duration_seconds',
      help: 'HTTP requests by method, route (its pattern, not the path asked for) and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.steps = new Histogram({
      name: 'shoebox_step_duration_seconds',
      help: 'Pipeline steps run by this process, by step and outcome (done, skipped, failed)',
      labelNames: ['step', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.failures = new Counter({
      name: 'shoebox_pipeline_failures_total',
      help: 'Steps that failed in this process, by step and kind (photo: the file itself; service: tried again later)',
      labelNames: ['step', 'kind'],
      registers,
    });
    this.visitorCopies = new Counter({
      name: 'shoebox_visitor_copies_total',
      help: "Share-link visitors' copies of originals and clips this process made (each once, then kept), by kind and outcome (made, refused: something could not be removed)",
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.cuts = new Counter({
      name: 'shoebox_http_connections_cut_total',
      help: 'Connections refused or closed by the server: too many from one address, none left, stalled (closed for a new one), a body that stopped coming',
      labelNames: ['reason'],
      registers,
    });
    const queueLoad = (): Promise<Record<string, QueueLoad>> => sources.queue.load?.() ?? Promise.resolve({});
    new Gauge({
      name: 'shoebox_queue_jobs',
      help: 'Photos in the pipeline queues (cluster-wide with Redis), by queue (dispatch or lane) and state',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const [queue, load] of Object.entries(await queueLoad())) {
          this.set({ queue, state: 'waiting' }, load.waiting);
          this.set({ queue, state: 'running' }, load.running);
        }
      },
    });
    new Gauge({
      name: 'shoebox_queue_workers',
      help: 'Worker processes taking jobs from each queue (cluster-wide with Redis)',
      labelNames: ['queue'],
      registers,
      async collect() {
        this.reset();
        for (const [queue, load] of Object.entries(await queueLoad())) this.set({ queue }, load.workers);
      },
    });
    new Gauge({
      name: 'shoebox_steps',
      help: 'Pipeline steps pending, running or failed in the library, by step',
      labelNames: ['step', 'status'],
      registers,
      async collect() {
        this.reset();
        for (const { step, status, count } of await sources.openSteps()) this.set({ step, status }, count);
      },
    });
    if (sources.pool) {
      const pool = sources.pool;
      new Gauge({
        name: 'shoebox_db_pool_connections',
        help: 'PostgreSQL pool connections: total open, idle, and requests waiting for one',
        labelNames: ['state'],
        registers,
        collect() {
          const use = pool();
          this.set({ state: 'total' }, use.total);
          this.set({ state: 'idle' }, use.idle);
          this.set({ state: 'waiting' }, use.waiting);
        },
      });
    }
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.http.observe({ method, route, status: String(status) }, seconds);
  }

  /** A connection refused or closed by the connection limits or the body deadlines (api/http-guards.ts). */
  connectionCut(reason: string): void {
    this.cuts.inc({ reason });
  }

  stepFinished(step: string, outcome: string, seconds: number, failure?: 'photo' | 'service'): void {
    this.steps.observe({ step, outcome }, seconds);
    if (failure) this.failures.inc({ step, kind: failure });
  }

  visitorCopyMade(kind: 'image' | 'video', outcome: 'made' | 'refused'): void {
    this.visitorCopies.inc({ kind, outcome });
  }

  /** The text a Prometheus server reads. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
