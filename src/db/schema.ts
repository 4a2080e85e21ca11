// The whole database schema, one file per aggregate under schema/. This file only gathers them: the rest of the code
// imports tables from here, and drizzle-kit (drizzle.config.ts) reads this one file to write migrations. The parts
// import each other directly, never this file, so that no import goes round in a circle.
export * from './schema/users.js';
export * from './schema/photos.js';
export * from './schema/pipeline.js';
export * from './schema/bookkeeping.js';
export * from './schema/analysis.js';
export * from './schema/codes.js';
export * from './schema/categories.js';
export * from './schema/people.js';
export * from './schema/search-rows.js';
export * from './schema/duplicates.js';
export * from './schema/albums.js';
export * from './schema/accounts.js';
export * from './schema/sharing.js';
export * from './schema/creation.js';
export * from './schema/in-place.js';
export * from './schema/uploads.js';
export * from './schema/stacks.js';
export * from './schema/imports.js';
export * from './schema/memories.js';
