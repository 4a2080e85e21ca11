// The entry of library/albums/: what code outside library/ may use of it.
export * from './auto.js';
export * from './auto-assign.js';
export * from './auto-clustering-params.js';
export * from './counts.js';
export * from './manual.js';
export * from './summary.js';
export * from './zip.js';
