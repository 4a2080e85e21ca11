// The arithmetic of the phone's gestures (web/src/lib/gestures.ts): how fast a selecting finger scrolls the grid at
// its edges, what a drag leaves selected, how far the pull-to-refresh mark follows the finger.
import { describe, expect, it } from 'vitest';
import { dragSelection, EDGE_MAX_STEP, EDGE_ZONE, edgeScrollStep, pullDistance } from '../../web/src/lib/gestures.js';

describe('edge scrolling under a selecting finger', () => {
  const [top, bottom] = [60, 780];
  it('holds still in the middle and scrolls towards the edge the finger is near', () => {
    expect(edgeScrollStep(400, top, bottom)).toBe(0);
    expect(edgeScrollStep(top + EDGE_ZONE + 1, top, bottom)).toBe(0);
    expect(edgeScrollStep(top + EDGE_ZONE / 2, top, bottom)).toBeLessThan(0);
    expect(edgeScrollStep(bottom - EDGE_ZONE / 2, top, bottom)).toBeGreaterThan(0);
  });
  it('goes faster deeper in the zone, never past its bound (a finger on the bottom bar)', () => {
    expect(edgeScrollStep(bottom - 4, top, bottom)).toBeGreaterThan(edgeScrollStep(bottom - EDGE_ZONE + 4, top, bottom));
    expect(edgeScrollStep(bottom + 60, top, bottom)).toBe(EDGE_MAX_STEP);
    expect(edgeScrollStep(0, top, bottom)).toBe(-EDGE_MAX_STEP);
  });
});

describe('a drag selection', () => {
  it('adds the covered photos to what was selected, and leaves the rest as it was', () => {
    expect([...dragSelection(new Set(['a', 'z']), ['b', 'c'], true)].sort()).toEqual(['a', 'b', 'c', 'z']);
    // shrinking back: only what the finger covers now counts
    expect([...dragSelection(new Set(['a', 'z']), ['b'], true)].sort()).toEqual(['a', 'b', 'z']);
  });
  it('begun by unselecting, unselects the covered photos', () => {
    expect([...dragSelection(new Set(['a', 'b', 'c']), ['b', 'c'], false)]).toEqual(['a']);
  });
});

it('the pull mark follows half the finger, between nothing and its furthest', () => {
  expect(pullDistance(-30, 96)).toBe(0);
  expect(pullDistance(100, 96)).toBe(50);
  expect(pullDistance(400, 96)).toBe(96);
});
