// People (clusters of faces) and their faces: list, read, rename, hide, cover, delete, merge; assign/unassign/reject faces.
import type { FaceList, FaceResult, FaceSummary, PeopleList, Person, ReclusterResult } from '../../../src/api/contract.js';
import { request } from '../api.js';

// The API's own shapes (src/api/contract.ts), so that the two cannot drift apart.
export type { FaceResult, PeopleList, Person, ReclusterResult };
/** A face as the people API lists it (the same shape as a photo's faces). */
export type Face = FaceSummary;

const personPath = (id: string) => `/api/people/${encodeURIComponent(id)}`;
const facePath = (id: string) => `/api/faces/${encodeURIComponent(id)}`;

/** People, named first, then by number of faces (limit ≤ 500). */
export function listPeople(
  options: { page?: number; limit?: number; includeHidden?: boolean; named?: boolean } = {},
  signal?: AbortSignal,
): Promise<PeopleList> {
  const query = new URLSearchParams({ page: String(options.page ?? 1), limit: String(options.limit ?? 500) });
  if (options.includeHidden !== undefined) query.set('includeHidden', String(options.includeHidden));
  if (options.named !== undefined) query.set('named', String(options.named));
  return request('GET', `/api/people?${query}`, { signal });
}

/** Every person (all pages), hidden ones too when asked. */
export async function listAllPeople(options: { includeHidden?: boolean; named?: boolean } = {}, signal?: AbortSignal): Promise<Person[]> {
  const items: Person[] = [];
  for (let page = 1; ; page++) {
    const list = await listPeople({ ...options, page, limit: 500 }, signal);
    items.push(...list.items);
    if (list.items.length === 0 || items.length >= list.total) return items;
  }
}

export function getPerson(id: string, signal?: AbortSignal): Promise<Person> {
  return request('GET', personPath(id), { signal });
}

/** A person's faces, newest photo first (limit ≤ 500). */
export async function getPersonFaces(id: string, options: { page?: number; limit?: number } = {}, signal?: AbortSignal): Promise<Face[]> {
  const query = new URLSearchParams({ page: String(options.page ?? 1), limit: String(options.limit ?? 100) });
  const answer = await request<FaceList>('GET', `${personPath(id)}/faces?${query}`, { signal });
  return answer.items;
}

/** Rename, hide or show a person, or choose their cover face. */
export function updatePerson(id: string, change: { name?: string | null; hidden?: boolean; coverFaceId?: string | null }): Promise<Person> {
  return request('PATCH', personPath(id), { body: change });
}

/** Names a person; an empty name (or null) removes the name. */
export function renamePerson(id: string, name: string | null): Promise<Person> {
  return updatePerson(id, { name: name?.trim() ? name.trim() : null });
}

export function setPersonHidden(id: string, hidden: boolean): Promise<Person> {
  return updatePerson(id, { hidden });
}

export function setPersonCover(id: string, coverFaceId: string | null): Promise<Person> {
  return updatePerson(id, { coverFaceId });
}

/** Deletes a person; their faces stay, unassigned. */
export function deletePerson(id: string): Promise<void> {
  return request('DELETE', personPath(id));
}

/** Merges `otherIds` into `targetId`: their faces move to the target and they are deleted. */
export function mergePeople(targetId: string, otherIds: string[]): Promise<Person> {
  return request('POST', `${personPath(targetId)}/merge`, { body: { ids: otherIds } });
}

/** Clusters all faces again (user assignments and rejections are kept). */
export function reclusterPeople(): Promise<ReclusterResult> {
  return request('POST', '/api/people/recluster');
}

/** A photo's faces with their people. */
export async function getPhotoFaces(photoId: string, signal?: AbortSignal): Promise<Face[]> {
  const answer = await request<FaceList>('GET', `/api/photos/${encodeURIComponent(photoId)}/faces`, { signal });
  return answer.items;
}

/** Assigns a face to a person by id. */
export function assignFace(faceId: string, personId: string): Promise<FaceResult> {
  return request('POST', `${facePath(faceId)}/assign`, { body: { personId } });
}

/** Assigns a face to the person with this name (a new named person is created when needed). */
export function assignFaceByName(faceId: string, name: string): Promise<FaceResult> {
  return request('POST', `${facePath(faceId)}/assign`, { body: { name: name.trim() } });
}

/** Takes a face from its person and leaves it unassigned (clustering will not reassign it). */
export function unassignFace(faceId: string): Promise<FaceResult> {
  return request('POST', `${facePath(faceId)}/unassign`);
}

/** "Not this person": clustering never puts the face with that person (default: its current one) again. */
export function rejectFace(faceId: string, personId?: string): Promise<FaceResult> {
  return request('POST', `${facePath(faceId)}/reject`, { body: personId ? { personId } : {} });
}

/** A person's display name ("Unnamed" when they have none). */
export function personLabel(person: Pick<Person, 'name'>): string {
  return person.name?.trim() ? person.name : 'Unnamed';
}

export const peopleUrls = {
  page: (id: string) => `/people/${encodeURIComponent(id)}`,
  face: (faceId: string) => `/api/faces/${encodeURIComponent(faceId)}/thumbnail`,
};
