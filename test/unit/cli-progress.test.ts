import { describe, expect, it } from 'vitest';
import { etaText, formatDuration } from '../../src/cli/progress.js';
import { processedLine } from '../../src/cli/import.js';
import { takeoutReport, type TakeoutOutcome } from '../../src/library/takeout/import.js';
import type { TakeoutPlan } from '../../src/library/takeout/plan.js';

describe('the progress bar’s ETA', () => {
  it('says nothing before there is a pace, and what is left at the pace kept since the start', () => {
    expect(etaText(0, 100, 30)).toBe('…');
    expect(etaText(3, 100, 1)).toBe('…');
    expect(etaText(50, 100, 20)).toBe('20s');
    expect(etaText(1, 1000, 3)).toBe('49m 57s');
    expect(etaText(10, 100_000, 10)).toBe('27h 46m');
    expect(etaText(100, 100, 40)).toBe('0s');
  });

  it('keeps the pace of the whole run when photos finish in a burst', () => {
    // 90 finish in the last second of 60: the rest is 10 × 60 / 90 s away, not 10 × 1 / 90.
    expect(etaText(90, 100, 60)).toBe('7s');
  });

  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(59.6)).toBe('1m 00s');
    expect(formatDuration(3600)).toBe('1h 00m');
  });
});

describe('what an import says it did', () => {
  it("says a Live Photo's video joined its still, not that it was deleted, and counts in the singular", () => {
    expect(processedLine({ completed: 3, joined: 1 })).toBe("Processed: 3 completed, 1 Live Photo's video joined its still.");
    expect(processedLine({ completed: 1, joined: 2, deleted: 1 })).toBe(
      "Processed: 1 completed, 2 Live Photos' videos joined their stills, 1 deleted meanwhile.",
    );
    const plan: TakeoutPlan = {
      items: [],
      withoutSidecar: [],
      unusedSidecars: [],
      unusedSidecarsLeftOut: 0,
      badJson: [],
      problems: [],
      albums: [],
      notAlbums: [],
    };
    const outcome: TakeoutOutcome = {
      added: ['a', 'b'],
      videos: 1,
      alreadyThere: 0,
      copies: 0,
      failed: [],
      favourites: 0,
      trashed: 0,
      archived: 0,
      albums: [],
      withPeople: 0,
    };
    expect(takeoutReport(plan, outcome, []).split('\n')[0]).toBe('Added 2 (1 video), already in the library 0, copies in several folders 0, failed 0.');
  });
});
