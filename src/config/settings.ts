import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** Every setting has an env name; CLI flags override the env. */
const settingsSchema = z.object({
  dataDir: z.string().min(1),
  host: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  maxUploadBytes: z.coerce.number().int().positive(),
  concurrency: z.coerce.number().int().min(1).max(64),
  databaseUrl: z.string().url().optional(),
  /** Connections to a PostgreSQL server (cluster mode). */
  databasePoolSize: z.coerce.number().int().min(1).max(100),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsOverrides = Partial<Settings>;

const MB = 1024 * 1024;

export function defaultConcurrency(): number {
  return Math.max(2, Math.min(8, os.availableParallelism()));
}

/** Settings from the environment, then overrides (CLI flags, tests); throws a readable error on bad values. */
export function loadSettings(overrides: SettingsOverrides = {}, env: NodeJS.ProcessEnv = process.env): Settings {
  const fromEnv = {
    dataDir: env.SHOEBOX_DATA ?? path.resolve('shoebox-data'),
    host: env.SHOEBOX_HOST ?? '127.0.0.1',
    port: env.SHOEBOX_PORT ?? env.PORT ?? 3210,
    maxUploadBytes: env.SHOEBOX_MAX_UPLOAD_MB ? Number(env.SHOEBOX_MAX_UPLOAD_MB) * MB : 200 * MB,
    concurrency: env.SHOEBOX_CONCURRENCY ?? defaultConcurrency(),
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolSize: env.SHOEBOX_DB_POOL ?? 10,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const parsed = settingsSchema.safeParse({ ...fromEnv, ...defined });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid settings: ${problems}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.dataDir) };
}
