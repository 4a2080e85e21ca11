import pino, { type Logger } from 'pino';

/** Structured JSON logs on stdout (or a given destination, e.g. stderr for CLI commands that print results). */
export function createLogger(level: string, destination: 1 | 2 = 1): Logger {
  return pino({ level, base: { service: 'shoebox' } }, pino.destination({ fd: destination, sync: false }));
}
