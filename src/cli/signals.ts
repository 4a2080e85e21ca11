import type { Logger } from 'pino';

/**
 * How long closing may take before the process exits anyway: an engine gone (Redis, PostgreSQL) can leave a close
 * waiting for ever, and whoever sent SIGTERM (systemd, Docker, Kubernetes) kills after 10 s. Steps cut short are
 * taken again by other workers when this one's heartbeat stops (pipeline/heartbeat.ts).
 */
export const SHUTDOWN_LIMIT_MS = 8000;

/** Closes the process's work once, on SIGINT or SIGTERM, then exits (1 when closing failed or ran past its limit). */
export function closeOnSignals(logger: Logger, close: () => Promise<void>, message = 'shutting down', limitMs = SHUTDOWN_LIMIT_MS): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, message);
    setTimeout(() => {
      logger.error({ limitSeconds: limitMs / 1000 }, 'shutdown did not finish in time (an engine gone?): exiting without it');
      process.exit(1);
    }, limitMs);
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
