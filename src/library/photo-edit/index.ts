// The entry of library/photo-edit/: what code outside library/ may use of it.
export * from './edit.js';
