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
  // `import … from`, `export … from`, `import('…')` and an import for its effects alone (`import './x.js'`)
  for (const match of text.matchAll(
    /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'\s*\)|(?:^|\n)\s*import\s+'(\.{1,2}\/[^']+)'/g,
  )) {
    const spec = match[1] ?? match[2] ?? match[3]!;
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

/**
 * The floors inside library/ (docs/ARCHITECTURE.md, "Floors inside the library"), by unit: a sub-folder, or one of
 * the ground's files at its root. The ground is the view every function takes; the core is the photos; aggregates
 * stand on the core and on one another without a cycle; flows and views stand on top.
 */
const LIBRARY_GROUND = ['library/library.ts', 'library/actors.ts'];
const LIBRARY_CORE = 'library/photos/';
const LIBRARY_AGGREGATES = [
  'accounts',
  'albums',
  'best-shot',
  'categories',
  'duplicates',
  'map',
  'memories',
  'people',
  'quota',
  'sharing',
  'stacks',
  'storage-locations',
  'write-back',
].map((name) => `library/${name}/`);
const LIBRARY_FLOWS = [
  'backup',
  'create',
  'duplicate-review',
  'export',
  'imports',
  'in-place',
  'ingest',
  'jobs',
  'live-photos',
  'photo-detail',
  'photo-edit',
  'photo-search',
  'takeout',
  'trash',
].map((name) => `library/${name}/`);
/** Who outside library/ may import a flow: the entries and the pipeline. */
const FLOW_USERS = /^(api|cli|app|pipeline)\//;

/** A file's unit two levels down: `library/albums/manual.ts` → `library/albums/`; a file at `library/`'s root is its own. */
function unitOf(file: string, top: string): string | null {
  if (!file.startsWith(`${top}/`)) return null;
  const rest = file.slice(top.length + 1);
  return rest.includes('/') ? `${top}/${rest.slice(0, rest.indexOf('/'))}/` : file;
}

/** The graph of units under a folder, from the edges given (each unit to the other units it imports). */
function unitGraph(top: string, given: readonly { from: string; to: readonly string[] }[] = edges): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const { from, to } of given) {
    const unit = unitOf(from, top);
    if (!unit) continue;
    const targets = to.map((target) => unitOf(target, top)).filter((target): target is string => target !== null && target !== unit);
    graph.set(unit, [...new Set([...(graph.get(unit) ?? []), ...targets])]);
  }
  return graph;
}

/** The imports that break the library's floors, as `from → to` (an empty list when it holds). */
function libraryFloorBreaks(given: readonly { from: string; to: readonly string[] }[]): string[] {
  const broken: string[] = [];
  for (const { from, to } of given) {
    const unit = unitOf(from, 'library');
    for (const target of to) {
      const targetUnit = unitOf(target, 'library');
      if (!targetUnit || targetUnit === unit) continue;
      const entry = LIBRARY_GROUND.includes(target) || /^library\/[^/]+\/index\.ts$/.test(target);
      if (!unit && !entry) broken.push(`${from} → ${target} (outside library/, only an entry: <unit>/index.ts)`);
      if (!unit && LIBRARY_FLOWS.includes(targetUnit) && !FLOW_USERS.test(from)) broken.push(`${from} → ${target} (a flow, for api/, cli/, app/, pipeline/)`);
      if (unit && LIBRARY_GROUND.includes(unit) && !LIBRARY_GROUND.includes(targetUnit))
        broken.push(`${from} → ${target} (the ground imports only the ground)`);
      if (unit === LIBRARY_CORE && !LIBRARY_GROUND.includes(targetUnit)) broken.push(`${from} → ${target} (the core imports no sibling)`);
      if (unit && LIBRARY_AGGREGATES.includes(unit) && LIBRARY_FLOWS.includes(targetUnit)) broken.push(`${from} → ${target} (an aggregate imports no flow)`);
    }
  }
  return broken;
}

/** Source files over this many lines fail, but data (tables, word lists) and what the table below still holds. */
const MAX_LINES = 400;
const DATA_FILES = ['src/ml/tags/vocabulary.ts'];

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
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
  });

  it('every folder has its floor, and no folder imports one on a floor above its own', () => {
    const folders = [...new Set(edges.map((edge) => folderOf(edge.from)))];
    expect(
      folders.filter((folder) => FLOORS[folder] === undefined),
      'a folder (or a file at src/) not on a floor',
    ).toEqual([]);
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
      .filter(
        ({ file, text }) => /UserError\(\s*\d/.test(text) || (!/^(api|cli)\//.test(file) && /\bstatusCode\b/.test(text.replace(/response\.statusCode/g, ''))),
      )
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
  it('library/: every unit stands on a floor, and only the ground’s files lie at its root', () => {
    const units = [...new Set(edges.map(({ from }) => unitOf(from, 'library')).filter((unit): unit is string => unit !== null))];
    const placed = [...LIBRARY_GROUND, LIBRARY_CORE, ...LIBRARY_AGGREGATES, ...LIBRARY_FLOWS];
    expect(
      units.filter((unit) => !placed.includes(unit)),
      'a unit of library/ on no floor (put it in a list above)',
    ).toEqual([]);
    expect(LIBRARY_GROUND.length).toBeLessThanOrEqual(3);
  });

  it('library/: no two units import each other, directly or around a loop', () => {
    expect(cycles(unitGraph('library'))).toEqual([]);
  });

  it('library/: the core imports no sibling, an aggregate no flow, and outside code only entries (flows: only api/, cli/, app/, pipeline/)', () => {
    expect(libraryFloorBreaks(edges)).toEqual([]);
  });

  it('library/: the floor rules see a break (each rule can fail)', () => {
    const broken = libraryFloorBreaks([
      { from: 'library/photos/photos.ts', to: ['library/people/people.ts', 'library/library.ts'] },
      { from: 'library/albums/manual.ts', to: ['library/trash/trash.ts', 'library/photos/photos.ts'] },
      { from: 'api/photos.ts', to: ['library/photos/photos.ts', 'library/photos/index.ts'] },
      { from: 'search/engine.ts', to: ['library/trash/index.ts'] },
      { from: 'library/actors.ts', to: ['library/photos/photos.ts'] },
    ]);
    expect(broken).toEqual([
      'library/photos/photos.ts → library/people/people.ts (the core imports no sibling)',
      'library/albums/manual.ts → library/trash/trash.ts (an aggregate imports no flow)',
      'api/photos.ts → library/photos/photos.ts (outside library/, only an entry: <unit>/index.ts)',
      'search/engine.ts → library/trash/index.ts (a flow, for api/, cli/, app/, pipeline/)',
      'library/actors.ts → library/photos/photos.ts (the ground imports only the ground)',
    ]);
    const knot = unitGraph('library', [
      { from: 'library/stacks/place.ts', to: ['library/duplicates/groups.ts'] },
      { from: 'library/duplicates/provenance.ts', to: ['library/stacks/rules.ts'] },
    ]);
    expect(cycles(knot)).toEqual([['library/duplicates/', 'library/stacks/']]);
  });

  it('ml/ and media/: no two of their sub-folders (or files at their roots) import each other, directly or around a loop', () => {
    expect(cycles(unitGraph('ml'))).toEqual([]);
    expect(cycles(unitGraph('media'))).toEqual([]);
  });

  it(`no source file is over ${MAX_LINES} lines, but data (${DATA_FILES.join(', ')})`, () => {
    const root = path.resolve(src, '..');
    const counted = [...sourceFiles(src), ...sourceFiles(path.join(root, 'web/src'))].map((file) => ({
      file: path.relative(root, file),
      lines: fs.readFileSync(file, 'utf8').split('\n').length - 1,
    }));
    expect(counted.length).toBeGreaterThan(400); // both trees read
    const over = counted.filter(({ file, lines }) => lines > MAX_LINES && !DATA_FILES.includes(file));
    expect(over.map(({ file, lines }) => `${file}: ${lines} lines`)).toEqual([]);
  });

  it('an upload loads at most 100 files of src/ (the duplicate check, which decodes, is imported only when asked for)', () => {
    // What the route's module graph pulls in as it starts: static value imports only (types vanish, `import()` waits)
    const loads = (file: string): string[] => {
      const text = fs.readFileSync(path.join(src, file), 'utf8');
      const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)(?!\s+type\s)[^'"]*?(?:from\s+)?'(\.{1,2}\/[^']+)'/g)];
      return found.map((match) => path.relative(src, path.resolve(path.dirname(path.join(src, file)), match[1]!.replace(/\.js$/, '.ts'))));
    };
    const closure = new Set<string>();
    const visit = (file: string) => {
      if (closure.has(file) || !fs.existsSync(path.join(src, file))) return;
      closure.add(file);
      loads(file).forEach(visit);
    };
    visit('api/upload.ts');
    expect(closure.has('library/ingest/ingest.ts')).toBe(true); // the graph was followed
    expect(closure.has('library/duplicates/upload-check.ts')).toBe(false);
    expect(closure.size).toBeLessThanOrEqual(100);
  });

  it("the web app's lower folders (client/, store/, hooks/, lib/) import no component and no page", () => {
    const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');
    const lower = ['client', 'store', 'hooks', 'lib'].flatMap((folder) => sourceFiles(path.join(web, folder)));
    const upward = lower.flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/(?:\bfrom|\bimport\(?)\s*['"](\.{1,2}\/[^'"]+)['"]/g)]
        .map((match) => path.relative(web, path.resolve(path.dirname(file), match[1]!)))
        .filter((target) => /^(components|pages)\//.test(target))
        .map((target) => `${path.relative(web, file)} imports ${target}`),
    );
    expect(lower.length).toBeGreaterThan(20); // the scan sees them at all
    expect(upward).toEqual([]);
  });
});
