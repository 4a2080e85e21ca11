// `node --import` this file: every module the process loads through the ESM loader is appended, one URL a line, to
// the file named by SHOEBOX_MODULES_LOG (test/integration/cli-quick.test.ts checks what a CLI command loads).
import { register } from 'node:module';

register('./record-modules-hooks.mjs', import.meta.url);
