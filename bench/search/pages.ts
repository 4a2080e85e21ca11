// The pages a person opens, on the embedded engine: a real `shoebox serve` (PGlite, the pipeline in process) on the
// search benchmark's library, asked over HTTP with the owner's key as the web app asks — bench/million/pages.ts' pages
// and code, which the PostgreSQL benchmark uses. The library has no albums and no duplicate groups (its generator
// makes none): the big album's page is left out, the duplicates review answers an empty list.
// Usage: npx tsx bench/search/pages.ts --photos 100000 [--requests 100] [--json FILE]
// Run after `npm run bench:search -- --photos N` has built the library; it adds the server's own rows to it (its API
// key, the memories of the day), which the search benchmark does not read.
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { readLocalApiKey } from '../../src/auth/local-key-file.js';
import { createLogger } from '../../src/base/logger.js';
import { loadSettings } from '../../src/config/settings.js';
import { openDatabase } from '../../src/db/connection.js';
import { SEARCH_DOCUMENT_VERSION } from '../../src/search/documents.js';
import { startServer } from '../../src/api/server.js';
import { measureServerPages } from '../million/pages.js';
import { arg } from '../args.js';
import { libraryDir } from './generate.js';

const N = Number(arg('photos') ?? 100_000);
const REQUESTS = Number(arg('requests') ?? 100);
const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const dataDir = libraryDir(N);
  if (!fs.existsSync(`${dataDir}/meta.json`)) throw new Error(`no library of ${N} photos: run npm run bench:search -- --photos ${N} first`);
  // the load built every search row with refreshSearchDocuments but recorded no version: a server's start would build them again
  const database = await openDatabase({ dataDir });
  await database.db.execute(sql`insert into library_meta (key, value) values ('search_documents_version', ${JSON.stringify(SEARCH_DOCUMENT_VERSION)}::jsonb)
    on conflict (key) do update set value = excluded.value`);
  await database.close();
  const t0 = performance.now();
  const settings = loadSettings({ dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent' }, {});
  const server = await startServer(settings, createLogger(settings.logLevel));
  const startSeconds = Math.round((performance.now() - t0) / 100) / 10;
  log(`server on ${N} photos started in ${startSeconds} s`);
  try {
    const key = readLocalApiKey(dataDir);
    if (!key) throw new Error('the server wrote no API key');
    const health = (await (await fetch(`${server.url}/api/health`, { headers: { 'x-api-key': key } })).json()) as { embeddedSize?: unknown };
    const pages = await measureServerPages(server.url, key, { count: REQUESTS, log });
    const result = {
      photos: N,
      requests: REQUESTS,
      startSeconds,
      rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
      embeddedSize: health.embeddedSize,
      pages,
    };
    const out = arg('json');
    if (out) fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await server.close();
  }
}

await main();
