// The editor's crop box (web/src/lib/cropGeometry.ts) as pure functions: turned with the image, dragged by a corner
// or moved, kept inside the image, at a fixed ratio in pixels, never under the smallest crop the server takes.
import { describe, expect, it } from 'vitest';
import { dragBox, fitRatio, MIN_SIDE, turnBox, WHOLE, type Box } from '../../web/src/lib/cropGeometry.js';

const inside = (box: Box) => box.x >= -1e-9 && box.y >= -1e-9 && box.x + box.width <= 1 + 1e-9 && box.y + box.height <= 1 + 1e-9;

describe('the crop box', () => {
  it('turns with the image and comes back after four turns', () => {
    const box = { x: 0.1, y: 0.2, width: 0.3, height: 0.4 };
    const close = (a: Box, b: Box) => {
      for (const key of ['x', 'y', 'width', 'height'] as const) expect(a[key], key).toBeCloseTo(b[key], 12);
    };
    close(turnBox(box, 1), { x: 0.4, y: 0.1, width: 0.4, height: 0.3 });
    let turned = box;
    for (let i = 0; i < 4; i++) turned = turnBox(turned, 1);
    close(turned, box);
    close(turnBox(turnBox(box, 1), -1), box);
  });

  it('resizes from a corner with the opposite corner fixed, and stays inside', () => {
    expect(dragBox(WHOLE, 'se', -0.5, -0.25, null, 1)).toEqual({ x: 0, y: 0, width: 0.5, height: 0.75 });
    expect(dragBox(WHOLE, 'nw', 0.25, 0.25, null, 1)).toEqual({ x: 0.25, y: 0.25, width: 0.75, height: 0.75 });
    expect(inside(dragBox({ x: 0.5, y: 0.5, width: 0.2, height: 0.2 }, 'se', 2, 2, null, 1))).toBe(true);
    expect(dragBox({ x: 0.5, y: 0.5, width: 0.2, height: 0.2 }, 'move', 1, -1, null, 1)).toEqual({ x: 0.8, y: 0, width: 0.2, height: 0.2 });
  });

  it('keeps a ratio in pixels of the turned image, never under the smallest crop', () => {
    // a portrait image (2:3): a square crop is as many pixels wide as high
    const square = fitRatio(1, 2 / 3);
    expect(square.width * 2).toBeCloseTo(square.height * 3, 9);
    // 16:9 dragged to a sliver on a portrait image: still at least MIN_SIDE a side, at 16:9, inside
    const sliver = dragBox(fitRatio(16 / 9, 2 / 3), 'se', -10, -10, 16 / 9, 2 / 3);
    expect(sliver.width).toBeGreaterThanOrEqual(MIN_SIDE - 1e-12);
    expect(sliver.height).toBeGreaterThanOrEqual(MIN_SIDE - 1e-12);
    expect((sliver.width * 2) / (sliver.height * 3)).toBeCloseTo(16 / 9, 6);
    expect(inside(sliver)).toBe(true);
  });
});
