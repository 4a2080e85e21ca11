// What a generation request may ask for, checked before anything is queued (pure: the API's schemas use these).
import type { ImageSize } from '../../ml/images/index.js';

/** Prompts longer than this are refused: providers cut them (DALL·E 3 at 4,000 characters) or fail. */
export const MAX_PROMPT_CHARS = 4000;
export const MAX_IMAGES_PER_REQUEST = 10;
/** Sides from 64 to 4096 pixels, multiples of 8 (latent-diffusion models work in 8-pixel blocks). */
export const MIN_SIDE = 64;
export const MAX_SIDE = 4096;
export const DEFAULT_SIZE = '1024x1024';

export interface ImageRequest {
  prompt: string;
  negativePrompt?: string | null;
  n: number;
  size: ImageSize;
  seed?: number | null;
  /** "Inspired by this photo": its id. */
  sourcePhotoId?: string | null;
  /** `edit`: image-to-image from the source photo through the provider's edits endpoint; `text`: from the prompt alone. */
  mode: 'text' | 'edit';
  /** Image-to-image: how far the result may stray from the source (0–1), where the provider takes it. */
  strength?: number | null;
}

/** `1024x1024` → {width, height}, or the reason it is not a size Shoebox asks a provider for. */
export function parseSize(text: string): ImageSize | string {
  const match = /^(\d{2,4})\s*[x×X]\s*(\d{2,4})$/.exec(text.trim());
  if (!match) return `size must be WIDTHxHEIGHT in pixels, e.g. ${DEFAULT_SIZE}`;
  const width = Number(match[1]);
  const height = Number(match[2]);
  for (const side of [width, height]) {
    if (side < MIN_SIDE || side > MAX_SIDE) return `size: each side must be from ${MIN_SIDE} to ${MAX_SIDE} pixels`;
    if (side % 8 !== 0) return 'size: each side must be a multiple of 8 pixels';
  }
  return { width, height };
}

export function formatSize(size: ImageSize): string {
  return `${size.width}x${size.height}`;
}

/** A prompt with its control characters (a NUL, an escape) taken out, spaces kept; tabs and newlines stay. */
export function cleanPrompt(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
}
