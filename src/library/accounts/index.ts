// The entry of library/accounts/: what code outside library/ may use of it.
export * from './accounts.js';
export * from './oidc.js';
