/**
 * What went wrong, in the domain's words. The domain raises a kind; the API says it in HTTP in one place
 * (api/error-status.ts), the CLI in its own words.
 */
export const ERROR_KINDS = [
  'invalid',
  'unauthenticated',
  'forbidden',
  'not-found',
  'timeout',
  'conflict',
  'gone',
  'too-large',
  'unsupported-type',
  'range-not-satisfiable',
  'unprocessable',
  'too-many-requests',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/**
 * An error a user caused (a bad value, a missing photo, a conflict), of a kind the API maps to its HTTP status.
 * `publicMessage`: what someone outside the library is told instead, where the message holds the server's own
 * details (a tool's output): see publicMessageOf.
 */
export class UserError extends Error {
  readonly publicMessage?: string;
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options: { publicMessage?: string } = {},
  ) {
    super(message);
    this.name = 'UserError';
    if (options.publicMessage !== undefined) this.publicMessage = options.publicMessage;
  }
}

/** The kind of an error that has one: a UserError, or another error class that names its kind (storage's). */
export function errorKindOf(error: unknown): ErrorKind | null {
  if (error instanceof UserError) return error.kind;
  const kind = error instanceof Error ? (error as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' && (ERROR_KINDS as readonly string[]).includes(kind) ? (kind as ErrorKind) : null;
}

/**
 * What someone outside the library's own users (a share link's visitor, a client not signed in) is told of an
 * error: its `publicMessage` when it has one (errors whose message names a file of the server say it without the
 * path), else its message with any absolute path on the server left out.
 */
export function publicMessageOf(error: unknown): string {
  const given = (error as { publicMessage?: unknown } | null)?.publicMessage;
  if (typeof given === 'string') return given;
  return withoutPaths(error instanceof Error ? error.message : String(error));
}

/** A message without absolute file paths (two parts or more; an API route, /api/…, stays): `…` instead. */
export function withoutPaths(message: string): string {
  return message
    .replace(/(['"`])\/(?!api\/)[^'"`/]+\/[^'"`]*\1/g, '$1…$1') // quoted: spaces and all
    .replace(/(?<![\w.~:/-])\/(?!api\/)(?:[^\s/'"`]+\/)+[^\s'"`]*/g, '…');
}

/** A service Shoebox relies on (a model endpoint) is down or overloaded: worth trying again later (HTTP 503). */
export class ServiceUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ServiceUnavailableError';
  }
}
