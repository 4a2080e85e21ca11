// The editor's crop box, in fractions of the turned image: moved or resized by a handle, kept inside the image
// and, when an aspect ratio is chosen, at that ratio (in pixels of the turned image).

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Handle = 'move' | 'nw' | 'ne' | 'sw' | 'se';

export const WHOLE: Box = { x: 0, y: 0, width: 1, height: 1 };
/** The smallest crop a side, as the server takes it (MIN_CROP). */
export const MIN_SIDE = 0.02;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** The box turned a quarter clockwise (`turns` 1) or anticlockwise (-1), with the image under it. */
export function turnBox(box: Box, turns: 1 | -1): Box {
  return turns === 1
    ? { x: 1 - box.y - box.height, y: box.x, width: box.height, height: box.width }
    : { x: box.y, y: 1 - box.x - box.width, width: box.height, height: box.width };
}

/**
 * The box after a handle moved by (dx, dy) fractions. `ratio`: width ÷ height in pixels, with `imageRatio` the
 * turned image's; null for a free crop.
 */
export function dragBox(start: Box, handle: Handle, dx: number, dy: number, ratio: number | null, imageRatio: number): Box {
  if (handle === 'move') {
    return { ...start, x: clamp(start.x + dx, 0, 1 - start.width), y: clamp(start.y + dy, 0, 1 - start.height) };
  }
  const west = handle === 'nw' || handle === 'sw';
  const north = handle === 'nw' || handle === 'ne';
  // the corner opposite the handle stays where it is
  const fixedX = west ? start.x + start.width : start.x;
  const fixedY = north ? start.y + start.height : start.y;
  let width = clamp(west ? start.width - dx : start.width + dx, MIN_SIDE, west ? fixedX : 1 - fixedX);
  let height = clamp(north ? start.height - dy : start.height + dy, MIN_SIDE, north ? fixedY : 1 - fixedY);
  if (ratio) {
    // fractions of the two sides differ in pixels: height in fractions = width × imageRatio ÷ ratio
    const room = { width: west ? fixedX : 1 - fixedX, height: north ? fixedY : 1 - fixedY };
    const byWidth = (width * imageRatio) / ratio;
    if (byWidth <= room.height) height = byWidth;
    else width = (height * ratio) / imageRatio;
    // neither side under the smallest crop: grown at the ratio as far as the room allows
    const grow = Math.max(1, MIN_SIDE / width, MIN_SIDE / height);
    const fits = Math.min(grow, room.width / width, room.height / height);
    width *= fits;
    height *= fits;
  }
  return { x: west ? fixedX - width : fixedX, y: north ? fixedY - height : fixedY, width, height };
}

/** The largest box of a ratio centred in the image (the whole image for a free crop). */
export function fitRatio(ratio: number | null, imageRatio: number): Box {
  if (!ratio) return { ...WHOLE };
  const width = Math.min(1, ratio / imageRatio);
  const height = Math.min(1, imageRatio / ratio);
  return { x: (1 - width) / 2, y: (1 - height) / 2, width, height };
}

/** Whether the box is the whole image (no crop). */
export const isWhole = (box: Box) => box.x < 1e-4 && box.y < 1e-4 && box.width > 1 - 1e-4 && box.height > 1 - 1e-4;
