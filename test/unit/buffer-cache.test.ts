import { describe, expect, it } from 'vitest';
import { sharedBuffersMb } from '../../src/db/buffer-cache.js';

const MB = 2 ** 20;

describe("the embedded database's buffer cache", () => {
  it("holds the semantic search's pages whole with a tenth more, and an eighth of the rest", () => {
    // 100k photos: graph 260 MB + embeddings' rows 260 MB of 1,470 MB
    expect(sharedBuffersMb({ totalBytes: 1470 * MB, semanticBytes: 520 * MB })).toBe(Math.round(520 * 1.1 + 950 / 8));
    // what the semantic search reads decides, not the faces' graph beside it
    expect(sharedBuffersMb({ totalBytes: 3000 * MB, semanticBytes: 300 * MB })).toBeLessThan(
      sharedBuffersMb({ totalBytes: 1470 * MB, semanticBytes: 520 * MB }),
    );
  });

  it('takes a third of the tables and indexes before a first open has told it where the embeddings are', () => {
    expect(sharedBuffersMb({ totalBytes: 1500 * MB, semanticBytes: null })).toBe(500);
  });

  it('keeps a small library at 32 MB and a huge one at 1 GB', () => {
    expect(sharedBuffersMb({ totalBytes: 20 * MB, semanticBytes: 2 * MB })).toBe(32);
    expect(sharedBuffersMb({ totalBytes: 0, semanticBytes: null })).toBe(32);
    expect(sharedBuffersMb({ totalBytes: 20_000 * MB, semanticBytes: 5_000 * MB })).toBe(1024);
  });
});
