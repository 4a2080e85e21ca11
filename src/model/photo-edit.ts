// A non-destructive edit: quarter turns and a crop, kept beside the original (which never changes). The
// renditions, faces and everything read from them follow the edit; these pure functions move boxes and sizes
// between the upright original (EXIF orientation applied) and the edited image.

export type QuarterTurn = 0 | 90 | 180 | 270;

/** A box as fractions (0–1) of an image's width and height, from its top-left corner. */
export interface UnitBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PhotoEdit {
  /** Clockwise, applied to the upright original first. */
  rotate: QuarterTurn;
  /** On the turned image; null: the whole of it. */
  crop: UnitBox | null;
}

/**
 * The edit as stored: with the upright original's size, so that pixels on either side can be converted. An edit
 * taken back is kept as no turn and no crop (write-back then clears it from the sidecar); it edits nothing.
 */
export interface StoredEdit extends PhotoEdit {
  base: { width: number; height: number };
  /** What the edit before it had and it has not: write-back takes those out of the sidecar (and nothing else). */
  clears?: { orientation: boolean; crop: boolean };
}

/** The smallest crop, as a fraction of either side (a crop to a sliver is a slip of the hand). */
export const MIN_CROP = 0.02;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * The edit in its one canonical form: the turn a multiple of 90 in [0, 360), a crop inside the image and at least
 * MIN_CROP a side, a crop of the whole image as none; null when nothing is left to change.
 */
export function normaliseEdit(edit: { rotate?: number; crop?: UnitBox | null }): PhotoEdit | null {
  const turns = Math.round((edit.rotate ?? 0) / 90);
  const rotate = ((((turns % 4) + 4) % 4) * 90) as QuarterTurn;
  let crop: UnitBox | null = null;
  if (edit.crop) {
    const x = clamp(edit.crop.x, 0, 1 - MIN_CROP);
    const y = clamp(edit.crop.y, 0, 1 - MIN_CROP);
    const width = clamp(edit.crop.width, MIN_CROP, 1 - x);
    const height = clamp(edit.crop.height, MIN_CROP, 1 - y);
    crop = { x: round6(x), y: round6(y), width: round6(width), height: round6(height) };
    if (crop.x <= 1e-4 && crop.y <= 1e-4 && crop.width >= 1 - 1e-4 && crop.height >= 1 - 1e-4) crop = null;
  }
  return rotate === 0 && crop === null ? null : { rotate, crop };
}

/** The size of an image turned by a quarter turn. */
export function turnedSize(size: { width: number; height: number }, rotate: QuarterTurn): { width: number; height: number } {
  return rotate === 90 || rotate === 270 ? { width: size.height, height: size.width } : { ...size };
}

/** The crop in whole pixels of the turned image (inside it, at least one pixel a side). */
export function cropPixels(turned: { width: number; height: number }, crop: UnitBox | null): { left: number; top: number; width: number; height: number } {
  if (!crop) return { left: 0, top: 0, width: turned.width, height: turned.height };
  const left = clamp(Math.round(crop.x * turned.width), 0, turned.width - 1);
  const top = clamp(Math.round(crop.y * turned.height), 0, turned.height - 1);
  const width = clamp(Math.round(crop.width * turned.width), 1, turned.width - left);
  const height = clamp(Math.round(crop.height * turned.height), 1, turned.height - top);
  return { left, top, width, height };
}

/** The edited image's size, from the upright original's. */
export function editedSize(upright: { width: number; height: number }, edit: PhotoEdit | null): { width: number; height: number } {
  if (!edit) return { ...upright };
  const { width, height } = cropPixels(turnedSize(upright, edit.rotate), edit.crop);
  return { width, height };
}

/** A point (0–1) of the upright image turned clockwise. */
function turnPoint(x: number, y: number, rotate: QuarterTurn): [number, number] {
  switch (rotate) {
    case 90:
      return [1 - y, x];
    case 180:
      return [1 - x, 1 - y];
    case 270:
      return [y, 1 - x];
    default:
      return [x, y];
  }
}

export function turnBox(box: UnitBox, rotate: QuarterTurn): UnitBox {
  const [ax, ay] = turnPoint(box.x, box.y, rotate);
  const [bx, by] = turnPoint(box.x + box.width, box.y + box.height, rotate);
  return { x: Math.min(ax, bx), y: Math.min(ay, by), width: Math.abs(bx - ax), height: Math.abs(by - ay) };
}

export const UNDO_TURN: Record<QuarterTurn, QuarterTurn> = { 0: 0, 90: 270, 180: 180, 270: 90 };

/**
 * A box on the upright original, on the edited image: turned, then cut to the crop. Null when less than half of
 * it is left inside the crop (a face cropped away is no longer on the photo).
 */
export function toEdited(box: UnitBox, edit: PhotoEdit | null): UnitBox | null {
  if (!edit) return { ...box };
  const turned = turnBox(box, edit.rotate);
  const crop = edit.crop ?? { x: 0, y: 0, width: 1, height: 1 };
  const x0 = Math.max(turned.x, crop.x);
  const y0 = Math.max(turned.y, crop.y);
  const x1 = Math.min(turned.x + turned.width, crop.x + crop.width);
  const y1 = Math.min(turned.y + turned.height, crop.y + crop.height);
  if (x1 <= x0 || y1 <= y0 || (x1 - x0) * (y1 - y0) < 0.5 * turned.width * turned.height) return null;
  return { x: (x0 - crop.x) / crop.width, y: (y0 - crop.y) / crop.height, width: (x1 - x0) / crop.width, height: (y1 - y0) / crop.height };
}

/** A box on the edited image, on the upright original (the inverse of toEdited for a box inside the crop). */
export function fromEdited(box: UnitBox, edit: PhotoEdit | null): UnitBox {
  if (!edit) return { ...box };
  const crop = edit.crop ?? { x: 0, y: 0, width: 1, height: 1 };
  const turned = { x: crop.x + box.x * crop.width, y: crop.y + box.y * crop.height, width: box.width * crop.width, height: box.height * crop.height };
  return turnBox(turned, UNDO_TURN[edit.rotate]);
}

/** The edit that changes something, or null (none, or one taken back). */
export function activeEdit(edit: PhotoEdit | null | undefined): PhotoEdit | null {
  return edit && (edit.rotate !== 0 || edit.crop !== null) ? { rotate: edit.rotate, crop: edit.crop } : null;
}

/** Whether two edits change the image alike. */
export function sameEdit(a: PhotoEdit | null, b: PhotoEdit | null): boolean {
  if (!a || !b) return a === b;
  if (a.rotate !== b.rotate) return false;
  if (!a.crop || !b.crop) return a.crop === b.crop;
  return a.crop.x === b.crop.x && a.crop.y === b.crop.y && a.crop.width === b.crop.width && a.crop.height === b.crop.height;
}
