import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layering of docs/ARCHITECTURE.md's "Known debts and the next shape", checked on the imports as written: a module that breaks a rule
// fails here, not in a review.
const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** The files under src/ a module imports (relative imports, resolved; `import type` included). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g)) {
    const spec = match[1] ?? match[2]!;
    found.push(path.relative(src, path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'))));
  }
  return found;
}

const edges = sourceFiles(src).map((file) => ({ from: path.relative(src, file), to: importsOf(file) }));
const breaking = (rule: (from: string, to: string) => boolean) =>
  edges.flatMap(({ from, to }) => to.filter((target) => rule(from, target)).map((target) => `${from} → ${target}`));

describe('dependencies point one way', () => {
  it('reads the imports it checks', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(edges.find((e) => e.from === 'app/open.ts')?.to).toContain('pipeline/runner.ts');
  });

  it('the library never imports the pipeline runner, its queue or its steps (what follows a photo is wired in app/)', () => {
    // the step state machine (pure: names, statuses, what to retry) is shared vocabulary
    const allowed = new Set(['pipeline/state.ts', 'pipeline/lanes.ts']);
    expect(breaking((from, to) => from.startsWith('library/') && to.startsWith('pipeline/') && !allowed.has(to))).toEqual([]);
  });

  it('storage and the queue interface depend on nothing of the library, the pipeline or the API', () => {
    expect(breaking((from, to) => /^(storage|queue)\//.test(from) && /^(library|pipeline|api|app|search)\//.test(to))).toEqual([]);
  });

  it('no file path of a stored file leaves storage/: nothing else reads the data folder’s blob layout', () => {
    const offenders = sourceFiles(src)
      .filter((file) => !path.relative(src, file).startsWith('storage/'))
      .filter((file) => /['"`](originals|derived|sidecars)\//.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(src, file));
    expect(offenders).toEqual([]);
  });
});
