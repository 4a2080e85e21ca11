// Decoding a file sharp (libvips) reads: the header check, the renditions, and the stored pixels PDQ hashes, from
// one full-size decode where the image is plain 8-bit RGB or grey (see ./decode.ts for why).

import sharp, { type Metadata, type OutputInfo, type Sharp, type SharpOptions } from 'sharp';
import { checkPixelLimit, ImageDecodeError, LIMIT_INPUT_PIXELS } from './decoders/common.js';
import { isSrgbIcc, pngWithIcc } from './decoders/icc.js';
import { decodeForPdq } from './pdq-file.js';
import { encodeRenditions, PREVIEW_KERNEL, sharpError, type DecodedPhoto, type Renditions, type Sizes } from './renditions.js';
import type { RawPixels } from './types.js';

/** Lenient with the minor corruption real cameras produce, but a truncated file is an error. */
const INPUT: SharpOptions = { failOn: 'truncated', limitInputPixels: LIMIT_INPUT_PIXELS };

async function headerOf(file: string, label: string): Promise<Metadata> {
  let meta: Metadata;
  try {
    // Reading the header allocates nothing big; sharp's own limit here would hide the size in its message.
    meta = await sharp(file, { ...INPUT, limitInputPixels: false }).metadata();
  } catch (error) {
    throw sharpError(error, label);
  }
  if (!meta.width || !meta.height) throw new ImageDecodeError(`${label}: cannot decode: no image size in the header`);
  checkPixelLimit(meta.width, meta.pageHeight ?? meta.height, label);
  return meta;
}

/** The transforms that make EXIF orientation n upright (for a RAW's preview, whose own EXIF says nothing);
 * checked against sharp's autoOrient for all 8 in the tests. */
function orient(image: Sharp, orientation: number): Sharp {
  switch (orientation) {
    case 2:
      return image.flop();
    case 3:
      return image.rotate(180);
    case 4:
      return image.flip();
    // sharp mirrors before it rotates, whatever the call order: transpose (5) is mirror + 270°.
    case 5:
      return image.rotate(270).flop();
    case 6:
      return image.rotate(90);
    case 7:
      return image.rotate(90).flop();
    case 8:
      return image.rotate(270);
    default:
      return image;
  }
}

/**
 * Renditions of a file sharp reads, from a shrink-on-load decode. `orientation` given: apply it by hand and ignore
 * the file's own (a RAW's preview, a HEIC decoded upright).
 */
async function fromSharpFile(file: string, label: string, sizes: Sizes, decoder: string, orientation?: number): Promise<Renditions> {
  const meta = await headerOf(file, label);
  const storedWidth = meta.width!;
  const storedHeight = meta.pageHeight ?? meta.height!;
  let width: number;
  let height: number;
  let image: Sharp;
  if (orientation === undefined) {
    const turned = (meta.orientation ?? 1) >= 5;
    width = turned ? storedHeight : storedWidth;
    height = turned ? storedWidth : storedHeight;
    image = sharp(file, { ...INPUT, autoOrient: true });
  } else {
    const turned = orientation >= 5;
    width = turned ? storedHeight : storedWidth;
    height = turned ? storedWidth : storedHeight;
    image = orient(sharp(file, { ...INPUT, autoOrient: false }), orientation);
  }
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await image
      .resize(sizes.preview, sizes.preview, { fit: 'inside', withoutEnlargement: true, kernel: PREVIEW_KERNEL })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw sharpError(error, label);
  }
  const { thumbnail, preview } = await encodeRenditions(decoded.data, decoded.info, sizes, label);
  return { width, height, storedWidth, storedHeight, thumbnail, preview, decoder };
}

/** 8-bit RGB or grey, one page, no alpha, no palette: what one full decode serves both renditions and PDQ for. */
function isPlainImage(meta: Metadata): boolean {
  const rgb = meta.channels === 3 && (meta.space === 'srgb' || meta.space === 'rgb');
  const grey = meta.channels === 1 && meta.space === 'b-w';
  return (rgb || grey) && meta.depth === 'uchar' && !meta.isPalette && !meta.hasAlpha && (meta.pages ?? 1) === 1;
}

/**
 * Renditions and stored pixels of a file sharp reads, from one full-size decode when the image is plain 8-bit
 * RGB or grey (see isPlainImage); otherwise the renditions alone (fromSharpFile). `orientation` given: apply it
 * and ignore the file's own (a RAW's preview, a HEIC decoded upright).
 */
export async function fromSharpFileOnce(file: string, label: string, sizes: Sizes, decoder: string, orientation?: number): Promise<DecodedPhoto> {
  const meta = await headerOf(file, label);
  if (!isPlainImage(meta)) return { ...(await fromSharpFile(file, label, sizes, decoder, orientation)), stored: null };
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    // As PDQ's reference sees the file: no rotation, no colour management.
    decoded = await sharp(file, { ...INPUT, autoOrient: false, ignoreIcc: true })
      .toColourspace(meta.channels === 1 ? 'b-w' : 'srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw sharpError(error, label);
  }
  const { width: storedWidth, height: storedHeight, channels } = decoded.info;
  if (channels !== 1 && channels !== 3) throw new ImageDecodeError(`${label}: cannot decode: ${channels} channels where 1 or 3 were expected`);
  const turns = orientation ?? meta.orientation ?? 1;
  const icc = meta.icc && !isSrgbIcc(meta.icc) ? meta.icc : null;
  const { thumbnail, preview } = await renditionsFromStored(decoded, turns, icc, label, sizes);
  const turned = turns >= 5;
  return {
    width: turned ? storedHeight : storedWidth,
    height: turned ? storedWidth : storedHeight,
    storedWidth,
    storedHeight,
    thumbnail,
    preview,
    decoder,
    stored: {
      data: new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength),
      width: storedWidth,
      height: storedHeight,
      channels,
    },
  };
}

/**
 * Preview and thumbnail from full-size stored pixels: resized first, then turned upright and converted to sRGB
 * from `icc` (both much cheaper at preview size than at 12 MP).
 */
async function renditionsFromStored(
  decoded: { data: Buffer; info: OutputInfo },
  orientation: number,
  icc: Buffer | null,
  label: string,
  sizes: Sizes,
): Promise<{ thumbnail: Buffer; preview: Buffer }> {
  let upright: { data: Buffer; info: OutputInfo };
  try {
    const { width, height, channels } = decoded.info;
    const small = await sharp(decoded.data, { raw: { width, height, channels } })
      .resize(sizes.preview, sizes.preview, { fit: 'inside', withoutEnlargement: true, kernel: PREVIEW_KERNEL })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: small.info.width, height: small.info.height, channels: small.info.channels } };
    // Raw pixels cannot carry a profile: a PNG with an iCCP chunk does, and sharp converts it like any tagged file.
    const tagged = icc ? sharp(pngWithIcc(await sharp(small.data, raw).png({ compressionLevel: 0 }).toBuffer(), icc)) : sharp(small.data, raw);
    upright = await orient(tagged, orientation).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw sharpError(error, label);
  }
  return encodeRenditions(upright.data, upright.info, sizes, label);
}

/** The stored pixels of a file sharp reads, as ./pdq-file.ts decodes them for PDQ, after the header's checks. */
export async function storedViaSharp(file: string, label: string): Promise<RawPixels> {
  await headerOf(file, label);
  try {
    return await decodeForPdq(file);
  } catch (error) {
    throw sharpError(error, label);
  }
}

/** Upright size of a HEIF's primary image from its header (sharp's libheif parses the container), or null. */
export async function heifSize(file: string): Promise<{ width: number; height: number } | null> {
  try {
    const meta = await sharp(file, { ...INPUT, limitInputPixels: false }).metadata();
    return meta.width && meta.height ? { width: meta.width, height: meta.height } : null;
  } catch {
    return null;
  }
}
