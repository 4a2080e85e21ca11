import type { Settings } from '../config/settings.js';
import { createLogger } from '../logger.js';
import { startServer } from '../server.js';

export async function runServe(settings: Settings): Promise<void> {
  const logger = createLogger(settings.logLevel);
  const server = await startServer(settings, logger);
  logger.info({ url: server.url, dataDir: settings.dataDir, database: server.lib.database.kind }, 'shoebox is listening');
  // The one line a person reads: where to go.
  process.stderr.write(`Shoebox is running at ${server.url}  (library: ${settings.dataDir})\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
