// Bounds on requests in flight, per process: at most `running` at once and the others waiting in order, at most
// `queue` of them; one key (a user, a share link) at most `perKey` running or waiting. Past a bound the request
// is refused at once (the caller answers 429 or 503 with Retry-After) rather than held: a request held costs a
// connection, and running many at once costs everyone else the event loop and the database.

export type Refusal = 'per-key' | 'queue';

export interface SlotLimits {
  /** Running at once; Infinity: no bound. */
  running: number;
  /** Waiting for a turn, all keys together. */
  queue: number;
  /** Running or waiting per key; 0: no bound. */
  perKey: number;
}

export class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly byKey = new Map<string, number>();

  constructor(readonly limits: SlotLimits) {}

  /** Takes a slot for `key` (waiting for a turn when all run); the function returned gives it back, once. */
  async enter(key: string): Promise<(() => void) | Refusal> {
    const mine = this.byKey.get(key) ?? 0;
    if (this.limits.perKey > 0 && mine >= this.limits.perKey) return 'per-key';
    const mustWait = this.active >= this.limits.running;
    if (mustWait && this.waiting.length >= this.limits.queue) return 'queue';
    this.byKey.set(key, mine + 1);
    if (mustWait) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.byKey.get(key) ?? 1) - 1;
      if (left > 0) this.byKey.set(key, left);
      else this.byKey.delete(key);
      // the slot passes straight to the first waiter
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }

  /** Running or waiting for `key`. */
  inFlight(key: string): number {
    return this.byKey.get(key) ?? 0;
  }
}
