import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSettings } from '../../src/config/settings.js';
import { parseOnly } from '../helpers/cli-parse.js';

// deploy/compose.yaml is read by people who run it, not by the suite: this checks that what it sets is what
// Shoebox reads, that its values pass Shoebox's own settings check, and that its commands and probes exist.
const root = path.resolve(import.meta.dirname, '../..');
const compose = parse(fs.readFileSync(path.join(root, 'deploy/compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; command?: string[]; environment?: Record<string, string>; healthcheck?: { test: string[] } }>;
};
const shoeboxServices = ['shoebox', 'worker'] as const;

/** Every environment variable the source reads (`env.NAME` or `process.env.NAME`). */
function variablesRead(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts')) for (const match of fs.readFileSync(file, 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) names.add(match[1]!);
    }
  };
  walk(path.join(root, 'src'));
  return names;
}

/** The environment as compose hands it over with no .env file: `${NAME:-default}` → default. */
function withDefaults(environment: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, String(value).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')]));
}

describe('deploy/compose.yaml', () => {
  it('sets only variables Shoebox reads, with values its settings accept', () => {
    const known = variablesRead();
    for (const service of shoeboxServices) {
      const environment = compose.services[service]!.environment!;
      for (const name of Object.keys(environment)) expect(known, `${service} sets ${name}, which Shoebox does not read`).toContain(name);
      const env = withDefaults(environment);
      const settings = loadSettings({ worker: !compose.services[service]!.command!.includes('--no-worker') }, env);
      expect(settings.databaseUrl).toMatch(/^postgres:\/\/shoebox:.+@postgres:5432\/shoebox$/);
      expect(settings.redisUrl).toBe('redis://valkey:6379');
      expect(settings.storage).toMatchObject({ url: 's3://shoebox/library', endpoint: 'http://minio:9000', forcePathStyle: true });
    }
    expect(withDefaults(compose.services.worker!.environment!).SHOEBOX_METRICS_PORT).toBe('9464');
  });

  it('runs the API without a worker and the workers with the CLI commands that exist', async () => {
    expect(compose.services.shoebox!.command).toEqual(['serve', '--no-worker']);
    expect(compose.services.worker!.command).toEqual(['worker']);
    for (const service of shoeboxServices) await parseOnly(compose.services[service]!.command!); // as the CLI takes them
    const dockerfile = fs.readFileSync(path.join(root, 'deploy/Dockerfile'), 'utf8');
    expect(dockerfile).toContain('ENTRYPOINT ["node", "bin/shoebox.js"]');
    expect(fs.existsSync(path.join(root, 'bin/shoebox.js'))).toBe(true);
    expect(dockerfile).toContain("fetch('http://127.0.0.1:3210/api/health')");
    expect(compose.services.worker!.healthcheck!.test.join(' ')).toContain('http://127.0.0.1:9464/metrics');
  });

  it('starts the engines Shoebox needs: pgvector 0.8+, Redis-protocol without eviction, an S3 store with the bucket', () => {
    const pgvector = /^pgvector\/pgvector:(\d+)\.(\d+)\.\d+-pg(\d+)$/.exec(compose.services.postgres!.image!);
    expect(pgvector).not.toBeNull();
    expect(Number(pgvector![1]) * 100 + Number(pgvector![2])).toBeGreaterThanOrEqual(8);
    expect(Number(pgvector![3])).toBeGreaterThanOrEqual(15);
    expect(compose.services.valkey!.command!.join(' ')).toContain('--maxmemory-policy noeviction');
    expect(compose.services.minio!.image).toMatch(/^minio\/minio/);
    expect(JSON.stringify(compose.services['minio-bucket'])).toContain('mc mb --ignore-existing local/shoebox');
  });
});
