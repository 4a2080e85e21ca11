// How the model engines share their use: a counting semaphore, and models let go after a while without use.

/** A counting semaphore: at most `size` holders at once, first come first served. */
export function limiter(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/**
 * Runs tasks, and calls `release` once none has run for `idleMs` (0: never) — a model's memory given back while it is
 * not used; the next task loads it again. `stop` forgets a pending release (the caller releases itself).
 */
export function releasedWhenIdle(idleMs: number, release: () => Promise<void>): { run<T>(task: () => Promise<T>): Promise<T>; stop(): void } {
  let active = 0;
  let timer: NodeJS.Timeout | undefined;
  return {
    async run(task) {
      active++;
      clearTimeout(timer);
      try {
        return await task();
      } finally {
        active--;
        if (active === 0 && idleMs > 0) {
          timer = setTimeout(() => void release(), idleMs);
          timer.unref();
        }
      }
    },
    stop() {
      clearTimeout(timer);
    },
  };
}
