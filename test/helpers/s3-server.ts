import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './postgres-server.js';

export interface S3Server {
  endpoint: string;
  bucket: string;
  /** s3rver's one account: it checks the key id, not the V4 signature (see docs/engines.md, "On object storage"). */
  accessKeyId: string;
  secretAccessKey: string;
  /** The environment that points Shoebox at this server, under `prefix` in the bucket. */
  env(prefix: string): Record<string, string>;
  /** Kills the server, as a store that goes down; `start` brings it back on the same port with the same files. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 's3-server-main.mjs');

/** s3rver from npm, in its own process on a free loopback port, storing in a temporary folder; `more` buckets besides `bucket`. */
export async function startS3Server(bucket = 'shoebox-test', more: string[] = []): Promise<S3Server> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-s3-'));
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const started = spawn(process.execPath, [MAIN, String(port), dir, [bucket, ...more].join(',')], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = started;
      let errors = '';
      started.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      started.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      started.once('exit', (code) => reject(new Error(`the S3 server exited (${code}): ${errors}`)));
    });
  const kill = () =>
    new Promise<void>((resolve) => {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return resolve();
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  await start();
  const server: S3Server = {
    endpoint,
    bucket,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    env: (prefix) => ({
      SHOEBOX_STORAGE: `s3://${bucket}/${prefix}`,
      SHOEBOX_S3_ENDPOINT: endpoint,
      SHOEBOX_S3_REGION: 'us-east-1',
      SHOEBOX_S3_FORCE_PATH_STYLE: 'true',
      SHOEBOX_S3_ACCESS_KEY_ID: server.accessKeyId,
      SHOEBOX_S3_SECRET_ACCESS_KEY: server.secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    }),
    kill,
    start,
    async stop() {
      await kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
