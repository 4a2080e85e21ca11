import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layering of docs/ARCHITECTURE.md ("Floors"), checked on the imports as written: a module that breaks a rule fails
// here, not in a review.
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

/**
 * The floors of docs/ARCHITECTURE.md, top to bottom: entry points, domain, services, and what every floor shares.
 * A folder imports folders of its own floor (without a cycle) or of floors below.
 */
const FLOORS: Readonly<Record<string, number>> = {
  cli: 3,
  api: 3,
  app: 3,
  pipeline: 2,
  library: 2,
  search: 2,
  auth: 2,
  scope: 2,
  ml: 1,
  media: 1,
  storage: 1,
  queue: 1,
  db: 1,
  net: 1,
  metrics: 1,
  migrate: 1,
  config: 0,
  model: 0,
  base: 0,
};
const folderOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '(src)');

/** The strongly connected groups of more than one node (Tarjan): each is an import cycle. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (stack.includes(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      group.push(member);
    } while (member !== node);
    if (group.length > 1) found.push(group.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}
const breaking = (rule: (from: string, to: string) => boolean) =>
  edges.flatMap(({ from, to }) => to.filter((target) => rule(from, target)).map((target) => `${from} → ${target}`));

describe('dependencies point one way', () => {
  it('reads the imports it checks', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(edges.find((e) => e.from === 'app/open.ts')?.to).toContain('pipeline/runner.ts');
  });

  it('the library never imports the pipeline (what follows a photo is wired in app/; step states live in model/)', () => {
    expect(breaking((from, to) => from.startsWith('library/') && to.startsWith('pipeline/'))).toEqual([]);
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

  it('finds a cycle when there is one (the check below can fail)', () => {
    const graph = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
  });

  it('every folder has its floor, and no folder imports one on a floor above its own', () => {
    const folders = [...new Set(edges.map((edge) => folderOf(edge.from)))];
    expect(folders.filter((folder) => FLOORS[folder] === undefined), 'a folder (or a file at src/) not on a floor').toEqual([]);
    expect(breaking((from, to) => FLOORS[folderOf(to)]! > FLOORS[folderOf(from)]!)).toEqual([]);
  });

  it('no two folders import each other, directly or around a loop', () => {
    const graph = new Map<string, string[]>();
    for (const { from, to } of edges) {
      const targets = to.map(folderOf).filter((folder) => folder !== folderOf(from));
      graph.set(folderOf(from), [...new Set([...(graph.get(folderOf(from)) ?? []), ...targets])]);
    }
    expect(cycles(graph)).toEqual([]);
  });

  it('no file imports itself around a loop (import type included)', () => {
    expect(cycles(new Map(edges.map(({ from, to }) => [from, to])))).toEqual([]);
  });

  it('the domain raises error kinds; only the API and the CLI speak HTTP statuses (api/error-status.ts)', () => {
    const offenders = sourceFiles(src)
      .map((file) => ({ file: path.relative(src, file), text: fs.readFileSync(file, 'utf8') }))
      .filter(({ file, text }) => /UserError\(\s*\d/.test(text) || (!/^(api|cli)\//.test(file) && /\bstatusCode\b/.test(text.replace(/response\.statusCode/g, ''))))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });

  it('one door for new photos: only library/photos/door.ts makes photo rows and, besides recovery in app/, fills the queue', () => {
    const texts = sourceFiles(src).map((file) => ({ file: path.relative(src, file), text: fs.readFileSync(file, 'utf8') }));
    const makers = texts.filter(({ text }) => /\.insert\(photos\)|insert\s+into\s+photos\b/i.test(text)).map(({ file }) => file);
    expect(makers).toEqual(['library/photos/door.ts']);
    const fillers = texts
      .filter(({ file }) => !/^(app|queue|pipeline)\//.test(file))
      .filter(({ text }) => /\bqueue\.add\(/.test(text))
      .map(({ file }) => file);
    expect(fillers).toEqual(['library/photos/door.ts']);
  });

  it('the web app takes from src/ only the API contract (api/contract.ts, types) and the shared vocabulary (model/)', () => {
    // importsOf reads src/ alone: the web app's own scan, of every relative specifier (from, import '…', import('…'))
    const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');
    const imports = sourceFiles(web).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/(?:\bfrom|\bimport\(?)\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) => ({
        file: path.relative(web, file),
        target: path.relative(src, path.resolve(path.dirname(file), match[1]!.replace(/\.js$/, '.ts'))),
      })),
    );
    const intoSrc = imports.filter(({ target }) => !target.startsWith('..'));
    expect(intoSrc.map(({ target }) => target)).toContain('api/contract.ts'); // the scan sees them at all
    const offenders = intoSrc.filter(({ target }) => target !== 'api/contract.ts' && !/^model\/[^/]+\.ts$/.test(target));
    expect(offenders.map(({ file, target }) => `${file} imports src/${target}`)).toEqual([]);
  });
});
