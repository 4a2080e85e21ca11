// Where a zip archive's entries lie, checked before any is read, for every reader of untrusted zips (Takeout and
// iCloud imports, model archives). yauzl holds each entry to its stated sizes but not the entries apart: entries
// whose compressed data overlap (one deflate stream shared by many central-directory records, the "non-recursive zip
// bomb") each inflate to their full stated size — 626 KB unpacked to 14.8 GB. No zip tool writes such an archive.

/** What the central directory says of an entry: where its local header starts and how long its data is. */
export interface ZipEntryPlace {
  relativeOffsetOfLocalHeader: number;
  compressedSize: number;
}

/** A local file header is at least this long (its fixed part), before its name, extra field and data. */
const LOCAL_HEADER_BYTES = 30;

/**
 * Why the entries overlap (a zip bomb), or null when each one's local header and data end before the next entry
 * begins (the lower bound of its length: the name and extra field only make it longer). Pure.
 */
export function overlappingEntries(entries: readonly ZipEntryPlace[]): string | null {
  const sorted = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1]!;
    const after = sorted[i]!;
    if (before.relativeOffsetOfLocalHeader + LOCAL_HEADER_BYTES + before.compressedSize > after.relativeOffsetOfLocalHeader) {
      return `its entries overlap (the one at byte ${after.relativeOffsetOfLocalHeader} lies inside the data of the one at byte ${before.relativeOffsetOfLocalHeader}): a zip bomb`;
    }
  }
  return null;
}
