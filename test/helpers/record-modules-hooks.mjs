// The loader hooks of record-modules.mjs (they run on the loader's own thread).
import fs from 'node:fs';

export async function load(url, context, nextLoad) {
  if (process.env.SHOEBOX_MODULES_LOG) fs.appendFileSync(process.env.SHOEBOX_MODULES_LOG, `${url}\n`);
  return nextLoad(url, context);
}
