// The entry of library/photos/: what code outside library/ may use of it.
export * from './counts.js';
export * from './door.js';
export * from './filter.js';
export * from './list.js';
export * from './order-changes.js';
export * from './photos.js';
export * from './retry.js';
export * from './timeline.js';
export * from './video-stream.js';
export * from './steps-left-out.js';
