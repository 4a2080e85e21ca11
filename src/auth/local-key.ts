// The server's own API key for the CLI on the same machine: kept in the data folder, readable by its owner only,
// so that `shoebox import` and friends reach a running server with no extra step.
import fs from 'node:fs';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { apiKeys } from '../db/schema.js';
import { SCOPES } from './actor.js';
import { createApiKey, findApiKey } from './api-keys.js';
import { localKeyPath, readLocalApiKey } from './local-key-file.js';
import { libraryOwnerId } from './users.js';
import { isOwner } from '../scope/rows.js';

/**
 * Makes sure the data folder holds a working key of the library's owner (the first active admin): kept when it
 * still works, else replaced (the old local keys are revoked).
 */
export async function ensureLocalApiKey(db: Db, dataDir: string): Promise<void> {
  const ownerId = await libraryOwnerId(db);
  const existing = readLocalApiKey(dataDir);
  const found = existing ? await findApiKey(db, existing) : null;
  if (found && isOwner(ownerId, found.userId)) return;
  await db.delete(apiKeys).where(and(eq(apiKeys.kind, 'local')));
  const { key } = await createApiKey(db, ownerId, 'this machine (CLI)', SCOPES, 'local');
  const file = localKeyPath(dataDir);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${key}\n`, { mode: 0o600 });
  fs.renameSync(temp, file);
}
