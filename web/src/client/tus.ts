// What every resumable upload of the web app does with tus-js-client (an import's archives, client/imports.ts; a
// backup's photos, client/backup.ts): go on from an earlier upload of the same file when the browser remembers one
// (its fingerprint, kept in localStorage), stop when asked, and say the server's reason when it refuses.
import { Upload, type DetailedError, type PreviousUpload, type UploadOptions } from 'tus-js-client';

/** tus-js-client gave up: with the status of the server's last answer (0: none, the network). */
export class UploadFailed extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Delays between tries after a dropped connection: a train's tunnel, a phone locked for a moment. */
export const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000];

/**
 * Sends `file` with these options, resuming an earlier upload of it when there is one; resolves with the upload once
 * the server has it whole (and its last answer), rejects with the server's reason, or an AbortError when stopped.
 * `onUrl` hears the upload's address as soon as the server made it.
 */
export function sendResumable(
  file: File,
  options: Omit<UploadOptions, 'onSuccess' | 'onError' | 'onUploadUrlAvailable'>,
  signal: AbortSignal,
  onUrl: (url: string) => void = () => {},
): Promise<{ upload: Upload; lastResponse: { getHeader: (name: string) => string | undefined } }> {
  return new Promise((resolve, reject) => {
    const upload: Upload = new Upload(file, {
      retryDelays: RETRY_DELAYS,
      ...options,
      onUploadUrlAvailable: () => (upload.url ? onUrl(upload.url) : undefined),
      onSuccess: ({ lastResponse }) => resolve({ upload, lastResponse }),
      onError: (error) => reject(new UploadFailed(responseText(error), (error as DetailedError).originalResponse?.getStatus() ?? 0)),
    });
    // an abort listener never fires for a signal aborted already: the promise would never settle
    if (signal.aborted) return reject(new DOMException('stopped', 'AbortError'));
    signal.addEventListener('abort', () => void upload.abort().then(() => reject(new DOMException('stopped', 'AbortError'))), { once: true });
    void upload.findPreviousUploads().then((previous: PreviousUpload[]) => {
      if (signal.aborted) return;
      if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    }, reject);
  });
}

/** The server's reason when it gave one (tus-js-client puts the response in the error's text). */
export function responseText(error: Error): string {
  const body = /response text: (.*?)(?:, request id|$)/su.exec(error.message)?.[1]?.trim();
  if (!body) return error.message;
  try {
    return (JSON.parse(body) as { message?: string }).message ?? body;
  } catch {
    return body;
  }
}
