#!/usr/bin/env node
// Entry point for `npx shoebox`; the TypeScript sources are compiled to dist/ by `npm run build` (run by `npm ci`).
import { main } from '../dist/server/cli/main.js';

main(process.argv).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
  // a command that failed is over: nothing it left behind (a timer, a socket) holds the process after its message
  setTimeout(() => process.exit(), 1000).unref();
});
