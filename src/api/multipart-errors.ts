// What goes wrong with a multipart request is the client's doing (a malformed body, too many parts, a connection
// that ended mid-file): a 4xx with a message that says which, never a 500.
import type { FastifyRequest } from 'fastify';
import { UserError } from '../base/errors.js';
import { StalledBodyError } from './body-deadlines.js';
import { kindOfStatus } from './error-status.js';

/** Files in one request (each photo and sidecar is a part; a few form fields come along). */
export const MAX_UPLOAD_FILES = 10_000;

/** The client's mistake behind a multipart failure, as a 4xx; null when it is the server's own failure. `kept` is said when given. */
export function multipartUserError(error: unknown, request: FastifyRequest, kept?: string): UserError | null {
  if (error instanceof UserError) return error;
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const after = kept ? ` (${kept})` : '';
  if (error instanceof StalledBodyError) return new UserError('timeout', `${error.message}: the upload was cut${after}`);
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT') {
    return new UserError('too-large', `more than ${MAX_UPLOAD_FILES} files in one request: send them in several${after}`);
  }
  if (code === 'FST_FIELDS_LIMIT') return new UserError('too-large', `too many form fields in one request${after}`);
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return new UserError('unsupported-type', 'send multipart/form-data with one or more `file` fields');
  if (/boundary not found|malformed part header|unexpected end of (form|multipart)|multipart.*boundary/i.test(message)) {
    return new UserError('invalid', `the multipart body is malformed or cut off: ${message}${after}`);
  }
  const cutOff = request.raw.aborted || request.raw.destroyed || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || /aborted/i.test(message);
  if (cutOff) return new UserError('invalid', `the upload was cut off before its end${after}`);
  const status = (error as { statusCode?: number }).statusCode;
  if (status === 400 || status === 413 || status === 415) return new UserError(kindOfStatus(status)!, message);
  return null;
}
