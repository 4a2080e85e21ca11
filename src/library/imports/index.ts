// The entry of library/imports/: what code outside library/ may use of it.
export * from './library-target.js';
export * from './run.js';
export * from './sessions.js';
