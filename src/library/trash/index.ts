// The entry of library/trash/: what code outside library/ may use of it.
export * from './delete.js';
export * from './trash.js';
