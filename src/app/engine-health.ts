import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { Resources } from '../library/library.js';
import { redact } from '../net/redact.js';

/** An engine the server depends on, as /api/health reports it: up or down, since when, and why. */
export interface EngineStatus {
  name: EngineName;
  ok: boolean;
  /** When it last changed between up and down (when the monitor started, if it never did). */
  since: string;
  error: string | null;
}

export type EngineName = 'database' | 'queue' | 'storage';

/**
 * How often each engine is asked: one that fails is down at once, one that has not answered by the next round is
 * down then. /api/health never waits on an engine.
 */
export const PROBE_EVERY_MS = 2000;

/** Rejects with "no answer in N s" when `work` takes longer than `ms`; the work itself goes on. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The next status of an engine after a probe: `since` moves only when it goes up or down. */
export function nextStatus(previous: EngineStatus, ok: boolean, error: string | null, now: Date): EngineStatus {
  return { name: previous.name, ok, since: previous.ok === ok ? previous.since : now.toISOString(), error: ok ? null : error };
}

interface Probe {
  name: EngineName;
  run(): Promise<void>;
}

/**
 * Asks each engine (the database, Redis when the cluster has one, the object store or data folder) on a timer and
 * keeps the answers: readers get the last known state at once, whatever is down.
 */
declare module 'fastify' {
  interface FastifyInstance {
    /** The engines' last known health, where an API server probes them: uploads refuse while one is down. */
    engines?: EngineMonitor;
  }
}

export class EngineMonitor {
  private readonly statuses = new Map<EngineName, EngineStatus>();
  private readonly inFlight = new Set<EngineName>();
  private timer: NodeJS.Timeout | null = null;
  private readonly redis: Promise<Redis> | null;
  private readonly probes: Probe[];

  constructor(lib: Resources) {
    // a client of its own that fails at once while disconnected, instead of waiting for Redis as the queues do
    const redisUrl = lib.settings.redisUrl;
    // ioredis is loaded only by a cluster's server (app/redis-engines.ts)
    this.redis = redisUrl
      ? import('ioredis').then(({ Redis }) => {
          const client = new Redis(redisUrl, {
            lazyConnect: true,
            enableOfflineQueue: false,
            maxRetriesPerRequest: 0,
            retryStrategy: () => 500,
            connectTimeout: PROBE_EVERY_MS,
          });
          client.on('error', () => undefined); // its state is what the probe reports
          return client;
        })
      : null;
    const redis = this.redis;
    const probeKey = '.shoebox-health-probe';
    this.probes = [
      { name: 'database', run: async () => void (await lib.db.execute(sql`select 1`)) },
      ...(redis
        ? [
            {
              name: 'queue' as const,
              run: async () => {
                const client = await redis;
                if (client.status === 'wait') await client.connect();
                await client.ping();
              },
            },
          ]
        : []),
      // a read of a key that is never there: the store answers "none" when it works
      { name: 'storage', run: async () => void (await lib.storage.main.stat(probeKey)) },
    ];
    const started = new Date().toISOString();
    for (const probe of this.probes) this.statuses.set(probe.name, { name: probe.name, ok: true, since: started, error: null });
  }

  /** Probes now, then every PROBE_EVERY_MS (the timer does not keep the process alive). */
  start(): void {
    if (this.timer) return;
    this.probeAll();
    this.timer = setInterval(() => this.probeAll(), PROBE_EVERY_MS);
    this.timer.unref();
  }

  private probeAll(): void {
    for (const probe of this.probes) {
      // still waiting since the last round: a hung connection (a slow answer alone, on a busy machine, is not down)
      if (this.inFlight.has(probe.name)) {
        this.record(probe.name, false, `the ${probe.name}: no answer in ${PROBE_EVERY_MS / 1000} s`);
        continue;
      }
      this.inFlight.add(probe.name);
      probe
        .run()
        .then(
          () => this.record(probe.name, true, null),
          (error: unknown) => this.record(probe.name, false, redact(error instanceof Error ? error.message : String(error))),
        )
        .finally(() => this.inFlight.delete(probe.name));
    }
  }

  /**
   * The engines among `names` still down when asked again now (at most `waitMs`): a refusal is not made on an answer
   * up to a round old when the engine is already back.
   */
  async stillDown(names: readonly EngineName[], waitMs = 500): Promise<EngineStatus[]> {
    const down = this.down(names);
    await Promise.all(
      down.map(async (engine) => {
        const probe = this.probes.find((p) => p.name === engine.name)!;
        await withTimeout(probe.run(), waitMs, `the ${engine.name}`).then(
          () => this.record(engine.name, true, null),
          () => undefined, // still down: the round's answer stands
        );
      }),
    );
    return this.down(names);
  }

  private record(name: EngineName, ok: boolean, error: string | null): void {
    const previous = this.statuses.get(name)!;
    this.statuses.set(name, nextStatus(previous, ok, error, new Date()));
  }

  /** Every engine's last known state. */
  engines(): EngineStatus[] {
    return this.probes.map((probe) => this.statuses.get(probe.name)!);
  }

  /** The engines down now among `names` (all by default). */
  down(names?: readonly EngineName[]): EngineStatus[] {
    return this.engines().filter((engine) => !engine.ok && (!names || names.includes(engine.name)));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    void this.redis?.then((client) => client.disconnect()).catch(() => undefined);
  }
}
