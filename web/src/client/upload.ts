// Sending files with upload progress (XMLHttpRequest: fetch cannot report it) and a way to cancel: photos to POST
// /api/photos (each preceded by its `lastModified`, so the server knows the file's date), a model's zip archive.
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
  return postForm('/api/photos', form, onProgress, signal).then(({ status, body }) => {
    if (body && typeof body === 'object' && 'items' in body && Array.isArray(body.items)) return body as UploadResult;
    throw new ApiError(status, messageOf(body) ?? `upload failed: ${status}`);
  });
}

/** The server's `message`, if its answer has one. */
function messageOf(body: unknown): string | null {
  return body && typeof body === 'object' && 'message' in body && typeof body.message === 'string' ? body.message : null;
}

/**
 * Sends a form with upload progress and a way to cancel; resolves with the answer's status and parsed body (null
 * when it is not JSON), rejects with an ApiError when the server cannot be reached or an AbortError when cancelled.
 */
export function postForm(
  url: string,
  form: FormData,
  onProgress: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
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
        // not JSON: the status speaks
      }
      resolve({ status: xhr.status, body });
    };
    xhr.send(form);
  });
}

/** Installs a model from a zip of its folder (admins), with the upload's progress; resolves with the install's status. */
export async function sendModelArchive(
  name: string,
  archive: File,
  onProgress: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<unknown> {
  const form = new FormData();
  form.append('file', archive, archive.name);
  const { status, body } = await postForm(`/api/models/${encodeURIComponent(name)}/archive`, form, onProgress, signal);
  if (status !== 201) throw new ApiError(status, messageOf(body) ?? `the archive was refused: ${status}`);
  return body;
}

/** What became of one file sent through a share link: added, already the owner's, or refused and why. */
export type LinkUploadOutcome = { status: 'done' } | { status: 'here' } | { status: 'refused'; reason: string };

/** Sends one file through an upload link's own route (a visitor's upload, as the link page's button sends it). */
export async function sendThroughLink(token: string, file: File, onProgress: (loaded: number) => void, signal?: AbortSignal): Promise<LinkUploadOutcome> {
  const form = new FormData();
  if (file.lastModified) form.append('lastModified', String(file.lastModified));
  form.append('file', file, file.name);
  const { status, body } = await postForm(`/api/s/${encodeURIComponent(token)}/photos`, form, (loaded) => onProgress(loaded), signal);
  const item = (body as { items?: { duplicate?: boolean; error?: string }[] } | null)?.items?.[0];
  if (status < 300 && item && !item.error) return item.duplicate ? { status: 'here' } : { status: 'done' };
  return { status: 'refused', reason: item?.error ?? messageOf(body) ?? `refused: ${status}` };
}
