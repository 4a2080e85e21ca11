import { describe, expect, it } from 'vitest';
import { bigrams, hasCjk, scriptRuns } from '../../src/search/cjk.js';

describe('CJK words for keyword search', () => {
  it('pairs the characters of a run, a single one alone', () => {
    expect(bigrams('一番搾り')).toEqual(['一番', '番搾', '搾り']);
    expect(bigrams('店')).toEqual(['店']);
    expect(bigrams('𠮷野家')).toEqual(['𠮷野', '野家']); // a character outside the BMP counts as one
  });

  it('splits a word at its script changes, and knows CJK from other letters', () => {
    expect(scriptRuns('KIRIN一番')).toEqual([
      { text: 'KIRIN', cjk: false },
      { text: '一番', cjk: true },
    ]);
    expect(scriptRuns('서울2024')).toEqual([
      { text: '서울', cjk: true },
      { text: '2024', cjk: false },
    ]);
    expect(hasCjk('café')).toBe(false);
    expect(hasCjk('キリン')).toBe(true);
    expect(hasCjk('キリン')).toBe(true); // the same answer twice (no regex state left behind)
  });
});
