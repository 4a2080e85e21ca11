// The entry of library/duplicates/: what code outside library/ may use of it.
export * from './detect.js';
export * from './groups.js';
