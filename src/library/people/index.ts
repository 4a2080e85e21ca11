// The entry of library/people/: what code outside library/ may use of it.
export * from './clustering.js';
export * from './hints.js';
export * from './people.js';
export { foldPeopleCounts } from './counts.js';
