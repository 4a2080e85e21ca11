/**
 * glibc's allocator in the test worker processes (vitest.config.ts; taken out of the environment of what they start by
 * test/setup/allocator.ts): a 256 MiB mmap threshold and a 512 MiB trim threshold keep freed image buffers for the
 * next image instead of handing them back to the system, and large blocks are backed by transparent huge pages.
 */
export const TEST_ALLOCATOR = ['glibc.malloc.mmap_threshold=268435456', 'glibc.malloc.trim_threshold=536870912', 'glibc.malloc.hugetlb=1'].join(':');
