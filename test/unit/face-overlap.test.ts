import { describe, expect, it } from 'vitest';
import { mergeOverlappingFaces, sameFace } from '../../src/ml/faces/overlap.js';

const face = (x: number, y: number, width: number, height: number, score: number) => ({ box: { x, y, width, height }, score });

describe('one box per face', () => {
  it('keeps the stronger of two boxes on one face, whether shifted or one inside the other', () => {
    const strong = face(100, 100, 80, 100, 0.9);
    const shifted = face(130, 110, 80, 100, 0.4); // IoU ≈ 0.4: under the SSD's 0.5, so it survived
    const head = face(80, 70, 130, 160, 0.3); // the tight box lies inside it: IoU ≈ 0.38
    expect(mergeOverlappingFaces([shifted, strong, head])).toEqual([strong]);
  });

  it('keeps faces side by side, and a small face beside a large one, in their order', () => {
    const left = face(0, 0, 100, 100, 0.5);
    const right = face(110, 0, 100, 100, 0.9);
    const child = face(205, 60, 40, 40, 0.3); // touches the right face a little: not inside it
    expect(mergeOverlappingFaces([left, right, child])).toEqual([left, right, child]);
  });

  it('takes boxes for one face from an IoU of 0.3, or 70 % of the smaller inside the larger', () => {
    expect(sameFace({ x: 0, y: 0, width: 100, height: 100 }, { x: 50, y: 0, width: 100, height: 100 })).toBe(true); // IoU 1/3
    expect(sameFace({ x: 0, y: 0, width: 100, height: 100 }, { x: 60, y: 0, width: 100, height: 100 })).toBe(false); // IoU 0.25
    expect(sameFace({ x: 0, y: 0, width: 200, height: 200 }, { x: 150, y: 150, width: 60, height: 60 })).toBe(false); // 69 % inside
    expect(sameFace({ x: 0, y: 0, width: 200, height: 200 }, { x: 140, y: 140, width: 60, height: 60 })).toBe(true); // all inside
  });
});
