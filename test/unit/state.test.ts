import { describe, expect, it } from 'vitest';
import {
  decideStep,
  derivePhotoState,
  skipsNow,
  STEP_NAMES,
  type StepName,
  type StepStatus,
  stepsToRetry,
  withDependents,
} from '../../src/model/photo-state.js';

/** Every step with one status, then some overridden. */
const all = (status: StepStatus, overrides: Partial<Record<StepName, StepStatus>> = {}) => ({
  ...Object.fromEntries(STEP_NAMES.map((name) => [name, status])),
  ...overrides,
});

describe('derivePhotoState', () => {
  it('is pending before any step ran and processing while some ran', () => {
    expect(derivePhotoState({})).toBe('pending');
    expect(derivePhotoState({ preprocessing: 'running' })).toBe('processing');
    expect(derivePhotoState({ preprocessing: 'done', metadata: 'pending' })).toBe('processing');
  });

  it('is completed when every step is done or skipped', () => {
    expect(derivePhotoState(all('done', { palette: 'skipped', embeddings: 'skipped', tags: 'skipped' }))).toBe('completed');
    expect(derivePhotoState({ preprocessing: 'done', metadata: 'done', hashes: 'done', palette: 'skipped' })).toBe('processing');
  });

  it('is partial when a non-essential step failed, keeping the rest', () => {
    expect(derivePhotoState(all('done', { metadata: 'failed' }))).toBe('partial');
    expect(derivePhotoState(all('done', { captions: 'failed' }))).toBe('partial');
  });

  it('is failed when the file itself is unusable', () => {
    expect(derivePhotoState(all('skipped', { preprocessing: 'failed', metadata: 'done' }))).toBe('failed');
  });

  it('waits for every step before settling', () => {
    expect(derivePhotoState(all('skipped', { preprocessing: 'failed', metadata: 'pending' }))).toBe('processing');
  });

  it('finishes an item without a row for a step its library leaves out (the catalogue, creation tools off)', () => {
    const { catalogue, ...withoutCatalogue } = all('done');
    expect(catalogue).toBe('done');
    expect(derivePhotoState(withoutCatalogue)).toBe('completed');
    expect(decideStep('catalogue', withoutCatalogue)).toEqual({ action: 'none' });
    expect(skipsNow({ ...withoutCatalogue, captions: 'pending', preprocessing: 'failed' }).map((skip) => skip.step)).toEqual(['captions']);
    // any other step without its row is still to do
    const { captions, ...withoutCaptions } = all('done');
    expect(captions).toBe('done');
    expect(derivePhotoState(withoutCaptions)).toBe('processing');
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

  it('skips zero-shot tags when there is no embedding (no CLIP model)', () => {
    expect(decideStep('tags', { embeddings: 'skipped' })).toEqual({ action: 'skip', reason: 'needs embeddings, which was skipped' });
  });

  it('runs OCR and captions without CLIP: they only use its results when there are some', () => {
    expect(decideStep('ocr', { preprocessing: 'done', embeddings: 'skipped' })).toEqual({ action: 'run' });
    expect(decideStep('captions', { preprocessing: 'done', tags: 'skipped' })).toEqual({ action: 'run' });
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
    expect(stepsToRetry({ preprocessing: 'failed', metadata: 'done', hashes: 'skipped', palette: 'skipped' })).toEqual(['preprocessing', 'hashes', 'palette']);
  });

  it('reprocessing a step includes the steps that need it', () => {
    expect(withDependents('preprocessing')).toEqual([
      'preprocessing',
      'hashes',
      'palette',
      'embeddings',
      'faces',
      'objects',
      'tags',
      'ocr',
      'codes',
      'captions',
      'catalogue',
      'duplicates',
      'transcode',
    ]);
    expect(withDependents('metadata')).toEqual(['metadata', 'duplicates']);
    expect(withDependents('faces')).toEqual(['faces']);
  });

  it('a new embedding redoes the tags, the OCR decision, the caption built from the tags and what a product reads of it', () => {
    expect(withDependents('embeddings')).toEqual(['embeddings', 'tags', 'ocr', 'captions', 'catalogue', 'duplicates']);
    expect(withDependents('hashes')).toEqual(['hashes', 'duplicates']);
    expect(withDependents('tags')).toEqual(['tags', 'captions', 'catalogue']);
    expect(withDependents('palette')).toEqual(['palette', 'catalogue']);
  });
});

describe('skipsNow', () => {
  it('skips everything that needs a failed decode, through the embedding to the tags, in one look', () => {
    const skips = skipsNow({ preprocessing: 'failed', metadata: 'done', catalogue: 'pending' });
    expect(skips.map((skip) => skip.step)).toEqual([
      'hashes',
      'palette',
      'embeddings',
      'faces',
      'objects',
      'tags',
      'ocr',
      'codes',
      'captions',
      'catalogue',
      'duplicates',
      'transcode',
    ]);
    expect(skips.find((skip) => skip.step === 'captions')!.reason).toBe('needs preprocessing, which failed');
    expect(skips.find((skip) => skip.step === 'tags')!.reason).toBe('needs embeddings, which was skipped');
    const after = { preprocessing: 'failed', metadata: 'done', ...Object.fromEntries(skips.map((skip) => [skip.step, 'skipped'])) } as const;
    expect(derivePhotoState(after)).toBe('failed');
  });

  it('leaves steps that can run, wait, or are taken, and what is finished', () => {
    // a failed embedding skips the tags; OCR only used the embedding and runs; a running caption is someone's
    const steps = all('done', { embeddings: 'failed', tags: 'pending', ocr: 'pending', captions: 'running', catalogue: 'pending' });
    expect(skipsNow(steps)).toEqual([{ step: 'tags', reason: 'needs embeddings, which failed' }]);
    expect(skipsNow(all('pending'))).toEqual([]);
    expect(skipsNow(all('done'))).toEqual([]);
  });
});
