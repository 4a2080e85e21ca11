// The entry of library/stacks/: what code outside library/ may use of it.
export * from './manage.js';
export * from './place.js';
export * from './rules.js';
export * from './by-hand.js';
