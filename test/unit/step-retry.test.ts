import { describe, expect, it } from 'vitest';
import { derivePhotoState, STEP_NAMES, type StepName, type StepStatus } from '../../src/model/photo-state.js';
import { isTransient, retryDelayMs, retryNote, TRANSIENT_ATTEMPTS } from '../../src/pipeline/retry.js';
import { StorageUnavailableError } from '../../src/storage/blob-store.js';

describe('steps that failed for want of a service', () => {
  it('are told apart from failures of the photo itself, also when wrapped', () => {
    expect(isTransient(new StorageUnavailableError('object storage unavailable'))).toBe(true);
    expect(isTransient(new Error('decoding failed', { cause: new StorageUnavailableError('down') }))).toBe(true);
    expect(isTransient(new Error('Input buffer contains unsupported image format'))).toBe(false);
    expect(isTransient('a string')).toBe(false);
    expect(isTransient(null)).toBe(false);
  });

  it('wait twice as long each time, an hour at most, and stop after their tries', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(TRANSIENT_ATTEMPTS - 1, 1_000_000)).toBe(3_600_000);
    expect(retryDelayMs(TRANSIENT_ATTEMPTS, 30_000)).toBeNull();
    expect(retryNote(2, 60_000)).toBe(`; trying again in 60 s (try 2 of ${TRANSIENT_ATTEMPTS})`);
    expect(retryNote(5, 480_000)).toBe(`; trying again in 8 min (try 5 of ${TRANSIENT_ATTEMPTS})`);
  });

  it('keep their photo unfinished until the retry has run', () => {
    const steps = Object.fromEntries(STEP_NAMES.map((name) => [name, 'done'])) as Record<StepName, StepStatus>;
    steps.preprocessing = 'failed';
    expect(derivePhotoState(steps)).toBe('failed');
    expect(derivePhotoState(steps, { retrying: true })).toBe('processing');
  });
});

describe('a database that went away', () => {
  it('is told apart from a query of its own fault', async () => {
    const { isDatabaseUnavailable } = await import('../../src/db/availability.js');
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('query failed', { cause: Object.assign(new Error('x'), { code: '08006' }) }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
  });
});
