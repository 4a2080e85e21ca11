// The export as a ZIP download (GET /api/export): originals with XMP sidecars, albums.json and a manifest of
// checksums — the whole library, an album's photos or a selection.
export type ExportLayout = 'date' | 'album';

export const exportUrls = {
  all: (by: ExportLayout = 'album') => `/api/export?all=true&by=${by}`,
  album: (id: string) => `/api/export?album=${encodeURIComponent(id)}`,
  photos: (ids: readonly string[]) => `/api/export?ids=${ids.map(encodeURIComponent).join(',')}`,
};

/** The most photos one selection's export names (the server's limit on `ids`). */
export const MAX_EXPORTED_SELECTION = 500;
