// The entry of library/map/: what code outside library/ may use of it.
export * from './grid.js';
export * from './points.js';
export * from './source.js';
