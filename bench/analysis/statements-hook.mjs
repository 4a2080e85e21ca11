// Counts and times every statement a process sends to its embedded database (PGlite), for the figures in
// bench/README.md ("measured since, it is not"): which statements a photo's way through the pipeline costs.
// Usage, from the repository root:
//   NODE_OPTIONS='--import ./bench/analysis/statements-hook.mjs' node bin/shoebox.js import --wait -d /tmp/lib ./photos
// At exit it writes bench/analysis/.work/statements-<pid>.tsv: count, milliseconds inside PGlite (its synchronous WASM
// call), statement (the first 140 characters), most costly first. The time is the database's own: not the wait for it.
import fs from 'node:fs';
import path from 'node:path';

const { PGlite } = await import(path.join(process.cwd(), 'node_modules/@electric-sql/pglite/dist/index.js'));
/** statement text → [count, ms] */
const seen = new Map();
let current = null;

// Every statement starts with a Parse ('P', extended protocol) or a Query ('Q', simple protocol, BEGIN and COMMIT).
const stream = PGlite.prototype.execProtocolStream;
PGlite.prototype.execProtocolStream = function (message, ...rest) {
  const kind = String.fromCharCode(message[0]);
  if (kind === 'P' || kind === 'Q') {
    const bytes = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
    // Q: int32 length, then the text; P: int32 length, the statement's name, then the text
    const start = kind === 'Q' ? 5 : bytes.indexOf(0, 5) + 1;
    const text = bytes.toString('utf8', start, bytes.indexOf(0, start)).replace(/\s+/g, ' ').trim().slice(0, 140);
    current = seen.get(text) ?? [0, 0];
    seen.set(text, current);
    current[0]++;
  }
  return stream.call(this, message, ...rest);
};
const sync = PGlite.prototype.execProtocolRawSync;
PGlite.prototype.execProtocolRawSync = function (...args) {
  const started = performance.now();
  try {
    return sync.apply(this, args);
  } finally {
    if (current) current[1] += performance.now() - started;
  }
};

process.on('exit', () => {
  if (seen.size === 0) return;
  const dir = path.join(process.cwd(), 'bench/analysis/.work');
  fs.mkdirSync(dir, { recursive: true });
  const lines = [...seen].sort((a, b) => b[1][1] - a[1][1]).map(([text, [count, ms]]) => `${count}\t${ms.toFixed(1)}\t${text}`);
  fs.writeFileSync(path.join(dir, `statements-${process.pid}.tsv`), `count\tms\tstatement\n${lines.join('\n')}\n`);
});
