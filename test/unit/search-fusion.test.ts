import { describe, expect, it } from 'vitest';
import { applyCutoff, DEFAULT_RRF_K, fuse, rrfTerm } from '../../src/search/fusion.js';

const ranked = (ids: string[]) => ids.map((photoId, i) => ({ photoId, rank: i + 1 }));
const semantic = (entries: [string, number][]) => entries.map(([photoId, similarity], i) => ({ photoId, similarity, rank: i + 1 }));

describe('Reciprocal Rank Fusion', () => {
  it('scores Σ 1/(k + rank) with k = 60', () => {
    expect(DEFAULT_RRF_K).toBe(60);
    const fused = fuse(
      ranked(['a', 'b']),
      semantic([
        ['b', 0.3],
        ['c', 0.2],
      ]),
    );
    const byId = Object.fromEntries(fused.map((hit) => [hit.photoId, hit]));
    expect(byId.a!.score).toBeCloseTo(1 / 61, 12);
    expect(byId.b!.score).toBeCloseTo(1 / 62 + 1 / 61, 12);
    expect(byId.c!.score).toBeCloseTo(1 / 62, 12);
    expect(byId.b).toMatchObject({ keywordRank: 2, semanticRank: 1, similarity: 0.3 });
    expect(rrfTerm(1, 10)).toBeCloseTo(1 / 11, 12);
  });

  it('puts a photo found by both arms above one that is first in only one', () => {
    const fused = fuse(
      ranked(['kw-only', 'both']),
      semantic([
        ['sem-only', 0.4],
        ['both', 0.35],
      ]),
    );
    expect(fused[0]!.photoId).toBe('both');
  });

  it('breaks ties by keyword rank, then semantic rank, then id: a total, repeatable order', () => {
    // 'x' is first in keyword, 'y' first in semantic: equal scores; keyword rank decides.
    const fused = fuse(ranked(['x']), semantic([['y', 0.3]]));
    expect(fused.map((hit) => hit.photoId)).toEqual(['x', 'y']);
    const shuffled = fuse(ranked(['m', 'n']).reverse(), semantic([]));
    expect(shuffled.map((hit) => hit.photoId)).toEqual(['m', 'n']);
    expect(
      fuse(
        [],
        semantic([
          ['b', 0.2],
          ['a', 0.2],
        ]),
      ).map((hit) => hit.photoId),
    ).toEqual(['b', 'a']);
  });

  it('puts close matches (a similar spelling) after every other hit when the words as typed found photos', () => {
    // "EOS R5": r5-a and r5-b carry the words; r6 came from the typo pass ("Canon EOS R6") and is first by meaning.
    const keyword = [
      { photoId: 'r5-a', rank: 1 },
      { photoId: 'r5-b', rank: 2 },
      { photoId: 'r6', rank: 3, fuzzy: true },
    ];
    const fused = fuse(
      keyword,
      semantic([
        ['r6', 0.4],
        ['beach', 0.39],
        ['r5-b', 0.3],
        ['r5-a', 0.2],
      ]),
    );
    // By score alone r6 (1/63 + 1/61) would lead; as a close match it goes last, even after a semantic-only hit.
    expect(fused.map((hit) => hit.photoId)).toEqual(['r5-a', 'r5-b', 'beach', 'r6']);
    expect(fused[3]!.score).toBeGreaterThan(fused[0]!.score);
    expect(fused.map((hit) => hit.closeMatch)).toEqual([false, false, false, true]);
    // When nothing matched as typed, the typo pass is the keyword arm: fused by score like any hit.
    const typoOnly = fuse(
      [{ photoId: 'r6', rank: 1, fuzzy: true }],
      semantic([
        ['beach', 0.4],
        ['r6', 0.39],
      ]),
    );
    expect(typoOnly.map((hit) => [hit.photoId, hit.closeMatch])).toEqual([
      ['r6', false],
      ['beach', false],
    ]);
  });

  it('lets k change how much the first ranks dominate', () => {
    // keyword: a first, b tenth; semantic: b second. With a small k, a's first place wins; with a large one, b's two.
    const keyword = ranked(['a', ...Array.from({ length: 8 }, (_, i) => `f${i}`), 'b']);
    const sem = semantic([
      ['g', 0.5],
      ['b', 0.4],
    ]);
    expect(fuse(keyword, sem, { k: 1 })[0]!.photoId).toBe('a');
    expect(fuse(keyword, sem, { k: 60 })[0]!.photoId).toBe('b');
  });
});

describe('the relative cutoff', () => {
  const hits = semantic([
    ['a', 0.3],
    ['b', 0.27],
    ['c', 0.24],
    ['d', 0.1],
  ]);

  it('keeps semantic hits within the ratio of the best similarity', () => {
    expect(applyCutoff(hits, new Set(), 0.8).map((hit) => hit.photoId)).toEqual(['a', 'b', 'c']);
    expect(applyCutoff(hits, new Set(), 0.95).map((hit) => hit.photoId)).toEqual(['a']);
  });

  it('never cuts a photo the keyword arm found, and 0 keeps everything', () => {
    expect(applyCutoff(hits, new Set(['d']), 0.95).map((hit) => hit.photoId)).toEqual(['a', 'd']);
    expect(applyCutoff(hits, new Set(), 0)).toHaveLength(4);
    expect(applyCutoff([], new Set(), 0.8)).toEqual([]);
  });

  it('applies inside the fusion to semantic-only hits', () => {
    const fused = fuse(ranked(['d']), hits, { cutoff: 0.9 });
    expect(fused.map((hit) => hit.photoId).sort()).toEqual(['a', 'b', 'd']);
  });
});
