// The entry of library/memories/: what code outside library/ may use of it.
export * from './compute.js';
export * from './job.js';
export * from './memories.js';
export * from './plan.js';
export * from './settings.js';
