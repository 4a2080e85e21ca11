import type { Logger } from 'pino';

/** Closes the process's work once, on SIGINT or SIGTERM, then exits (1 when closing failed). */
export function closeOnSignals(logger: Logger, close: () => Promise<void>, message = 'shutting down'): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, message);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
