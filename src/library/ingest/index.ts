// The entry of library/ingest/: what code outside library/ may use of it.
export * from './ingest.js';
export * from './marks.js';
