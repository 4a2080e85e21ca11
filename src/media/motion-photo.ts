// Where the short video of a motion photo lies inside its file (Samsung "Motion photo", Google "Motion Photo" and
// its older "MicroVideo"): the still stays the file's image, the MP4 is a byte range of the same file. And what ties
// an Apple Live Photo's two files together. Pure: reads the tags ExifTool gives, and the file's size.
import type { TagBag } from './dates.js';

export interface ByteRange {
  offset: number;
  length: number;
}

const toInt = (value: unknown): number | null => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
};

/** The embedded video's bytes, or null when the file has none (or says something impossible). */
export function embeddedMotion(tags: TagBag, fileSize: number): ByteRange | null {
  const inside = (range: ByteRange | null) => (range && range.length > 8 && range.offset > 0 && range.offset + range.length <= fileSize ? range : null);
  // Samsung's trailer: "offset size" of the MotionPhoto_Data block
  if (typeof tags.EmbeddedVideoOffsetSize === 'string' && /MotionPhoto|^$/.test(String(tags.EmbeddedVideoType ?? ''))) {
    const [offset, length] = tags.EmbeddedVideoOffsetSize.trim().split(/\s+/).map(toInt);
    const found = inside(offset !== null && offset !== undefined && length !== null && length !== undefined ? { offset, length } : null);
    if (found) return found;
  }
  // Google's container directory: the MotionPhoto item is the file's last, its padding at the very end
  const directory = Array.isArray(tags.ContainerDirectory) ? (tags.ContainerDirectory as { Item?: Record<string, unknown> }[]) : [];
  const item = directory.map((entry) => entry.Item).find((entry) => entry?.Semantic === 'MotionPhoto');
  if (item) {
    const length = toInt(item.Length);
    const padding = toInt(item.Padding) ?? 0;
    if (length !== null && length > padding) {
      const found = inside({ offset: fileSize - length, length: length - padding });
      if (found) return found;
    }
  }
  // the older MicroVideo: the video is the file's last MicroVideoOffset bytes
  if (tags.MicroVideo === 1 || tags.MicroVideo === '1') {
    const fromEnd = toInt(tags.MicroVideoOffset);
    if (fromEnd !== null) return inside({ offset: fileSize - fromEnd, length: fromEnd });
  }
  return null;
}

/** Apple's burst identifier (maker notes), shared by every frame of one burst; null without one. */
export function burstIdentifier(tags: TagBag): string | null {
  const value = tags.BurstUUID;
  return typeof value === 'string' && /^[A-Za-z0-9-]{8,128}$/.test(value.trim()) ? value.trim().toUpperCase() : null;
}

/**
 * An Apple Live Photo's content identifier: the same UUID in the still's maker notes and in the MOV's QuickTime Keys
 * (`com.apple.quicktime.content.identifier`), which ExifTool both names ContentIdentifier (older versions called the
 * still's MediaGroupUUID). Null when the file has none, or something that is not an identifier.
 */
export function liveIdentifier(tags: TagBag): string | null {
  for (const name of ['ContentIdentifier', 'MediaGroupUUID']) {
    const value = tags[name];
    if (typeof value === 'string' && /^[A-Za-z0-9-]{8,128}$/.test(value.trim())) return value.trim().toUpperCase();
  }
  return null;
}
