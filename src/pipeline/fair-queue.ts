// Waiting items in turns by share (their owner): the next one is the first waiting of the share served longest ago,
// or never, so that one owner's backlog of clips cannot hold a lane against another owner's clip. In the order they
// came within a share. Pure: LocalQueue (queue.ts) keeps its background work in one; on Redis BullPhotoQueue takes
// the same turns by start-time fair queuing (queue/fair-turns.ts).

/** Shares remembered as served (beyond it the least recently served are forgotten: as if never served, the same turn). */
const REMEMBERED_SHARES = 10_000;

export class FairQueue {
  /** Items waiting, by share, the shares in the order they came to wait. */
  private readonly waiting = new Map<string, string[]>();
  /** The turn each share was last served at, least recently served first. */
  private readonly served = new Map<string, number>();
  private turn = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(id: string, share = ''): void {
    const items = this.waiting.get(share);
    if (items) items.push(id);
    else this.waiting.set(share, [id]);
    this.count++;
  }

  /** The next item: the first of the share served longest ago (ties: the share that came to wait first). */
  shift(): string | undefined {
    let next: string | undefined;
    let oldest = Infinity;
    for (const share of this.waiting.keys()) {
      const turn = this.served.get(share) ?? 0;
      if (turn < oldest) [next, oldest] = [share, turn];
    }
    if (next === undefined) return undefined;
    const items = this.waiting.get(next)!;
    const id = items.shift()!;
    if (items.length === 0) this.waiting.delete(next);
    this.count--;
    this.served.delete(next);
    this.served.set(next, ++this.turn);
    if (this.served.size > REMEMBERED_SHARES) this.served.delete(this.served.keys().next().value!);
    return id;
  }

  /** Every item waiting, share by share. */
  ids(): string[] {
    return [...this.waiting.values()].flat();
  }

  clear(): void {
    this.waiting.clear();
    this.count = 0;
  }
}
