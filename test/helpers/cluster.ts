import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { SettingsOverrides } from '../../src/config/settings.js';
import { shoeboxBin } from './cli.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { startS3Server, type S3Server } from './s3-server.js';
import { startTestServer, tempDir, type TestServer } from './server.js';
import { tracedPid, watched } from './syscall-watch.js';

/**
 * A cluster on real engines for the `postgres` project: an API server without a worker (in the test process), a
 * Redis, an S3 bucket (s3rver) and worker processes, each with its own data folder: nothing shared on disk.
 */
export interface TestCluster {
  server: TestServer;
  redis: RedisServer;
  s3: S3Server;
  databaseUrl: string;
  /**
   * Starts `shoebox worker` and resolves once it runs; rejects if it exits first. With `watch`, under the system-call
   * watch writing to that log (syscall-watch.ts): the child is then strace, and stopWorkers signals the worker in it.
   */
  startWorker(args?: string[], env?: NodeJS.ProcessEnv, options?: { watch?: string }): Promise<ChildProcess>;
  /** Stops the workers running now (SIGTERM: they finish their steps). */
  stopWorkers(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * `leaseSeconds`: one lease for every process of the cluster, as in a deployment (BullMQ checks for stalled jobs
 * once per interval cluster-wide, at the interval of the worker that checked last); short, so that a dead
 * worker's steps are taken again within a test. `creationTools` switches Create, product shots and the catalogue on
 * (a new library starts without them).
 */
export async function startTestCluster(
  options: {
    databaseUrl?: string;
    leaseSeconds?: number;
    retrySeconds?: number;
    images?: SettingsOverrides['images'];
    creationTools?: boolean;
    server?: SettingsOverrides;
  } = {},
): Promise<TestCluster> {
  const redis = await startRedisServer();
  const s3 = await startS3Server();
  const dataDir = tempDir();
  const storage = s3.env('cluster');
  const lease = String(options.leaseSeconds ?? 8);
  const retry = String(options.retrySeconds ?? 1);
  const server = await startTestServer({
    dataDir,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    redisUrl: redis.url,
    worker: false,
    stepLeaseSeconds: Number(lease),
    stepRetrySeconds: Number(retry),
    ...(options.images ? { images: options.images } : {}),
    ...(options.creationTools ? { creationTools: true } : {}),
    ...options.server,
    storage: {
      url: storage.SHOEBOX_STORAGE,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    },
  });
  const databaseUrl = server.lib.settings.databaseUrl!;
  const workers: ChildProcess[] = [];
  /** The worker inside each watched one's strace (strace, writing to a file, ignores SIGTERM: the worker gets it). */
  const traced = new Map<ChildProcess, number>();
  const folders: string[] = [];
  const signal = (worker: ChildProcess, name: NodeJS.Signals) => {
    try {
      if (traced.has(worker)) process.kill(traced.get(worker)!, name);
    } catch {
      // gone already
    }
    worker.kill(name);
  };
  const stopWorkers = async () => {
    await Promise.all(
      workers.splice(0).map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.exitCode !== null || worker.signalCode !== null) return resolve();
            worker.removeAllListeners('exit');
            worker.once('exit', () => resolve());
            signal(worker, 'SIGTERM');
          }),
      ),
    );
  };
  return {
    server,
    redis,
    s3,
    databaseUrl,
    startWorker: (args = [], env = {}, options = {}) =>
      new Promise<ChildProcess>((resolve, reject) => {
        const folder = tempDir('shoebox-worker-');
        folders.push(folder);
        const line = [shoeboxBin, 'worker', '--data', folder, ...args];
        const { command, args: commandArgs } = options.watch ? watched(options.watch, process.execPath, line) : { command: process.execPath, args: line };
        const child = spawn(command, commandArgs, {
          env: {
            ...process.env,
            ...storage,
            DATABASE_URL: databaseUrl,
            REDIS_URL: redis.url,
            LOG_LEVEL: 'warn',
            SHOEBOX_STEP_LEASE_SECONDS: lease,
            SHOEBOX_STEP_RETRY_SECONDS: retry,
            ...env,
          },
        });
        workers.push(child);
        let output = '';
        child.stderr.on('data', (chunk) => {
          output += chunk;
          if (!output.includes('Shoebox worker is running')) return;
          if (options.watch && !traced.has(child)) traced.set(child, tracedPid(child)!);
          resolve(child);
        });
        child.on('exit', (code) => reject(new Error(`worker exited (${code}): ${output}`)));
      }),
    stopWorkers,
    async dispose() {
      for (const worker of workers) signal(worker, 'SIGKILL');
      await server.dispose();
      await redis.stop();
      await s3.stop();
      for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
