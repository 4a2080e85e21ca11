// Latency figures the benchmarks report alike.

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** How many samples, their median, 95th percentile and maximum, in ms (rounded to 0.01). */
export function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { n: sorted.length, p50Ms: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(sorted.at(-1)!) };
}
