// Square face thumbnails cut from the same upright image the detector saw.
import sharp from 'sharp';

import type { Box } from '../types.js';

export interface FaceThumbnailOptions {
  /** Output side in pixels. */
  size?: number;
  /** Extra room around the box on each side, as a fraction of the box's longer side. */
  margin?: number;
  /** WebP quality. */
  quality?: number;
}

/**
 * A `size`×`size` WebP of the face in `box` (upright pixels of the original, whose size is `upright`), cut from
 * `image` — the original or a smaller upright rendition of it. The square shrinks to fit inside the image near
 * an edge rather than padding.
 */
export async function cropFaceThumbnail(
  image: string | Buffer,
  box: Box,
  upright: { width: number; height: number },
  options: FaceThumbnailOptions = {},
): Promise<Buffer> {
  const { size = 160, margin = 0.3, quality = 82 } = options;
  const meta = await sharp(image).metadata();
  if (!meta.width || !meta.height) throw new Error('cropFaceThumbnail: the image has no dimensions');
  // EXIF orientations 5–8 swap the axes; `.rotate()` below applies them, so measure the upright frame.
  const swap = (meta.orientation ?? 1) >= 5;
  const width = swap ? meta.height : meta.width;
  const height = swap ? meta.width : meta.height;
  const kx = width / upright.width;
  const ky = height / upright.height;
  const cx = (box.x + box.width / 2) * kx;
  const cy = (box.y + box.height / 2) * ky;
  const wanted = Math.max(box.width * kx, box.height * ky) * (1 + 2 * margin);
  const side = Math.max(1, Math.round(Math.min(wanted, width, height)));
  const left = Math.round(Math.min(Math.max(cx - side / 2, 0), width - side));
  const top = Math.round(Math.min(Math.max(cy - side / 2, 0), height - side));
  return sharp(image).rotate().extract({ left, top, width: side, height: side }).resize(size, size).webp({ quality }).toBuffer();
}
