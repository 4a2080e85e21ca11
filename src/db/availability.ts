// Errors that say the database server could not be reached or went away (a restart, a failover, a network cut),
// as opposed to a query's own fault: work that met them is worth doing again once the server is back.

/** SQLSTATE classes and codes of a connection lost or refused, and of a server shutting down or starting. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const LOST_CONNECTION =
  /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down)/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  return someCause(error, (current) => {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code) || NETWORK_CODES.has(code))) return true;
    const message = (current as { message?: unknown }).message;
    return typeof message === 'string' && LOST_CONNECTION.test(message);
  });
}

/** Whether the error, or one of the errors it was caused by (five deep at most), passes the test. */
export function someCause(error: unknown, test: (error: object) => boolean): boolean {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    if (typeof current === 'object' && test(current)) return true;
  }
  return false;
}
