// The entry of library/photo-detail/: what code outside library/ may use of it.
export * from './detail.js';
