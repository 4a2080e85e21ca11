import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TEST_ALLOCATOR } from '../setup/allocator-tunables.js';

// vitest.config.ts gives the test workers glibc tunables of their own; test/setup/allocator.ts keeps them out of what
// the tests start, so that servers, CLIs and memory-limited tools run with a user's allocator.
describe.runIf(process.platform === 'linux')('the test workers’ allocator settings', () => {
  // glibc parses the variable in place at start-up, its ':' turned into NULs in the process's first environment
  const raw = `\0${readFileSync('/proc/self/environ', 'latin1')}`;
  const own = [':', '\0'].some((separator) => raw.includes(`\0GLIBC_TUNABLES=${TEST_ALLOCATOR.split(':').join(separator)}\0`));
  const given = raw.split('\0').some((entry) => entry.startsWith('GLIBC_TUNABLES='));

  it('were in this worker’s environment when it started (or the run was given its own)', () => {
    expect(own || given).toBe(true);
  });

  it.runIf(own)('are not passed on to the processes the tests start', () => {
    expect(process.env.GLIBC_TUNABLES).toBeUndefined();
    expect(execFileSync('sh', ['-c', 'printf "[%s]" "$GLIBC_TUNABLES"'], { encoding: 'utf8' })).toBe('[]');
  });
});
