// The entry of library/in-place/: what code outside library/ may use of it.
export * from './glob.js';
export * from './manage.js';
export * from './match-time.js';
export * from './offline.js';
export * from './scan.js';
export * from './scope.js';
export * from './walk.js';
