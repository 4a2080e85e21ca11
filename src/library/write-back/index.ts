// The entry of library/write-back/: what code outside library/ may use of it.
export * from './guard.js';
export * from './roots.js';
export * from './write-back.js';
