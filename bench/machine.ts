// The machine the benchmarks run on is shared (other sessions' test suites): what it is doing, and waiting for
// it to be quiet before measuring.
import fs from 'node:fs';

const CLOCK_TICKS = 100;

/** CPU seconds the whole machine has spent busy (all processes, from /proc/stat). */
export function machineCpu(): number {
  const values = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  return (total - (values[3] ?? 0) - (values[4] ?? 0)) / CLOCK_TICKS; // minus idle and iowait
}

/** CPU seconds this process has spent. */
export function ownCpu(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/**
 * Waits (up to `maxSeconds`) until other processes use under `quietCores` over 3 s; returns how many cores
 * they used in the last 3 s. `onBusy` hears about each busy interval (for a progress line).
 */
export async function waitForQuiet(options: {
  maxSeconds: number;
  quietCores: number;
  onBusy?: (busy: number, waitedSeconds: number) => void;
}): Promise<number> {
  let busy = 0;
  for (let waited = 0; waited < options.maxSeconds; waited += 3) {
    const before = machineCpu();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    busy = (machineCpu() - before) / 3;
    if (busy < options.quietCores) break;
    options.onBusy?.(busy, waited);
  }
  return busy;
}

/** A `/proc/self/status` field in MB (VmRSS, VmHWM). */
export function procStatusMb(field: string): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
}
