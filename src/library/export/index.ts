// The entry of library/export/: what code outside library/ may use of it.
export * from './folder.js';
export * from './library-source.js';
export * from './run.js';
export * from './sidecar.js';
export * from './zip.js';
