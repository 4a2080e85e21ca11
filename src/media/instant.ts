/**
 * The instant a metadata date stands for, for sorting and filtering. A date with an offset is exact; a
 * wall-clock date without one is read as UTC so that it sorts where its digits say.
 */
export function instantOf(takenAt: string | null): Date | null {
  if (!takenAt) return null;
  const hasOffset = /(?:[+-]\d{2}:?\d{2}|Z)$/.test(takenAt);
  const date = new Date(hasOffset ? takenAt : `${takenAt}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}
