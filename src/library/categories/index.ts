// The entry of library/categories/: what code outside library/ may use of it.
export * from './categories.js';
