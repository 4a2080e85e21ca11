import type { TestProject } from 'vitest/node';
import { startPostgresServer } from '../helpers/postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The `postgres` project's server (a superuser URL); tests make their own databases on it. */
    postgresUrl: string;
  }
}

/** One real PostgreSQL server for the whole `postgres` project; every test server gets a fresh database on it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgresServer();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
