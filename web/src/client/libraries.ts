// Libraries in place (GET/POST/PATCH/DELETE /api/libraries, the admin's allowed roots).
import { request } from '../api.js';
import type { AllowedRoot, InPlaceFile, InPlaceLibrary, WatchMode } from '../../../src/api/contract.js';

export type { InPlaceFile, InPlaceLibrary, AllowedRoot, WatchMode };

export interface LibraryInput {
  name: string;
  paths: string[];
  exclude: string[];
  writeBack: boolean;
  watch: WatchMode;
}

export const listLibraries = (signal?: AbortSignal) => request<{ items: InPlaceLibrary[] }>('GET', '/api/libraries', { signal });
export const allowedRoots = () => request<{ items: AllowedRoot[] }>('GET', '/api/libraries/roots');
export const addLibrary = (input: LibraryInput) => request<InPlaceLibrary>('POST', '/api/libraries', { body: input });
export const changeLibrary = (id: string, changes: Partial<LibraryInput>) => request<InPlaceLibrary>('PATCH', `/api/libraries/${id}`, { body: changes });
export const scanLibrary = (id: string) => request<{ queued: boolean }>('POST', `/api/libraries/${id}/scan`);
export const removeLibrary = (id: string) => request<{ removedPhotos: number }>('DELETE', `/api/libraries/${id}`);
export const libraryProblems = (id: string) => request<{ items: InPlaceFile[]; total: number }>('GET', `/api/libraries/${id}/files?problems=true&limit=200`);
export const addRoot = (path: string) => request<{ items: AllowedRoot[] }>('POST', '/api/admin/library-roots', { body: { path } });
export const removeRoot = (path: string) => request<{ items: AllowedRoot[] }>('DELETE', `/api/admin/library-roots?path=${encodeURIComponent(path)}`);
