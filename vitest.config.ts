import { defineConfig } from 'vitest/config';
import SlowestFiles from './test/setup/slowest-files.js';
import { TEST_ALLOCATOR } from './test/setup/allocator-tunables.js';

/**
 * Integration files that run a second time on a real PostgreSQL server with pgvector (the cluster mode's database),
 * started once by test/setup/postgres.ts: those whose behaviour differs by engine — the SQL of search (full text and
 * vectors), of scope and access (every row through the actor's scope), of sharing, of the claims and locks of the
 * lanes, counts and concurrency (quotas, sign-in limits, faces moved at once), date and place SQL (memories, map),
 * migrations and upkeep — and the cluster itself. Files whose SQL is the same on both engines and whose work is files,
 * media and models (videos, Live Photos, faces, libraries in place, generation) run once, embedded.
 */
const ON_POSTGRES = [
  'test/integration/search.test.ts',
  'test/integration/understand-search.test.ts',
  'test/integration/access.test.ts',
  'test/integration/accounts.test.ts',
  'test/integration/sharing.test.ts',
  'test/integration/share-link-privacy.test.ts',
  'test/integration/albums.test.ts',
  'test/integration/duplicates.test.ts',
  'test/integration/photo-people.test.ts',
  'test/integration/map.test.ts',
  'test/integration/memories.test.ts',
  'test/integration/pipeline-lanes.test.ts',
  'test/integration/upload-limits.test.ts',
  'test/integration/sign-in-limits.test.ts',
  'test/integration/migration-sharing.test.ts',
  'test/integration/upkeep.test.ts',
  'test/integration/postgres-server.test.ts',
  'test/integration/cluster-worker.test.ts',
  'test/integration/cluster-faults.test.ts',
];

// glibc's allocator in the test worker processes: keep freed memory for the next image instead of handing it back, and
// back large blocks with transparent huge pages. Page faults are dear on this virtual machine (a quarter of the suite's
// CPU was the kernel's): 8 pipeline-heavy files, back to back, 10.7 M -> 7.7 M faults, 334 -> 297 s, 550 -> 499 s of
// CPU. Read by glibc when a process starts; test/setup/allocator.ts takes it out of the environment again, so that the
// servers, CLIs, workers and tools the test files start run with the allocator a user's have (`npm start` sets its own;
// the `postgres` project's PostgreSQL, started by this process, keeps them).
process.env.GLIBC_TUNABLES ??= TEST_ALLOCATOR;

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    setupFiles: ['test/setup/allocator.ts'],
    // Files run one after another in the same two processes: each file no longer pays a process start and a fresh
    // import of the server (~2 s), and the models and WebAssembly of the first server stay compiled for the next.
    // Measured on 8 integration files: 147 → 114 s. Tests restore what they stub (vi.unstubAllGlobals, env vars).
    isolate: false,
    // Integration tests start servers and databases; two cores do not reward more parallelism.
    maxWorkers: 2,
    reporters: ['default', new SlowestFiles()],
    projects: [
      {
        extends: true,
        test: {
          name: 'embedded',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: ['test/integration/postgres-server.test.ts', 'test/integration/cluster-worker.test.ts', 'test/integration/cluster-faults.test.ts'],
        },
      },
      { extends: true, test: { name: 'postgres', include: ON_POSTGRES, globalSetup: ['test/setup/postgres.ts'] } },
    ],
  },
});
