// PP-OCR's post-processing on fixed tensors: the DB detector's map to boxes, CTC decoding, words placed along a line.
import { describe, expect, it } from 'vitest';
import { ctcDecode } from '../../src/ml/paddle/ctc.js';
import { dbBoxes } from '../../src/ml/paddle/db-postprocess.js';
import { minAreaRect, rectCorners } from '../../src/ml/paddle/geometry.js';
import { lineWords, readingOrder, type ReadLine } from '../../src/ml/paddle/words.js';

/** A width × height map with `value` inside each polygon-ish predicate. */
function map(width: number, height: number, regions: { inside: (x: number, y: number) => boolean; value: number }[]): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) for (const r of regions) if (r.inside(x + 0.5, y + 0.5)) out[y * width + x] = r.value;
  }
  return out;
}

const degrees = (radians: number) => (radians * 180) / Math.PI;

describe('DB post-process', () => {
  it('turns a level line into its rectangle, grown by area × 1.5 / perimeter on each side', () => {
    const probs = map(200, 100, [{ inside: (x, y) => x >= 20 && x < 120 && y >= 40 && y < 52, value: 0.9 }]);
    const [box, ...rest] = dbBoxes(probs, 200, 100);
    expect(rest).toEqual([]);
    expect(box!.score).toBeCloseTo(0.9, 5);
    const grow = (100 * 12 * 1.5) / (2 * 112);
    expect(box!.rect.cx).toBeCloseTo(70, 5);
    expect(box!.rect.cy).toBeCloseTo(46, 5);
    expect(box!.rect.width).toBeCloseTo(100 + 2 * grow, 5);
    expect(box!.rect.height).toBeCloseTo(12 + 2 * grow, 5);
    expect(Math.abs(box!.rect.angle)).toBeLessThan(1e-9);
  });

  it('finds a slanted line at its angle, and scales boxes to the image the lines are cut from', () => {
    const angle = (25 * Math.PI) / 180;
    const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
    const inside = (x: number, y: number) => Math.abs((x - 150) * cos + (y - 100) * sin) < 90 && Math.abs(-(x - 150) * sin + (y - 100) * cos) < 8;
    const [box] = dbBoxes(map(300, 200, [{ inside, value: 0.8 }]), 300, 200, 2, 2);
    expect(degrees(box!.rect.angle)).toBeCloseTo(25, 0);
    expect(box!.rect.cx).toBeCloseTo(300, -1);
    expect(box!.rect.cy).toBeCloseTo(200, -1);
    expect(box!.rect.width).toBeGreaterThan(2 * 180);
  });

  it('keeps a column of text upright and taller than wide (a CJK sign)', () => {
    const [box] = dbBoxes(map(100, 300, [{ inside: (x, y) => x >= 40 && x < 60 && y >= 20 && y < 280, value: 0.95 }]), 100, 300);
    expect(box!.rect.height).toBeGreaterThan(box!.rect.width * 5);
    expect(Math.abs(box!.rect.angle)).toBeLessThan(1e-9);
  });

  it('drops faint regions (mean under 0.6), specks and regions thinner than 3 pixels', () => {
    const probs = map(200, 100, [
      { inside: (x, y) => x >= 10 && x < 90 && y >= 10 && y < 30, value: 0.45 },
      { inside: (x, y) => x >= 150 && x < 152 && y >= 10 && y < 12, value: 0.99 },
      { inside: (x, y) => x >= 100 && x < 190 && y >= 60 && y < 62, value: 0.99 },
    ]);
    expect(dbBoxes(probs, 200, 100)).toEqual([]);
  });

  it('refuses a map of the wrong size', () => {
    expect(() => dbBoxes(new Float32Array(10), 4, 4)).toThrow(RangeError);
  });

  it('finds the minimum-area rectangle of a rotated square', () => {
    const square = rectCorners({ cx: 10, cy: 10, width: 4, height: 4, angle: 0.3 });
    const rect = minAreaRect(square);
    expect(rect.width * rect.height).toBeCloseTo(16, 6);
    expect(rect.cx).toBeCloseTo(10, 6);
  });
});

describe('CTC decoding', () => {
  const charset = ['', 'a', 'b', ' '];
  /** One line of steps, each the probabilities of blank, a, b, space. */
  const line = (...steps: number[][]) => Float32Array.from(steps.flat());

  it('merges repeats, drops blanks, keeps a letter repeated across a blank, and says where each was read', () => {
    const probs = line([0.1, 0.8, 0.05, 0.05], [0.1, 0.7, 0.1, 0.1], [0.9, 0.05, 0.03, 0.02], [0.2, 0.6, 0.1, 0.1], [0.1, 0.1, 0.7, 0.1]);
    const [decoded] = ctcDecode(probs, 1, 5, 4, charset);
    expect(decoded!.text).toBe('aab');
    expect(decoded!.chars.map((c) => c.step)).toEqual([0, 3, 4]);
    expect(decoded!.confidence).toBeCloseTo((0.8 + 0.6 + 0.7) / 3, 6);
    expect(decoded!.steps).toBe(5);
  });

  it('remembers how likely a space was in a gap the model left blank', () => {
    const probs = line([0.1, 0.8, 0.05, 0.05], [0.6, 0.05, 0.05, 0.3], [0.1, 0.05, 0.8, 0.05]);
    const [decoded] = ctcDecode(probs, 1, 3, 4, charset);
    expect(decoded!.text).toBe('ab');
    expect(decoded!.chars[1]!.spaceBefore).toBeCloseTo(0.3, 6);
  });

  it('decodes a batch line by line, and an empty line as empty', () => {
    const probs = Float32Array.from([...[0.9, 0.05, 0.03, 0.02], ...[0.1, 0.1, 0.7, 0.1]]);
    const lines = ctcDecode(probs, 2, 1, 4, charset);
    expect(lines.map((l) => [l.text, l.confidence])).toEqual([
      ['', 0],
      ['b', expect.closeTo(0.7, 6) as unknown as number],
    ]);
    expect(() => ctcDecode(probs, 2, 1, 5, charset)).toThrow(RangeError);
  });
});

describe('words along a line', () => {
  const chars = (text: string, spaceBefore: Record<number, number> = {}) =>
    [...text].map((char, i) => ({ char, confidence: 0.9, step: i * 2, spaceBefore: spaceBefore[i] ?? 0 }));
  const read = (text: string, spaceBefore: Record<number, number> = {}): ReadLine => ({
    decoded: { text, confidence: 0.9, chars: chars(text, spaceBefore), steps: text.length * 2 },
    rect: { cx: 500, cy: 100, width: 1000, height: 50, angle: 0 },
    layout: 'line',
    stripWidth: 960,
    tensorWidth: 960,
    scaleX: 2,
    scaleY: 2,
  });

  it('splits at spaces, places each word where its characters were read, in upright pixels', () => {
    const words = lineWords(read('HOP IPA'), { width: 4000, height: 3000 });
    expect(words.map((w) => w.text)).toEqual(['HOP', 'IPA']);
    const [hop, ipa] = words;
    expect(hop!.box.x).toBe(0);
    expect(ipa!.box.x).toBeGreaterThan(hop!.box.x + hop!.box.width);
    expect(hop!.box.y).toBe(150);
    expect(hop!.box.height).toBe(100);
    expect(hop!.confidence).toBe(90);
  });

  it('splits where the model gave a space some probability in a gap it left blank, and trims edge punctuation', () => {
    expect(lineWords(read('publishpricing,', { 7: 0.3 }), { width: 4000, height: 3000 }).map((w) => w.text)).toEqual(['publish', 'pricing']);
    expect(lineWords(read('feedback', { 4: 0.09 }), { width: 4000, height: 3000 }).map((w) => w.text)).toEqual(['feedback']);
  });

  it('drops a line read with little confidence, and single Latin letters but not a single CJK character', () => {
    const poor = read('HOP');
    poor.decoded.confidence = 0.3;
    expect(lineWords(poor, { width: 4000, height: 3000 })).toEqual([]);
    expect(lineWords(read('a 番'), { width: 4000, height: 3000 }).map((w) => w.text)).toEqual(['番']);
  });

  it('orders lines top to bottom, and left to right within a row', () => {
    const at = (cx: number, cy: number) => ({ rect: { cx, cy, width: 100, height: 20, angle: 0 }, id: `${cx},${cy}` });
    expect(readingOrder([at(300, 52), at(100, 50), at(100, 100)]).map((item) => item.id)).toEqual(['100,50', '300,52', '100,100']);
  });
});
