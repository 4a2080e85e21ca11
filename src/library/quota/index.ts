// The entry of library/quota/: what code outside library/ may use of it.
export * from './quota.js';
