import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Issue 31's first item: who may see a row is written in one place, src/scope/. A condition on an owner column (a
// query keeping one user's rows, a comparison of a row's owner with a user) is written only by scope/rows.ts and the
// sharing rules beside it (scope/access.ts, scope/photo-scope.ts; library/actors.ts makes the views for whoever acts):
// the first test fails on one written anywhere else. Files still name owners for other reasons — a new row's owner,
// background work grouped per owner, search rows copying their photo's owner — and the ratchet below holds those
// lines where they are: no new file may name an owner column or a library's owner id, and no file on more lines than
// it does now. Lower a count (or drop its line) when a change removes some — the test asks for it; never raise one.
// Schema files declare the columns and are not counted.
const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
const OWNER = /ownerId|owner_id/;
const ACCESS_RULES = new Set(['scope/rows.ts', 'scope/access.ts', 'scope/photo-scope.ts', 'library/actors.ts']);
/**
 * A condition on an owner column: `x.owner_id = …` (or <>, <, >, in, is, = any) in SQL text, `… = x.owner_id`, a
 * Drizzle `eq`/`ne`/`inArray` on an `ownerId` column, or a comparison of an owner id in code.
 */
const CONDITION =
  /owner_id\s*(=|<>|!=|<|>|\bin\b|\bis\b)|=\s*\w+\.owner_id\b|\b(eq|ne|inArray|notInArray)\(\w+\.ownerId\b|\bowner_?[iI]d\s*[!=]==|[!=]==\s*[\w.]*\bowner_?[iI]d\b/;

/**
 * Lines naming an owner per file under src/: 321 in 65 files when the ratchet was set; 308 in 63 once views were made in
 * library/actors.ts; 218 in 50 once every condition was
 * written in scope/ (the user's quota moved to library/quota/quota.ts with its two lines).
 */
const ALLOWED: Readonly<Record<string, number>> = {
  'api/create.ts': 1,
  'api/jobs.ts': 2,
  'api/libraries.ts': 8,
  'api/schemas.ts': 1,
  'api/upload.ts': 2,
  'auth/local-key.ts': 3,
  'auth/users.ts': 3,
  'library/albums/auto-assign.ts': 17,
  'library/albums/auto-context.ts': 1,
  'library/albums/auto-existing.ts': 5,
  'library/albums/auto-write.ts': 5,
  'library/albums/auto.ts': 4,
  'library/albums/manual.ts': 6,
  'library/categories/categories.ts': 5,
  'library/create/jobs.ts': 6,
  'library/create/product-shots.ts': 2,
  'library/create/product-types.ts': 7,
  'library/create/products.ts': 1,
  'library/create/run.ts': 1,
  'library/duplicates/candidates.ts': 16,
  'library/duplicates/detect.ts': 2,
  'library/duplicates/groups.ts': 7,
  'library/duplicates/upload-check.ts': 1,
  'library/in-place/file-photos.ts': 1,
  'library/in-place/manage.ts': 5,
  'library/in-place/offline.ts': 4,
  'library/write-back/overlap.ts': 9,
  'library/in-place/scan.ts': 1,
  'library/ingest/ingest.ts': 2,
  'library/library.ts': 1,
  'library/people/clustering.ts': 12,
  'library/people/rows.ts': 5,
  'library/people/people.ts': 5,
  'library/photos/door.ts': 1,
  'library/photos/list.ts': 2,
  'library/photo-search/search.ts': 1,
  'library/trash/delete.ts': 1,
  'library/photo-detail/detail.ts': 1,
  'library/quota/quota.ts': 2,
  'library/sharing/links.ts': 2,
  'library/sharing/partners.ts': 5,
  'library/sharing/users.ts': 1,
  'library/storage-locations/move.ts': 1,
  'library/trash/trash.ts': 2,
  'pipeline/steps/faces.ts': 1,
  'search/documents.ts': 22,
  'search/engine.ts': 7,
  'search/fuzzy.ts': 2,
  'search/nearest.ts': 6,
  'search/similar.ts': 3,
  'search/suggest.ts': 2,
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

function ownerLines(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of sourceFiles(src)) {
    const name = path.relative(src, file).split(path.sep).join('/');
    if (name.startsWith('db/schema/')) continue;
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((line) => OWNER.test(line)).length;
    if (lines > 0) counts[name] = lines;
  }
  return counts;
}

function conditionLines(): string[] {
  return sourceFiles(src).flatMap((file) => {
    const name = path.relative(src, file).split(path.sep).join('/');
    if (name.startsWith('db/schema/') || ACCESS_RULES.has(name)) return [];
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, index) => (CONDITION.test(line) ? [`${name}:${index + 1}: ${line.trim()}`] : []));
  });
}

describe('who may see a row is written in one module', () => {
  it('recognises a condition on an owner in each of its forms, and not a row naming its owner', () => {
    for (const line of [
      'where p.owner_id = ${lib.ownerId}::uuid and',
      "from photos where owner_id = ${userId}::uuid",
      'where st.owner_id = any(${ids})',
      'or p.owner_id < ${id}::uuid',
      'join categories c on c.owner_id = p.owner_id',
      '.where(and(eq(photos.id, id), eq(photos.ownerId, lib.ownerId)))',
      'if (row.owner_id !== ownerId) throw',
      'if (userId === lib.ownerId) throw',
    ])
      expect(CONDITION.test(line), line).toBe(true);
    for (const line of ['select p.id, p.owner_id, e.embedding', 'insert into albums (owner_id, name)', '.values({ ownerId, name })', 'ownerId: photos.ownerId,'])
      expect(CONDITION.test(line), line).toBe(false);
  });

  it('writes no condition on an owner column outside scope/ (and the views of library/actors.ts)', () => {
    expect(conditionLines()).toEqual([]);
  });

  it('finds the conditions where they are written (the scan reads the files it should)', () => {
    const rules = fs.readFileSync(path.join(src, 'scope/rows.ts'), 'utf8').split('\n');
    expect(rules.filter((line) => CONDITION.test(line)).length).toBeGreaterThan(3);
  });
});

/**
 * The sharing tables (album shares, partners) named in SQL text (`from album_shares`, `join partners pa`) or through
 * their Drizzle tables (`albumShares.userId`, `.from(partners)`): what a user reaches beyond their own rows is decided
 * by scope/access.ts alone (albumVisible, shareRole, visiblePhotoSql, the PhotoScope it loads).
 */
const SHARING_TABLE =
  /\b(from|join|into|update|table)\s+(album_shares|partners)\b|(?<![.\w/])(albumShares|partners)\.\w+|\.(from|insert|update|delete|innerJoin|leftJoin)\((albumShares|partners)\b/;
/** Who may name them besides scope/: the owner's side of sharing, which makes, lists and removes shares. */
const SHARE_WRITERS = new Set(['library/sharing/album-shares.ts', 'library/sharing/partners.ts']);

function sharingLines(): string[] {
  return sourceFiles(src).flatMap((file) => {
    const name = path.relative(src, file).split(path.sep).join('/');
    if (name.startsWith('db/schema/') || name.startsWith('scope/') || SHARE_WRITERS.has(name)) return [];
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, index) => (SHARING_TABLE.test(line) ? [`${name}:${index + 1}: ${line.trim()}`] : []));
  });
}

describe('who a row is shared with is decided in scope/access.ts', () => {
  it('recognises the sharing tables in SQL text and in Drizzle, and not the words in prose or routes', () => {
    for (const line of [
      'exists (select 1 from album_shares s where s.album_id = a.id and s.user_id = ${lib.ownerId}::uuid)',
      'left join album_shares s on s.album_id = a.id',
      'exists (select 1 from partners pa where pa.sharer_id = p.owner_id)',
      '.where(eq(partners.sharerId, lib.ownerId))',
      '.from(albumShares)',
      'await lib.db.insert(partners).values({ sharerId, partnerId })',
    ])
      expect(SHARING_TABLE.test(line), line).toBe(true);
    for (const line of ["api.get('/api/partners', {", '// partners and shared albums widen it', 'the partners you show in it', 'partnerIds: shared.partners.map((p) => p.id)', "export * from './partners.js';"])
      expect(SHARING_TABLE.test(line), line).toBe(false);
  });

  it('names the sharing tables nowhere outside scope/ but where shares are made and removed', () => {
    expect(sharingLines()).toEqual([]);
  });

  it('finds them where they are written (the scan reads the files it should)', () => {
    for (const file of ['scope/access.ts', ...SHARE_WRITERS]) {
      const lines = fs.readFileSync(path.join(src, file), 'utf8').split('\n');
      expect(lines.filter((line) => SHARING_TABLE.test(line)).length, file).toBeGreaterThan(0);
    }
  });
});

describe('the lines naming an owner for other reasons stay where they are', () => {
  const counts = ownerLines();

  it('sees the owner columns at all (the scan reads the files it should)', () => {
    expect(counts['scope/rows.ts']).toBeGreaterThan(0);
    expect(Object.keys(counts).length).toBeGreaterThan(10);
  });

  it('no file names an owner on more lines than it did, and no new file names one', () => {
    const grown = Object.entries(counts)
      .filter(([file, lines]) => !ACCESS_RULES.has(file) && lines > (ALLOWED[file] ?? 0))
      .map(([file, lines]) => `${file}: ${lines} line${lines === 1 ? '' : 's'} naming an owner (allowed ${ALLOWED[file] ?? 0})`);
    expect(grown).toEqual([]);
  });

  it('follows the debt down: a file that names an owner on fewer lines has its count lowered here (or its line dropped)', () => {
    const shrunk = Object.entries(ALLOWED)
      .filter(([file, allowed]) => (counts[file] ?? 0) < allowed)
      .map(([file, allowed]) => `${file}: ${counts[file] ?? 0} (the table says ${allowed}: lower it, so it cannot grow back)`);
    expect(shrunk).toEqual([]);
  });
});
