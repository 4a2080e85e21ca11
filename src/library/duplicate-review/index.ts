// The entry of library/duplicate-review/: what code outside library/ may use of it.
export * from './review.js';
