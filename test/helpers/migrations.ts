// A copy of the migrations folder that stops before a migration: a database migrated with it is one made before that
// migration, for a test that seeds it and then applies the rest.
import fs from 'node:fs';
import path from 'node:path';
import { migrationsFolder } from '../../src/config/paths.js';
import { tempDir } from './server.js';

/** A copy of the migrations folder that stops before `tag` (the caller removes it). */
export function migrationsBefore(tag: string): string {
  const dir = tempDir('shoebox-migrations-');
  fs.cpSync(migrationsFolder, dir, { recursive: true });
  const journalPath = path.join(dir, 'meta/_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.slice(
    0,
    journal.entries.findIndex((entry) => entry.tag === tag),
  );
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}
