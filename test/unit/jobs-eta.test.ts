import { describe, expect, it } from 'vitest';
import { estimateSeconds, MIN_FINISHED } from '../../src/library/jobs/eta.js';

const now = new Date('2026-11-25T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe('the time left, from each step’s pace', () => {
  it('is the slowest step’s backlog at its own pace (the lanes run side by side)', () => {
    // thumbnails: 40 left at 4 a second = 10 s; faces: 12 left at 1 a second = 12 s
    const rates = { preprocessing: { finished: 40, first: ago(10) }, faces: { finished: 10, first: ago(10) } };
    expect(estimateSeconds({ preprocessing: 40, faces: 12 }, rates, now)).toBe(12);
  });

  it('waits while a step with work left has no steady pace: too few runs, or all of them just now', () => {
    expect(estimateSeconds({ faces: 30 }, {}, now)).toBeNull();
    expect(estimateSeconds({ faces: 30 }, { faces: { finished: MIN_FINISHED - 1, first: ago(60) } }, now)).toBeNull();
    expect(estimateSeconds({ faces: 30 }, { faces: { finished: 20, first: ago(1) } }, now)).toBeNull();
    // a step with nothing left needs no pace
    expect(estimateSeconds({ faces: 0, ocr: 10 }, { ocr: { finished: 10, first: ago(5) } }, now)).toBe(5);
  });

  it('measures a step from its first run in the window, not from a fixed stretch (a burst a moment ago is a pace)', () => {
    // seven faces finished over the last 2.5 s: 40 more take ~14 s, not the minute a 10-second floor would promise
    expect(estimateSeconds({ faces: 40 }, { faces: { finished: 7, first: ago(2.5) } }, now)).toBe(14);
  });

  it('is null when nothing is left, and never says 0 while something is', () => {
    expect(estimateSeconds({}, { faces: { finished: 50, first: ago(10) } }, now)).toBeNull();
    expect(estimateSeconds({ faces: 1 }, { faces: { finished: 500, first: ago(10) } }, now)).toBe(1);
  });
});
