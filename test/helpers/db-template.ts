// A migrated, empty embedded database, made once per set of migrations and copied into each test server's fresh
// data folder: creating one (PGlite's initdb and every migration) costs a test server ~5 s of CPU, a copy ~0.1 s.
// The template holds no secret and no row a server makes for itself (keys and accounts are made at its start).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db/connection.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Names the migrations and the PGlite build: a change to either makes a new template. */
function templateKey(): string {
  const hash = createHash('sha256');
  const drizzle = path.join(repoRoot, 'drizzle');
  for (const file of fs
    .readdirSync(drizzle)
    .filter((name) => name.endsWith('.sql'))
    .sort()) {
    hash.update(file).update(fs.readFileSync(path.join(drizzle, file)));
  }
  hash.update(fs.readFileSync(path.join(repoRoot, 'node_modules', '@electric-sql', 'pglite', 'package.json')));
  return hash.digest('hex').slice(0, 16);
}

/** The template's folder, made on first use (by whichever test process gets there first). */
async function template(): Promise<string> {
  const ready = path.join(repoRoot, 'node_modules', '.cache', 'shoebox-test-db', templateKey());
  if (fs.existsSync(path.join(ready, 'db', 'PG_VERSION'))) return ready;
  // made aside and renamed into place: a process that looks meanwhile never sees half a database
  const building = `${ready}.${process.pid}-${Date.now()}`;
  const database = await openDatabase({ dataDir: building });
  await database.close();
  fs.mkdirSync(path.dirname(ready), { recursive: true });
  try {
    fs.renameSync(building, ready);
  } catch {
    fs.rmSync(building, { recursive: true, force: true }); // another process made it first
  }
  return ready;
}

/** Gives a new data folder the migrated empty database, as if a server had made it. */
export async function seedEmbeddedDatabase(dataDir: string): Promise<void> {
  if (fs.existsSync(path.join(dataDir, 'db'))) return;
  fs.mkdirSync(dataDir, { recursive: true });
  fs.cpSync(path.join(await template(), 'db'), path.join(dataDir, 'db'), { recursive: true });
}
