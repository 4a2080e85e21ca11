// A stack (raw+JPEG, HEIC+JPEG, a burst, an original and its edits, photos stacked by hand) and what the user does
// with it: stack photos, pick the cover, move a photo out, unstack.
import type { Stack, StackMember } from '../../../src/api/contract.js';
import { request } from '../api.js';

export type { Stack, StackMember };

/** Stacks the photos (with the stacks they are in) into one. */
export function stackPhotos(photoIds: string[]): Promise<Stack> {
  return request('POST', '/api/stacks', { body: { photoIds } });
}

export function getStack(id: string, signal?: AbortSignal): Promise<Stack> {
  return request('GET', `/api/stacks/${encodeURIComponent(id)}`, { signal });
}

/** The photo the stack's tile shows, from now on. */
export function setStackCover(id: string, photoId: string): Promise<Stack> {
  return request('PUT', `/api/stacks/${encodeURIComponent(id)}/cover`, { body: { photoId } });
}

/** The photo leaves the stack for good; the stack left (null when one photo was left and it went). */
export function moveOutOfStack(id: string, photoId: string): Promise<{ stack: Stack | null }> {
  return request('DELETE', `/api/stacks/${encodeURIComponent(id)}/photos/${encodeURIComponent(photoId)}`);
}

/** Every photo on its own again, never stacked together again. */
export function unstack(id: string): Promise<{ photoIds: string[] }> {
  return request('DELETE', `/api/stacks/${encodeURIComponent(id)}`);
}
