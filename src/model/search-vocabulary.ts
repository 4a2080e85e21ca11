// The words of search the engine, the API and the web app share: plain constants that import nothing, so the web app
// takes the server's own lists (through api/contract.ts) and Vite bundles them as they are.

/** hybrid: both arms, fused; keyword: the full text (and trigrams); semantic: CLIP. */
export const SEARCH_MODES = ['hybrid', 'keyword', 'semantic'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

/** The fields the keyword arm searches, as a hit's explanation names them. */
export const SEARCH_FIELDS = ['tags', 'people', 'places', 'albums', 'keywords', 'caption', 'ocr', 'filename', 'camera'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

/** What suggestions as you type offer. */
export const SUGGESTION_KINDS = ['tag', 'person', 'place', 'camera', 'album'] as const;
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];
