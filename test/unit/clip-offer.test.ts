// Which CLIP model an admin is offered, and which one a library with no stored choice uses (model-catalogue.ts).
import { describe, expect, it } from 'vitest';
import { clipToInstall, clipToOffer, installedClip, RECOMMENDED_CLIP } from '../../src/ml/model-catalogue.js';

describe('the CLIP model offered', () => {
  it('is the recommended one (OpenCLIP LAION-2B) while no CLIP model is installed', () => {
    expect(RECOMMENDED_CLIP).toBe('clip-vit-b32-laion2b');
    expect(clipToOffer({ inUse: 'clip-vit-b32', pinned: false, installed: [] })).toBe('clip-vit-b32-laion2b');
    expect(clipToOffer({ inUse: 'clip-vit-b32', pinned: false, installed: ['faces', 'ocr-eng'] })).toBe('clip-vit-b32-laion2b');
  });

  it('is the one SHOEBOX_CLIP_MODEL pins while it is missing, whatever else is installed', () => {
    expect(clipToOffer({ inUse: 'clip-vit-b16', pinned: true, installed: [] })).toBe('clip-vit-b16');
    expect(clipToOffer({ inUse: 'clip-vit-b16', pinned: true, installed: ['clip-vit-b32-laion2b'] })).toBe('clip-vit-b16');
    expect(clipToOffer({ inUse: 'clip-vit-b16', pinned: true, installed: ['clip-vit-b16'] })).toBeNull();
  });

  it('is none once the model in use, or any CLIP model, is installed', () => {
    expect(clipToOffer({ inUse: 'clip-vit-b32', pinned: false, installed: ['clip-vit-b32'] })).toBeNull();
    expect(clipToOffer({ inUse: 'clip-vit-b32', pinned: false, installed: ['clip-multilingual'] })).toBeNull();
  });
});

describe('the CLIP model used with no choice stored', () => {
  it('is the configured one when installed, else an installed one (the recommended first), else the configured one', () => {
    expect(installedClip('clip-vit-b32', ['clip-vit-b32', 'clip-vit-b32-laion2b'])).toBe('clip-vit-b32');
    expect(installedClip('clip-vit-b32', ['clip-multilingual', 'clip-vit-b32-laion2b'])).toBe('clip-vit-b32-laion2b');
    expect(installedClip('clip-vit-b32', ['clip-multilingual'])).toBe('clip-multilingual');
    expect(installedClip('clip-vit-b32', [])).toBe('clip-vit-b32');
  });
});

describe('the CLIP model a missing-model message names', () => {
  it('is the one offered, else the one in use (a choice missing here while another CLIP model is installed)', () => {
    expect(clipToInstall({ inUse: 'clip-vit-b32', pinned: false, installed: [] })).toBe('clip-vit-b32-laion2b');
    expect(clipToInstall({ inUse: 'clip-vit-b16', pinned: true, installed: [] })).toBe('clip-vit-b16');
    expect(clipToInstall({ inUse: 'clip-vit-b16', pinned: false, installed: ['clip-multilingual'] })).toBe('clip-vit-b16');
  });
});
