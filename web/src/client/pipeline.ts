// Running pipeline work again: one photo's failed steps, or one step wherever it failed or was skipped.
import { api, request, type RetryResult } from '../api.js';

export const retryPhoto = (id: string): Promise<RetryResult> => api.retryPhoto(id);

/** Queues `step` again (and the steps that depend on it) for every photo where it failed or was skipped. */
export function reprocessStep(step: string): Promise<{ step: string; queued: number }> {
  return request('POST', '/api/reprocess', { body: { step } });
}
