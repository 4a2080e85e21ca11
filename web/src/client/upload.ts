// Sending files to POST /api/photos with upload progress (XMLHttpRequest: fetch cannot report it) and a way to
// cancel. Each file is preceded by its `lastModified`, so the server knows the file's date.
import { ApiError, type UploadResult } from '../api.js';

/**
 * Resolves with the server's answer, also when it refused every file (413/415 carry the per-file items);
 * rejects with an ApiError carrying the server's message otherwise, or an AbortError when cancelled.
 */
export function sendFiles(files: readonly File[], onProgress: (loaded: number, total: number) => void, signal?: AbortSignal): Promise<UploadResult> {
  const form = new FormData();
  for (const file of files) {
    if (file.lastModified) form.append('lastModified', String(file.lastModified));
    form.append('file', file, file.name);
  }
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/photos');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    const onAbort = () => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    xhr.onerror = () => {
      done();
      reject(new ApiError(0, 'The upload was interrupted: cannot reach the Shoebox server.'));
    };
    xhr.onabort = () => {
      done();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    };
    xhr.onload = () => {
      done();
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // handled below
      }
      if (body && typeof body === 'object' && 'items' in body && Array.isArray(body.items)) {
        resolve(body as UploadResult);
        return;
      }
      const message =
        body && typeof body === 'object' && 'message' in body && typeof body.message === 'string'
          ? body.message
          : `upload failed: ${xhr.status} ${xhr.statusText}`;
      reject(new ApiError(xhr.status, message));
    };
    xhr.send(form);
  });
}
