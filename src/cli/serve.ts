import type { Settings } from '../config/settings.js';
import { createLogger } from '../base/logger.js';
import { startServer } from '../api/server.js';
import { closeOnSignals } from './signals.js';

export async function runServe(settings: Settings): Promise<void> {
  const logger = createLogger(settings.logLevel);
  const server = await startServer(settings, logger);
  logger.info({ url: server.url, dataDir: settings.dataDir, database: server.lib.database.kind }, 'shoebox is listening');
  // The one line a person reads: where to go.
  process.stderr.write(`Shoebox is running at ${server.url}  (library: ${settings.dataDir})\n`);
  // counted once at start: an embedded library past what its database was measured to serve is told how to move
  const outgrown = await server.app.librarySize?.notice().catch(() => null);
  if (outgrown) {
    logger.warn({ photos: outgrown.photos, comfortable: outgrown.comfortable }, outgrown.message);
    process.stderr.write(`Warning: ${outgrown.message}\n`);
  }
  closeOnSignals(logger, () => server.close());
}
