// The entry of library/backup/: what code outside library/ may use of it.
export * from './known.js';
export * from './uploads.js';
