// The rules of the HTTP limits (issue 59): when a body the server waits for is cut, and how many connections the
// server holds by default for the file handles the process may have.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { stallOf } from '../../src/api/body-deadlines.js';
import { defaultMaxConnections, fileHandleLimit } from '../../src/api/http-guards.js';

describe('body deadlines', () => {
  const limits = { idleMs: 60_000, totalMs: 60_000 };

  it('cuts a body idle for the idle time, an upload included', () => {
    expect(stallOf(limits, { since: 0, waited: 59_000 }, false, 59_999)).toBeNull();
    expect(stallOf(limits, { since: 0, waited: 1_000 }, true, 60_000)).toBe('no bytes for 60 s');
  });

  it('cuts a trickling body after its total time waited, but never an upload whose bytes keep coming', () => {
    expect(stallOf(limits, { since: 3_599_000, waited: 60_000 }, false, 3_600_000)).toBe("the request's body did not arrive whole within 60 s");
    expect(stallOf(limits, { since: 3_599_000, waited: 3_599_000 }, true, 3_600_000)).toBeNull();
  });
});

describe('connections held by default', () => {
  it('leaves a quarter of the file handles, at least 256, to the rest of the process, and holds at most 10,000', () => {
    expect(defaultMaxConnections(1024)).toBe(768);
    expect(defaultMaxConnections(4096)).toBe(3072);
    expect(defaultMaxConnections(20_000)).toBe(10_000);
    expect(defaultMaxConnections(Infinity)).toBe(10_000);
    expect(defaultMaxConnections(null)).toBe(768); // unknown: taken as the common 1,024
    expect(defaultMaxConnections(256)).toBe(64);
  });

  it("reads the process's limit (as a shell of it says)", () => {
    const shell = execFileSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    expect(String(fileHandleLimit())).toBe(shell === 'unlimited' ? 'Infinity' : shell);
  });
});
