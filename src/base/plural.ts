// A count with its noun agreeing: "1 video", "2 videos" (a report that says "1 videos" reads as a mistake).

/** `n` and the noun for that many: `one` for exactly one, else `many` (by default `one` with an s). */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
