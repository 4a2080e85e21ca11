import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take a minute or more, longest first, as `project:path` (measured in full runs on the 2-core CI
 * machine: the per-file times the default reporter prints). Vitest's own order runs one project after the other and, on a
 * clean clone with no timings cached, larger files first: the two longest files (the cluster's 1,000-photo import
 * and its engine faults, 7 and 5 minutes) started last and ran on alone at the end. Starting the long files first
 * leaves the short ones to fill both workers until the end. The engine-fault file, whose bounds are timings, comes
 * after four others, about when the 1,000-photo import is done, rather than beside it.
 */
export const LONGEST_FIRST = [
  'postgres:test/integration/cluster-worker.test.ts',
  'embedded:test/integration/duplicates.test.ts',
  'embedded:test/e2e/gallery.test.ts',
  'embedded:test/e2e/photo.test.ts',
  'embedded:test/integration/backup.test.ts',
  'postgres:test/integration/cluster-faults.test.ts',
  'postgres:test/integration/duplicates.test.ts',
  'embedded:test/e2e/search.test.ts',
  'embedded:test/integration/generation.test.ts',
  'embedded:test/integration/crash-resume.test.ts',
  'embedded:test/integration/cli-search.test.ts',
  'embedded:test/integration/egress.test.ts',
  'embedded:test/integration/cli.test.ts',
  'embedded:test/integration/decode.test.ts',
  'embedded:test/integration/migrate.test.ts',
  'embedded:test/integration/api.test.ts',
];

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root.replace(/\/$/, '');
    const rank = (spec: TestSpecification) => {
      const index = LONGEST_FIRST.indexOf(`${spec.project.name}:${spec.moduleId.slice(root.length + 1)}`);
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    // a stable sort: the rest keep Vitest's order (failed first, then by the timings it cached, or by size)
    return sorted.map((spec, order) => ({ spec, order, rank: rank(spec) })).sort((a, b) => a.rank - b.rank || a.order - b.order).map(({ spec }) => spec);
  }
}
