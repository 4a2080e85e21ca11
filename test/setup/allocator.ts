// vitest.config.ts starts the test workers with glibc tunables of their own (TEST_ALLOCATOR), which glibc has read by
// now. What the tests start (servers, CLIs, workers, decoders under a memory limit) gets the environment a user's
// would: without them.
import { TEST_ALLOCATOR } from './allocator-tunables.js';

if (process.env.GLIBC_TUNABLES === TEST_ALLOCATOR) delete process.env.GLIBC_TUNABLES;
