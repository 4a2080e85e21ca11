// A clone is the whole project: no tracked file may refer to a path outside the repository (a corpus, a design
// folder or a source archive beside it would be missing on anybody else's machine).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assets, corpusDir, pdqCorpus } from '../helpers/corpus.js';
import { repoRoot } from '../helpers/server.js';

/** Relative paths written in a text (`../x/y`), and absolute paths into the machine's work folders. */
const RELATIVE = /(?<![A-Za-z0-9_./-])(?:\.\.\/)+[A-Za-z0-9_.-][A-Za-z0-9_./-]*/g;
const OUTSIDE_ABSOLUTE = /(?:^|[\s'"`(])(\/work\/[A-Za-z0-9_./-]+)/g;

/** The references in `text` (a file at `file`, relative to `root`) that point outside `root`. */
export function referencesOutside(root: string, file: string, text: string, exists: (p: string) => boolean = fs.existsSync): string[] {
  const found: string[] = [];
  const inside = (p: string) => !path.relative(root, p).startsWith('..');
  for (const match of text.matchAll(RELATIVE)) {
    // fine if read from the file's folder (imports) or from the repository's root (scripts, READMEs) it names
    // something in the repository; a path that leaves it either way, or is only inside by a folder that does not
    // exist, points beside the clone
    const readings = [path.resolve(root, path.dirname(file), match[0]), path.resolve(root, match[0])];
    const present = (p: string) => exists(p) || (/\.js$/.test(p) && (exists(p.replace(/\.js$/, '.ts')) || exists(p.replace(/\.js$/, '.tsx'))));
    if (!readings.some((p) => inside(p) && present(p))) found.push(match[0]);
  }
  for (const match of text.matchAll(OUTSIDE_ABSOLUTE)) found.push(match[1]!);
  return found;
}

/** Path-traversal inputs that tests feed Shoebox to see them refused: meant to point outside, and never opened. */
const HOSTILE_INPUTS = new Set(['../../etc/passwd', '../outside.txt', '../ann', '../eng', '../work/x', '../etc']);

const TEXT = /\.(ts|tsx|js|mjs|cjs|json|md|sh|yml|yaml|sql|css|html|txt|toml)$|(^|\/)(run|\.npmrc|\.gitignore|apt-packages)$/;

describe('the repository is self-contained', () => {
  it('has its test corpus in the repository', () => {
    expect(path.relative(repoRoot, corpusDir)).toBe(path.join('test', 'corpus'));
    expect(fs.readdirSync(path.join(assets, 'albums', 'nature')).filter((name) => name.endsWith('.jpg')).length).toBeGreaterThanOrEqual(9);
    expect(fs.existsSync(path.join(pdqCorpus, 'PDQMD5TestData.csv'))).toBe(true);
    expect(fs.readFileSync(path.join(corpusDir, 'README.md'), 'utf8')).toContain('## Sources and licences');
    // every corpus file is listed in the corpus README with its source
    const listed = fs.readFileSync(path.join(corpusDir, 'README.md'), 'utf8');
    const tracked = execFileSync('git', ['ls-files', '-z', 'test/corpus'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
    const photos = tracked.filter((file) => !file.endsWith('README.md'));
    expect(photos.length).toBeGreaterThan(80);
    expect(photos.filter((file) => !listed.includes(`| ${path.relative('test/corpus', file)} |`))).toEqual([]);
  });

  it('has the pgvector source it builds for the PostgreSQL tests, with its licence', () => {
    const script = fs.readFileSync(path.join(repoRoot, 'scripts', 'ensure-pgvector.sh'), 'utf8');
    const archive = /archive="([^"]+)"/.exec(script)![1]!.replace('$version', /version=([\d.]+)/.exec(script)![1]!);
    expect(fs.statSync(path.join(repoRoot, archive)).size).toBeGreaterThan(50_000);
    expect(fs.readFileSync(path.join(repoRoot, 'third_party', 'pgvector', 'LICENSE'), 'utf8')).toContain('Permission to use, copy, modify');
  });

  it('finds a reference out of the repository when there is one', () => {
    // a fictional repository at /r holding test/helpers/corpus.ts and test/shared/ (and nothing else)
    const has = (p: string) => ['/r/test/helpers/corpus.ts', '/r/test/shared'].includes(p);
    const check = (file: string, text: string) => referencesOutside('/r', file, text, has);
    expect(check('test/helpers/x.ts', "path.resolve(repoRoot, '../shared/corpus')")).toEqual(['../shared/corpus']);
    expect(check('test/integration/x.ts', "'../../../shared/corpus/a.jpg'")).toEqual(['../../../shared/corpus/a.jpg']);
    expect(check('README.md', 'see /work/shared/design/ARCHITECTURE.md')).toEqual(['/work/shared/design/ARCHITECTURE.md']);
    expect(check('test/integration/x.ts', "import { a } from '../helpers/corpus.js'")).toEqual([]);
    expect(check('test/integration/x.ts', "path.join(here, '../shared')")).toEqual([]);
    expect(check('src/x.ts', 'normalised (`/a/../b` → `/b`)')).toEqual([]);
    expect(check('README.md', 'built from `../third-party/pgvector.tar.gz`')).toEqual(['../third-party/pgvector.tar.gz']);
  });

  it('refers to no path outside it in any tracked file', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' })
      .split('\0')
      // (this file's own examples of what it refuses excepted)
      .filter((file) => TEXT.test(file) && !file.startsWith('test/corpus/') && file !== 'package-lock.json' && file !== 'test/unit/self-contained.test.ts');
    expect(files.length).toBeGreaterThan(200);
    const outside = files.flatMap((file) => {
      const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      const references = referencesOutside(repoRoot, file, text).filter((reference) => !(file.startsWith('test/') && HOSTILE_INPUTS.has(reference)));
      return references.map((reference) => `${file}: ${reference}`);
    });
    expect(outside).toEqual([]);
  });

  it('stays lean: generated data is never committed (no tracked file over 1 MB outside the corpus)', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
    const large = files.filter(
      (file) => !file.startsWith('test/corpus/') && fs.existsSync(path.join(repoRoot, file)) && fs.statSync(path.join(repoRoot, file)).size > 1024 * 1024,
    );
    expect(large).toEqual([]);
  });
});
