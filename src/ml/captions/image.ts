import sharp from 'sharp';
import { CaptionError } from './provider.js';

/**
 * The preview as a `data:image/jpeg;base64,…` URL, fitted inside `maxSide` pixels: vision models downscale
 * anyway (most to 336–1344 px), and a smaller upload keeps requests fast and under body-size limits.
 */
export async function imageDataUrl(file: string, maxSide: number): Promise<string> {
  try {
    const jpeg = await sharp(file)
      .rotate() // honour EXIF orientation in case the preview still carries it
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 85 })
      .toBuffer();
    return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
  } catch (e) {
    throw new CaptionError('image', `Cannot read the preview ${file} for captioning: ${(e as Error).message}`, false);
  }
}
