// The AI models Shoebox knows (GET /api/models): which are installed, which is in use, what each enables.
import type { ModelInfo, ModelList } from '../../../src/api/contract.js';
import { request } from '../api.js';

// The API's own types (type-only: nothing of the server is bundled).
export type { ModelInfo, ModelList };

export function listModels(signal?: AbortSignal): Promise<ModelList> {
  return request('GET', '/api/models', { signal });
}

export type InstallStatus = NonNullable<ModelInfo['install']>;

/** Whether a stopped download kept something to resume from (a file done, or part of one); after 0 bytes, nothing. */
export const hasPartial = (install: InstallStatus | null): boolean =>
  install !== null && install.state !== 'installed' && (install.fileIndex > 1 || install.receivedBytes > 0);

/** A download that ended without its model: stopped by the admin, or by the server stopping during it (a restart). */
export const isStopped = (install: InstallStatus | null): boolean => install?.state === 'cancelled' || install?.state === 'interrupted';

/** The install button's words: "Resume download" only when something arrived to resume from. */
export const installLabel = (install: InstallStatus | null): string =>
  install?.state === 'failed' || isStopped(install) ? (hasPartial(install) ? 'Resume download' : 'Try again') : 'Install';

/** Starts downloading a model (admins); the list shows its progress. */
export function installModel(name: string): Promise<InstallStatus> {
  return request('POST', `/api/models/${encodeURIComponent(name)}/install`);
}

/** Stops a download; the next install resumes it. */
export function cancelInstall(name: string): Promise<InstallStatus> {
  return request('DELETE', `/api/models/${encodeURIComponent(name)}/install`);
}

/** Makes an installed CLIP model the one in use (admins); its photos are analysed again. */
export function switchClipModel(name: string): Promise<{ model: string; reopened: number }> {
  return request('POST', `/api/models/${encodeURIComponent(name)}/use`);
}

export function removeModel(name: string): Promise<void> {
  return request('DELETE', `/api/models/${encodeURIComponent(name)}`);
}
