// The one place where the domain's error kinds (base/errors.ts) become HTTP statuses.
import { errorKindOf, type ErrorKind } from '../base/errors.js';

export const STATUS_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  timeout: 408,
  conflict: 409,
  gone: 410,
  'too-large': 413,
  'unsupported-type': 415,
  'range-not-satisfiable': 416,
  unprocessable: 422,
  'too-many-requests': 429,
};

const KIND_OF_STATUS = new Map(Object.entries(STATUS_OF_KIND).map(([kind, status]) => [status, kind as ErrorKind]));

/** The HTTP status of an error with a kind, else null (a server error, or one Fastify gave its own status). */
export function statusOfError(error: unknown): number | null {
  const kind = errorKindOf(error);
  return kind ? STATUS_OF_KIND[kind] : null;
}

/** The kind an HTTP status of a client error stands for (Fastify's own errors, a plugin's), else null. */
export function kindOfStatus(status: number): ErrorKind | null {
  return KIND_OF_STATUS.get(status) ?? null;
}
