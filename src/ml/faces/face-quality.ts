// Whether a detected face is in focus, measured on the grey levels inside its box: a pure function, no I/O. The
// best shot of a stack or a duplicate group reads it (library/best-shot/score.ts).
import { rectSharpness } from '../../media/image-quality.js';
import type { Box } from '../types.js';

/**
 * RMS Laplacian (grey levels) of the inner face — eyes, nose and mouth, not the hair and background at the box's
 * edges — on a grey image; `box` in that image's pixels.
 */
export function faceSharpness(grey: Uint8Array, width: number, height: number, box: Box): number {
  const inner = { x0: box.x + box.width * 0.2, y0: box.y + box.height * 0.2, x1: box.x + box.width * 0.8, y1: box.y + box.height * 0.85 };
  return rectSharpness(grey, width, height, inner);
}
