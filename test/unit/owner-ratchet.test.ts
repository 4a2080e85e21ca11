import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Issue 31's first item: who may see a row is written in one place, src/scope/. A condition on an owner column (a
// query keeping one user's rows, a comparison of a row's owner with a user) is written only by scope/rows.ts and the
// sharing rules beside it (scope/access.ts, scope/photo-scope.ts; library/actors.ts makes the views for whoever acts):
// the first test fails on one written anywhere else. A row naming its owner is no condition: a new row's owner in an
// insert (`insert into imports (owner_id, …) values (${lib.ownerId}::uuid, …)`, `.values({ ownerId: lib.ownerId })`),
// an owner read to act for them, and stays where its feature is. (Issue 60 retired the count of such lines that
// stood here: it rewarded moving a feature's inserts into scope/.) The second test fails on the sharing tables named
// outside scope/ but where shares are made. Schema files declare the columns and are not read.
const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
const ACCESS_RULES = new Set(['scope/rows.ts', 'scope/access.ts', 'scope/photo-scope.ts', 'library/actors.ts']);
/**
 * A condition on an owner column: `x.owner_id = …` (or <>, <, >, in, is, = any) in SQL text, `… = x.owner_id`, a
 * Drizzle `eq`/`ne`/`inArray` on an `ownerId` column, or a comparison of an owner id in code.
 */
const CONDITION =
  /owner_id\s*(=|<>|!=|<|>|\bin\b|\bis\b)|=\s*\w+\.owner_id\b|\b(eq|ne|inArray|notInArray)\(\w+\.ownerId\b|\bowner_?[iI]d\s*[!=]==|[!=]==\s*[\w.]*\bowner_?[iI]d\b/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
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
      'from photos where owner_id = ${userId}::uuid',
      'where st.owner_id = any(${ids})',
      'or p.owner_id < ${id}::uuid',
      'join categories c on c.owner_id = p.owner_id',
      '.where(and(eq(photos.id, id), eq(photos.ownerId, lib.ownerId)))',
      'if (row.owner_id !== ownerId) throw',
      'if (userId === lib.ownerId) throw',
    ])
      expect(CONDITION.test(line), line).toBe(true);
    for (const line of [
      'select p.id, p.owner_id, e.embedding',
      'insert into albums (owner_id, name)',
      '.values({ ownerId, name })',
      'ownerId: photos.ownerId,',
      // a new row's owner, from the actor's view: no condition
      'sql`insert into imports (owner_id, source) values (${lib.ownerId}::uuid, ${source}) returning id`',
      ".values({ ownerId: lib.ownerId, name, kind: 'manual' })",
      'insert into memory_settings (owner_id, computed_for) values (${lib.ownerId}::uuid, ${today}) on conflict do nothing',
      'on conflict (owner_id, key) do update set kind = excluded.kind',
      'insert into album_shares (album_id, user_id, role) values (${albumId}::uuid, ${userId}::uuid, ${role})',
    ])
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
    for (const line of [
      "api.get('/api/partners', {",
      '// partners and shared albums widen it',
      'the partners you show in it',
      'partnerIds: shared.partners.map((p) => p.id)',
      "export * from './partners.js';",
    ])
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
