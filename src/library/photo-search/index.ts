// The entry of library/photo-search/: what code outside library/ may use of it.
export * from './search.js';
export * from './understanding.js';
