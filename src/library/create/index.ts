// The entry of library/create/: what code outside library/ may use of it.
export * from './catalogue-export.js';
export * from './catalogue-fields.js';
export * from './inspire.js';
export * from './jobs.js';
export * from './product-shots.js';
export * from './product-types.js';
export * from './products.js';
export * from './requests.js';
export * from './run.js';
export * from './slots.js';
export * from './switch.js';
