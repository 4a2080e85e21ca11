import { describe, expect, it } from 'vitest';
import { fallbackCaption } from '../../src/ml/captions/fallback.js';

const t = (name: string, confidence: number) => ({ name, confidence });

describe('fallbackCaption', () => {
  it('lists the three most confident tags as a sentence', () => {
    const r = fallbackCaption([t('grass', 0.7), t('frisbee', 0.5), t('dog', 0.9), t('tree', 0.2)]);
    expect(r.caption).toBe('Dog, grass and frisbee');
    expect(r.tags).toEqual(['dog', 'grass', 'frisbee', 'tree']);
    expect(r).toMatchObject({
      description: null,
      primaryCategory: null,
      detectedObjects: [],
      sceneType: null,
      suggestedClusterName: null,
      qualityGrade: null,
      qualityReason: null,
      source: 'fallback',
      model: 'tags',
    });
  });

  it('reads well with one or two tags', () => {
    expect(fallbackCaption([t('dog', 0.9)]).caption).toBe('Dog');
    expect(fallbackCaption([t('beach', 0.4), t('dog', 0.9)]).caption).toBe('Dog and beach');
  });

  it('normalises and dedupes names, and ignores unusable scores', () => {
    const r = fallbackCaption([t('Golden_Retriever', 0.8), t('golden retriever', 0.6), t('  ', 0.9), t('cat', Number.NaN), t('sofa', 0)]);
    expect(r.caption).toBe('Golden retriever');
    expect(r.tags).toEqual(['golden retriever']);
  });

  it('keeps the input order among equal scores and caps tags at 15', () => {
    const many = Array.from({ length: 20 }, (_, i) => t(`tag${i}`, 0.5));
    const r = fallbackCaption(many);
    expect(r.caption).toBe('Tag0, tag1 and tag2');
    expect(r.tags).toHaveLength(15);
  });

  it('adds the place to a tag caption', () => {
    expect(fallbackCaption([t('dog', 0.9), t('beach', 0.8)], { place: 'Lisbon, Portugal' }).caption).toBe('Dog and beach in Lisbon, Portugal');
  });

  it('is neutral without tags', () => {
    expect(fallbackCaption([]).caption).toBe('Untitled photo');
    expect(fallbackCaption([], { takenAt: null, place: ' ', camera: null }).caption).toBe('Untitled photo');
    expect(fallbackCaption([]).tags).toEqual([]);
  });

  it('uses date, place and camera when there are no tags', () => {
    // A zone-less wall-clock time is read as written, not shifted by the test machine's zone.
    expect(fallbackCaption([], { takenAt: '2021-06-02T23:30:00.000' }).caption).toBe('Photo taken on 2 June 2021');
    expect(fallbackCaption([], { takenAt: '2021-06-02T23:30:00-07:00', camera: 'Canon EOS R5' }).caption).toBe('Photo taken on 2 June 2021 with Canon EOS R5');
    expect(fallbackCaption([], { takenAt: new Date('2019-12-31T12:00:00Z'), place: 'Oslo' }).caption).toBe('Photo taken in Oslo on 31 December 2019');
    expect(fallbackCaption([], { camera: 'iPhone 15 Pro' }).caption).toBe('Photo taken with iPhone 15 Pro');
    expect(fallbackCaption([], { takenAt: 'yesterday' }).caption).toBe('Untitled photo');
    expect(fallbackCaption([], { takenAt: new Date(Number.NaN) }).caption).toBe('Untitled photo');
  });

  it('is pure', () => {
    const tags = [t('b', 0.1), t('a', 0.9)];
    const copy = structuredClone(tags);
    expect(fallbackCaption(tags)).toEqual(fallbackCaption(tags));
    expect(tags).toEqual(copy);
  });
});
