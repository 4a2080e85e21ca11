// The entry of library/takeout/: what code outside library/ may use of it.
export * from './archive.js';
export * from './icloud.js';
export * from './import.js';
export * from './plan.js';
export { matchFolder, sidecarName } from './sidecar-names.js';
