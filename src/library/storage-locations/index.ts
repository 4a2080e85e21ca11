// The entry of library/storage-locations/: what code outside library/ may use of it.
export * from './move.js';
export * from './overview.js';
