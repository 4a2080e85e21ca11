// The text-likelihood heuristic on synthetic greyscale pixels: rows of letter-like marks count, smooth or
// textured images and rows of solid blocks do not.
import { describe, expect, it } from 'vitest';

import { GLYPHS_FOR_LIKELY, TEXT_LIKELY_THRESHOLD, textLikelihoodFromPixels } from '../../src/ml/text-likely.js';

const W = 1024;
const H = 512;

function canvas(value: number): Uint8Array {
  return new Uint8Array(W * H).fill(value);
}

function rect(px: Uint8Array, x: number, y: number, w: number, h: number, value: number): void {
  for (let yy = y; yy < y + h; yy++) px.fill(value, yy * W + x, yy * W + x + w);
}

/** Letter-like marks, 8×12 px with 2 px strokes: an "o" (ring), an "l" (bar) and an "n" (arch), in turn. */
function glyph(px: Uint8Array, x: number, y: number, kind: number, ink: number, paper: number): void {
  if (kind === 1) return rect(px, x + 3, y, 2, 12, ink);
  rect(px, x, y, 8, 12, ink);
  rect(px, x + 2, y + 2, 4, kind === 0 ? 8 : 10, paper); // the arch is open at the bottom
}

/** Lines of words: 5 letters a word, 3 px between letters, 10 px between words, 24 px line pitch. */
function page(ink: number, paper: number, lines = 12): Uint8Array {
  const px = canvas(paper);
  for (let line = 0; line < lines; line++) {
    let x = 40;
    for (let k = 0; x < W - 60; k++) {
      glyph(px, x, 60 + line * 24, k % 3, ink, paper);
      x += k % 5 === 4 ? 18 : 11;
    }
  }
  return px;
}

/** Deterministic noise (xorshift), so a failure reproduces. */
function noise(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

describe('textLikelihoodFromPixels', () => {
  it('finds dark lines of letters on paper', () => {
    const result = textLikelihoodFromPixels(page(30, 230), W, H);
    expect(result.likely).toBe(true);
    expect(result.glyphs).toBeGreaterThan(200);
    expect(result.score).toBeGreaterThan(0.9);
  });

  it('joins strokes that touch only at corners: a line of one-pixel "x" letters counts', () => {
    // Each "x" is two 1 px diagonals in a 10×10 box: one mark only when pixels touching diagonally are joined.
    const px = canvas(230);
    for (let line = 0; line < 3; line++) {
      for (let k = 0; k < 40; k++) {
        const x = 40 + k * 14;
        const y = 80 + line * 30;
        for (let d = 0; d < 10; d++) {
          px[(y + d) * W + x + d] = 30;
          px[(y + d) * W + x + 9 - d] = 30;
        }
      }
    }
    const result = textLikelihoodFromPixels(px, W, H);
    expect(result.glyphs).toBeGreaterThanOrEqual(100);
    expect(result.likely).toBe(true);
  });

  it('finds light letters on a dark board', () => {
    expect(textLikelihoodFromPixels(page(220, 40), W, H).likely).toBe(true);
  });

  it('needs more than a couple of words', () => {
    // One line with 2 words: 10 marks, fewer than GLYPHS_FOR_LIKELY.
    const px = canvas(230);
    for (let k = 0; k < 10; k++) glyph(px, 100 + k * 11 + (k >= 5 ? 7 : 0), 200, k % 3, 30, 230);
    const result = textLikelihoodFromPixels(px, W, H);
    expect(result.glyphs).toBeGreaterThan(0);
    expect(result.glyphs).toBeLessThan(GLYPHS_FOR_LIKELY);
    expect(result.likely).toBe(false);
  });

  it('finds nothing in a smooth gradient', () => {
    const px = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) px[y * W + x] = Math.round((x / W) * 200 + (y / H) * 55);
    expect(textLikelihoodFromPixels(px, W, H)).toEqual({ score: 0, likely: false, glyphs: 0 });
  });

  it('finds no text in noise', () => {
    const random = noise(42);
    const px = new Uint8Array(W * H).map(() => Math.floor(random() * 256));
    expect(textLikelihoodFromPixels(px, W, H).likely).toBe(false);
  });

  it('finds no text in horizontal stripes', () => {
    const px = canvas(230);
    for (let y = 40; y < H - 40; y += 12) rect(px, 20, y, W - 40, 4, 30);
    expect(textLikelihoodFromPixels(px, W, H).glyphs).toBe(0);
  });

  it('does not take rows of solid blocks (windows, tiles) for letters', () => {
    const px = canvas(230);
    for (let y = 60; y < H - 60; y += 24) for (let x = 40; x < W - 60; x += 11) rect(px, x, y, 8, 12, 30);
    expect(textLikelihoodFromPixels(px, W, H).glyphs).toBe(0);
  });

  it('scores glyphs / (glyphs + GLYPHS_FOR_LIKELY), so the threshold sits at GLYPHS_FOR_LIKELY glyphs', () => {
    const result = textLikelihoodFromPixels(page(30, 230, 1), W, H);
    expect(result.score).toBeCloseTo(result.glyphs / (result.glyphs + GLYPHS_FOR_LIKELY), 10);
    expect(result.likely).toBe(result.score >= TEXT_LIKELY_THRESHOLD);
  });

  it('checks the buffer size', () => {
    expect(() => textLikelihoodFromPixels(new Uint8Array(10), W, H)).toThrow(RangeError);
  });
});
