// The order files start in. Two workers share the suite: a file that takes many minutes, started last, runs alone
// at the end while the other worker idles (the 1,000-photo cluster file started last cost a clean-clone run ~4 min).
// The files known to take longest start first, then vitest's own order (its cache of earlier durations, or file size on a clean clone).
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Project and file of the slowest files of a full run (README: the suite's time), slowest first — except that the
 * two cluster files do not start together: each runs servers, workers, PostgreSQL and Redis, and checks answers
 * within a second while faults are made; the second starts once the first has run a good while.
 */
export const LONGEST = [
  'postgres:test/integration/cluster-worker.test.ts',
  'embedded:test/integration/duplicates.test.ts',
  'embedded:test/e2e/layout.test.ts',
  'embedded:test/integration/egress.test.ts',
  'postgres:test/integration/duplicates.test.ts',
  'postgres:test/integration/cluster-faults.test.ts',
  'embedded:test/integration/backup.test.ts',
  'embedded:test/integration/export.test.ts',
  'embedded:test/integration/jobs-eta.test.ts',
];

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const at = LONGEST.indexOf(`${file.project.name}:${relative(file.project.config.root, file.moduleId)}`);
      return at === -1 ? LONGEST.length : at;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b)); // stable: the rest keep vitest's order
  }
}
