// Renditions and stored pixels from the pixels a fallback decoder (./decoders/: HEIC in WASM, JPEG XL, BMP) hands back.

import sharp, { type OutputInfo } from 'sharp';
import { checkPixelLimit, LIMIT_INPUT_PIXELS, type DecodedPixels } from './decoders/common.js';
import { pngWithIcc } from './decoders/icc.js';
import { encodeRenditions, PREVIEW_KERNEL, sharpError, type DecodedPhoto, type Renditions, type Sizes } from './renditions.js';
import type { RawPixels } from './types.js';

/** Renditions of decoded pixels, and the pixels themselves as PDQ takes them. */
export async function fromPixelsOnce(pixels: DecodedPixels, label: string, sizes: Sizes): Promise<DecodedPhoto> {
  return { ...(await fromPixels(pixels, label, sizes)), stored: toRawPixels(pixels) };
}

async function fromPixels(pixels: DecodedPixels, label: string, sizes: Sizes): Promise<Renditions> {
  const { width, height } = pixels;
  checkPixelLimit(width, height, label);
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    let image = sharp(pixels.data, { raw: { width, height, channels: pixels.channels }, limitInputPixels: LIMIT_INPUT_PIXELS });
    if (pixels.opaqueAlpha) image = image.removeAlpha();
    image = image.resize(sizes.preview, sizes.preview, { fit: 'inside', withoutEnlargement: true, kernel: PREVIEW_KERNEL });
    if (pixels.icc) {
      // Tag the reduced image with its profile so that sharp converts it to sRGB.
      const png = await image.png({ compressionLevel: 0 }).toBuffer();
      image = sharp(pngWithIcc(png, pixels.icc));
    }
    decoded = await image.toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw sharpError(error, label);
  }
  const { thumbnail, preview } = await encodeRenditions(decoded.data, decoded.info, sizes, label);
  return { width, height, storedWidth: width, storedHeight: height, thumbnail, preview, decoder: pixels.decoder };
}

/** 8-bit, alpha dropped, grey kept: the RawPixels shape PDQ takes. 16-bit samples are rounded (v / 257). */
export function toRawPixels(pixels: DecodedPixels): RawPixels {
  const { width, height, channels: inChannels, data } = pixels;
  const colour = inChannels >= 3;
  const outChannels = colour ? 3 : 1;
  const n = width * height;
  const out = new Uint8Array(n * outChannels);
  const wide = data instanceof Uint16Array;
  for (let p = 0, i = 0, o = 0; p < n; p += 1, i += inChannels) {
    for (let c = 0; c < outChannels; c += 1, o += 1) {
      const v = data[i + c]!;
      out[o] = wide ? Math.floor((v + 128) / 257) : v;
    }
  }
  return { data: out, width, height, channels: outChannels };
}
