// The entry of library/jobs/: what code outside library/ may use of it.
export * from './eta.js';
export * from './feed.js';
export * from './jobs.js';
