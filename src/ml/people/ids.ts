// The id order every clustering step sorts by, for people here and for automatic albums (library/albums/): one
// definition, so that ties break the same way everywhere and results do not depend on input order.

export function compareIds(a: string, b: string): number {
  // Code-unit order, not localeCompare: the same on every machine and locale.
  return a < b ? -1 : a > b ? 1 : 0;
}
