// The time a library's exclusion patterns may take to match, so that no pattern set can hold a core. A scan has a
// fixed amount (SHOEBOX_LIBRARY_EXCLUDE_SECONDS) for all its paths. A watcher lives for months, so a fixed amount
// would run out on a busy folder however cheap its patterns: it has the same amount at once (its set-up, a burst
// of events) and gets what it spent back at a share of the time that passes — a pattern set that keeps matching
// faster than that runs out and is given up, any other is watched for ever.

/** The share of wall time a watcher's matching gets back: 3 s a minute, a twentieth of one core at most. */
export const WATCH_MATCH_SHARE = 0.05;

export class MatchTime {
  /** Milliseconds spent matching in all (what came back not taken off). */
  spentMs = 0;
  private leftMs: number;
  private at: number;

  /** `limitMs` at once; `share`: milliseconds given back per millisecond that passes (0: none, a scan's). */
  constructor(
    readonly limitMs: number,
    private readonly share = 0,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.leftMs = limitMs;
    this.at = now();
  }

  /** Whether the time is used up, after what came back since the last look. */
  get usedUp(): boolean {
    if (this.share > 0) {
      const now = this.now();
      this.leftMs = Math.min(this.limitMs, this.leftMs + (now - this.at) * this.share);
      this.at = now;
    }
    return this.leftMs < 0;
  }

  spend(ms: number): void {
    this.spentMs += ms;
    this.leftMs -= ms;
  }
}
