// The queue a cluster shares: BullMQ on Redis (REDIS_URL), or BullMQ's PostgreSQL backend in the library's own
// PostgreSQL server (SHOEBOX_QUEUE=postgres: one engine fewer to run; bench/README.md, "bench:queue", measures the
// two). The rest of the queue code sees only `QueueConnection`: the options and the backend BullMQ's Queue and
// Worker take, and the set of photos asked for again while they run.
import { createPostgresBackend, Queue, runMigrations, Worker, type ConnectionOptions, type Processor, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';

export type SharedQueue = { kind: 'redis'; url: string } | { kind: 'postgres'; url: string };

/* eslint-disable @typescript-eslint/no-explicit-any -- BullMQ's classes are generic in their backend; the code around them is not */
export type AnyQueue = Queue<any, any, string, any, any, string, any, any>;
export type AnyWorker = Worker<any, any, string, any, any, any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The key prefix of every Shoebox queue in Redis (the PostgreSQL backend keeps its queues in the `bullmq` schema). */
export const QUEUE_PREFIX = 'shoebox';

/** The cluster's shared queue the settings name; null for the embedded mode's in-process queue. */
export function sharedQueueOf(settings: { redisUrl?: string; queue?: 'redis' | 'postgres'; databaseUrl?: string }): SharedQueue | null {
  if (settings.queue === 'postgres' && settings.databaseUrl) return { kind: 'postgres', url: settings.databaseUrl };
  if (settings.redisUrl) return { kind: 'redis', url: settings.redisUrl };
  return null;
}

/** BullMQ's connection for a redis:// URL: workers block on Redis, so commands wait out a restart instead of failing. */
export function redisConnection(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/** Photos asked for again while a worker runs them: marked when added, taken when their run ends. */
export interface AgainMarks {
  mark(photoId: string): Promise<void>;
  /** Whether the photo was marked (and the mark is gone now). */
  take(photoId: string): Promise<boolean>;
}

/**
 * One process's way to the shared queue. On PostgreSQL each BullMQ Queue and Worker has a small pool of its own
 * (BullMQ closes it with them) and a worker a LISTEN connection besides; this object keeps one more small pool
 * for the marks and runs BullMQ's schema migrations once when it opens.
 */
export class QueueConnection {
  private constructor(
    readonly shared: SharedQueue,
    private readonly redis: Redis | null,
    private readonly pool: pg.Pool | null,
  ) {}

  static async open(shared: SharedQueue): Promise<QueueConnection> {
    if (shared.kind === 'redis') {
      const redis = new Redis(shared.url, { maxRetriesPerRequest: null });
      redis.on('error', () => undefined); // lost connections are retried by ioredis (commands wait)
      return new QueueConnection(shared, redis, null);
    }
    const pool = new pg.Pool({ connectionString: shared.url, max: 2, application_name: 'shoebox-queue' });
    pool.on('error', () => undefined); // an idle connection lost with a restarting server: the pool makes a new one
    try {
      const client = await pool.connect();
      try {
        await runMigrations(client); // BullMQ's own tables, under its advisory lock: several servers may start at once
        await client.query(
          'create table if not exists bullmq.shoebox_again (queue text not null, photo_id text not null, primary key (queue, photo_id))',
        );
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return new QueueConnection(shared, null, pool);
  }

  newQueue(name: string): AnyQueue {
    if (this.shared.kind === 'redis') return new Queue(name, { connection: redisConnection(this.shared.url), prefix: QUEUE_PREFIX });
    return new Queue(name, { connection: this.postgresConnection() }, createPostgresBackend);
  }

  newWorker(name: string, processor: Processor, options: Omit<WorkerOptions, 'connection' | 'prefix'>): AnyWorker {
    if (this.shared.kind === 'redis')
      return new Worker(name, processor, { ...options, connection: redisConnection(this.shared.url), prefix: QUEUE_PREFIX });
    return new Worker(name, processor, { ...options, connection: this.postgresConnection() }, createPostgresBackend);
  }

  /** A Queue's or Worker's own pool: idle connections close after a while, so a quiet process holds few. */
  private postgresConnection() {
    return { connectionString: this.shared.url, max: POOL_PER_QUEUE, idleTimeoutMillis: 10_000 };
  }

  againMarks(queue: string): AgainMarks {
    if (this.redis) {
      const redis = this.redis;
      const key = `${QUEUE_PREFIX}:${queue}:again`;
      return { mark: async (id) => void (await redis.sadd(key, id)), take: async (id) => (await redis.srem(key, id)) === 1 };
    }
    const pool = this.pool!;
    return {
      mark: async (id) =>
        void (await pool.query('insert into bullmq.shoebox_again (queue, photo_id) values ($1, $2) on conflict do nothing', [queue, id])),
      take: async (id) => ((await pool.query('delete from bullmq.shoebox_again where queue = $1 and photo_id = $2', [queue, id])).rowCount ?? 0) > 0,
    };
  }

  async close(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
    await this.pool?.end().catch(() => undefined);
  }
}

/**
 * Connections of each BullMQ Queue's or Worker's pool on PostgreSQL. A process has eight of each (the dispatcher,
 * six lanes, the periodic tasks), and each worker a LISTEN connection besides: at most 40 connections, far fewer
 * when quiet; size the server's max_connections for the processes of the cluster (README, "Running on several
 * machines").
 */
const POOL_PER_QUEUE = 2;
