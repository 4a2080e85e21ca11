// The entry of library/live-photos/: what code outside library/ may use of it.
export * from './live-photos.js';
