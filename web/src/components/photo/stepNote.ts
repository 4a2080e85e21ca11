// Why a part of the photo page is empty, in words: its processing step has not run yet, failed or was skipped.
import type { PhotoFull } from '../../client/photo.js';

/** Why a step's result is missing, in words. */
export function stepNote(photo: PhotoFull, step: string, fallback: string): string {
  const info = photo.steps[step];
  if (!info) return fallback;
  if (info.status === 'pending' || info.status === 'running') return 'Not computed yet…';
  if (info.status === 'failed') return `Failed: ${info.error ?? 'unknown error'}`;
  if (info.status === 'skipped') return `Skipped${info.error ? `: ${info.error}` : ''}`;
  return fallback;
}
