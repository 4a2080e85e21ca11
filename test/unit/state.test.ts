import { describe, expect, it } from 'vitest';
import { decideStep, derivePhotoState, stepsToRetry, withDependents } from '../../src/pipeline/state.js';

describe('derivePhotoState', () => {
  it('is pending before any step ran and processing while some ran', () => {
    expect(derivePhotoState({})).toBe('pending');
    expect(derivePhotoState({ preprocessing: 'running' })).toBe('processing');
    expect(derivePhotoState({ preprocessing: 'done', metadata: 'pending' })).toBe('processing');
  });

  it('is completed when every step is done or skipped', () => {
    expect(derivePhotoState({ preprocessing: 'done', metadata: 'done', hashes: 'done', palette: 'skipped' })).toBe('completed');
  });

  it('is partial when a non-essential step failed, keeping the rest', () => {
    expect(derivePhotoState({ preprocessing: 'done', metadata: 'failed', hashes: 'done', palette: 'done' })).toBe('partial');
  });

  it('is failed when the file itself is unusable', () => {
    expect(derivePhotoState({ preprocessing: 'failed', metadata: 'done', hashes: 'skipped', palette: 'skipped' })).toBe('failed');
  });

  it('waits for every step before settling', () => {
    expect(derivePhotoState({ preprocessing: 'failed', metadata: 'pending', hashes: 'skipped', palette: 'skipped' })).toBe('processing');
  });
});

describe('decideStep', () => {
  it('runs a pending step whose requirements are done', () => {
    expect(decideStep('hashes', { preprocessing: 'done', hashes: 'pending' })).toEqual({ action: 'run' });
  });

  it('runs a step left running by a crash', () => {
    expect(decideStep('metadata', { metadata: 'running' })).toEqual({ action: 'run' });
  });

  it('skips a step whose requirement failed, saying why', () => {
    expect(decideStep('palette', { preprocessing: 'failed' })).toEqual({ action: 'skip', reason: 'needs preprocessing, which failed' });
  });

  it('waits for a requirement that has not run', () => {
    expect(decideStep('palette', { preprocessing: 'pending' })).toEqual({ action: 'wait' });
  });

  it('leaves finished steps alone', () => {
    for (const status of ['done', 'failed', 'skipped'] as const) {
      expect(decideStep('metadata', { metadata: status })).toEqual({ action: 'none' });
    }
  });
});

describe('retries and reprocessing', () => {
  it('retries failed and skipped steps only', () => {
    expect(stepsToRetry({ preprocessing: 'failed', metadata: 'done', hashes: 'skipped', palette: 'skipped' })).toEqual([
      'preprocessing',
      'hashes',
      'palette',
    ]);
  });

  it('reprocessing a step includes the steps that need it', () => {
    expect(withDependents('preprocessing')).toEqual(['preprocessing', 'hashes', 'palette']);
    expect(withDependents('metadata')).toEqual(['metadata']);
  });
});
