// The entry of library/sharing/: what code outside library/ may use of it.
export * from './album-shares.js';
export * from './links.js';
export * from './partners.js';
export * from './users.js';
