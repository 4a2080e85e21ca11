// The pure parts of eye openness (src/ml/faces/eyes.ts): where the eyes are cropped, how the crop is sampled, and
// the openness read from the iris model's contour points. The model itself runs in test/integration/best-shot.test.ts.
import { describe, expect, it } from 'vitest';
import { eyeCrops, IRIS_INPUT_SIZE, openness, sampleCrop } from '../../src/ml/faces/eyes.js';

/** 68 landmarks with the eye corners of a face 100 px wide at (100, 100); the rest do not matter here. */
function landmarks(eyeWidth = 20): { x: number; y: number }[] {
  const points = Array.from({ length: 68 }, () => ({ x: 150, y: 150 }));
  points[36] = { x: 110, y: 120 };
  points[39] = { x: 110 + eyeWidth, y: 120 };
  points[42] = { x: 170 - eyeWidth, y: 120 };
  points[45] = { x: 170, y: 120 };
  return points;
}

describe('eye openness', () => {
  it('crops each eye as a square 2.3× its corners, the second one mirrored; too small or not 68 points: none', () => {
    const [first, second] = eyeCrops(landmarks())!;
    expect(first).toEqual({ x: 120 - 23, y: 120 - 23, side: 46, mirrored: false });
    expect(second.mirrored).toBe(true);
    expect(second.side).toBeCloseTo(46);
    expect(second.x + second.side / 2).toBeCloseTo(160);
    expect(eyeCrops(landmarks(4))).toBeNull();
    expect(eyeCrops(landmarks().slice(0, 5))).toBeNull();
  });

  it('samples the crop in 0–1, mirrored when asked, black outside the frame', () => {
    // a 4×1 image: red, green, blue, white
    const image = { data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]), width: 4, height: 1 };
    const size = IRIS_INPUT_SIZE * IRIS_INPUT_SIZE * 3;
    const plain = new Float32Array(size);
    sampleCrop(image, { x: 0, y: 0, side: 1, mirrored: false }, plain, 0);
    expect(Array.from(plain.slice(0, 3))).toEqual([1, 0, 0]);
    const mirrored = new Float32Array(size);
    sampleCrop(image, { x: 0, y: 0, side: 1, mirrored: true }, mirrored, 0);
    expect(Array.from(mirrored.slice((IRIS_INPUT_SIZE - 1) * 3, IRIS_INPUT_SIZE * 3))).toEqual([1, 0, 0]);
    const outside = new Float32Array(size);
    sampleCrop(image, { x: 10, y: 10, side: 4, mirrored: false }, outside, 0);
    expect(outside.every((v) => v === 0)).toBe(true);
  });

  it("is the lids' gap over the corners' distance", () => {
    const points = new Float32Array(71 * 3);
    const set = (i: number, x: number, y: number) => points.set([x, y, 0], i * 3);
    set(0, 10, 32);
    set(8, 54, 32);
    set(4, 32, 40); // lower lid
    set(12, 32, 26); // upper lid
    expect(openness(points)).toBeCloseTo(14 / 44);
    set(12, 32, 39);
    expect(openness(points)).toBeCloseTo(1 / 44);
  });
});
