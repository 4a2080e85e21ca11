// The pixels of a product shot: the product photo laid on the canvas the provider edits (with a mask when it is a
// cut-out, so that only the scene around it changes), the product's own pixels laid back over the result, and the
// dimensions drawn as a measured annotation. Pure image work on buffers, through sharp.
import sharp from 'sharp';
import type { ImageSize } from '../../ml/images/index.js';

/** The product takes this share of the canvas's sides: room for a scene around it, and for measurement lines. */
const PRODUCT_SHARE = 0.72;

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface ProductCanvas {
  /** What the provider edits: the product centred on the canvas (transparent around a cut-out, else white). */
  image: Buffer;
  /** For a cut-out: transparent where the scene may change, opaque on the product (the image itself). */
  mask: Buffer | null;
  /** For a cut-out: the product's pixels and where they go, laid over whatever the provider made. */
  cutout: { png: Buffer; left: number; top: number } | null;
  /** Where the product is on the canvas (its opaque pixels, or what differs from the white around it). */
  box: Box;
}

/** A photo is a cut-out when it has an alpha channel that is transparent somewhere (a PNG with the background removed). */
async function isCutout(file: string | Buffer): Promise<boolean> {
  const meta = await sharp(file).metadata();
  if (!meta.hasAlpha) return false;
  const stats = await sharp(file).stats();
  return (stats.channels[3]?.min ?? 255) < 128;
}

export async function productCanvas(file: string | Buffer, size: ImageSize): Promise<ProductCanvas> {
  const cutout = await isCutout(file);
  const fitted = await sharp(file)
    .rotate()
    .resize(Math.round(size.width * PRODUCT_SHARE), Math.round(size.height * PRODUCT_SHARE), { fit: 'inside' })
    .png()
    .toBuffer({ resolveWithObject: true });
  const left = Math.round((size.width - fitted.info.width) / 2);
  const top = Math.round((size.height - fitted.info.height) / 2);
  const background = cutout ? { r: 0, g: 0, b: 0, alpha: 0 } : { r: 255, g: 255, b: 255, alpha: 1 };
  const image = await sharp({ create: { width: size.width, height: size.height, channels: 4, background } })
    .composite([{ input: fitted.data, left, top }])
    .png()
    .toBuffer();
  if (cutout) {
    const box = await opaqueBox(image);
    return { image, mask: image, cutout: { png: fitted.data, left, top }, box };
  }
  return {
    image: await sharp(image).flatten({ background: '#ffffff' }).png().toBuffer(),
    mask: null,
    cutout: null,
    box: await contentBox(image, { left, top, width: fitted.info.width, height: fitted.info.height }),
  };
}

/**
 * A cut-out of a photo through a mask (the same scene, any size): opaque where the mask is white (or, for a mask with
 * transparency, opaque), transparent where it is black or clear, as a PNG.
 */
export async function cutOut(photo: string, mask: string): Promise<Buffer> {
  const { data, info } = await sharp(photo).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const shape = await sharp(mask).rotate().resize(info.width, info.height, { fit: 'fill' });
  const alpha = (await isCutout(mask)) ? shape.ensureAlpha().extractChannel(3) : shape.removeAlpha().greyscale();
  const channel = await alpha.raw().toBuffer();
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .joinChannel(channel, { raw: { width: info.width, height: info.height, channels: 1 } })
    .png()
    .toBuffer();
}

/** The provider's image at the canvas size, with the cut-out's own pixels laid back where they were. */
export async function layProductOver(generated: Buffer, canvas: ProductCanvas, size: ImageSize): Promise<{ data: Buffer; composited: boolean }> {
  if (!canvas.cutout) {
    // as the provider made it, unless it came in another size (a PNG encode costs as much as the rest of the shot)
    const meta = await sharp(generated).metadata();
    if (meta.width === size.width && meta.height === size.height && (meta.orientation ?? 1) === 1) return { data: generated, composited: false };
    return { data: await sharp(generated).rotate().resize(size.width, size.height, { fit: 'cover' }).png().toBuffer(), composited: false };
  }
  const base = sharp(generated).rotate().resize(size.width, size.height, { fit: 'cover' });
  const data = await base
    .composite([{ input: canvas.cutout.png, left: canvas.cutout.left, top: canvas.cutout.top }])
    .png()
    .toBuffer();
  return { data, composited: true };
}

export interface Dimensions {
  height: number;
  width: number;
  unit: 'mm' | 'cm' | 'in';
}

/** Height and width drawn beside the product: a line with end ticks along each side, labelled with the measure. */
export async function drawDimensions(image: Buffer, box: Box, dimensions: Dimensions, size: ImageSize): Promise<Buffer> {
  const gap = Math.max(10, Math.round(Math.min(size.width, size.height) * 0.03));
  const tick = Math.round(gap * 0.6);
  const font = Math.max(12, Math.round(Math.min(size.width, size.height) * 0.035));
  const stroke = Math.max(2, Math.round(font / 10));
  const clampX = (x: number) => Math.min(size.width - stroke, Math.max(stroke, x));
  const clampY = (y: number) => Math.min(size.height - stroke, Math.max(stroke, y));
  // the height line on the right of the product, or on its left when the right margin is too narrow for it and its label
  const roomRight = size.width - (box.left + box.width) >= gap + tick + font * 1.5;
  const side = clampX(roomRight ? box.left + box.width + gap : box.left - gap);
  const labelX = roomRight ? side + tick + font * 0.9 : side - tick - font * 0.4;
  const bottom = clampY(box.top + box.height + gap);
  const top = clampY(box.top);
  const left = clampX(box.left);
  const boxBottom = clampY(box.top + box.height);
  const boxRight = clampX(box.left + box.width);
  const middleY = (top + boxBottom) / 2;
  const label = (value: number) => `${Number(value.toFixed(2))} ${dimensions.unit}`;
  const colour = '#1f2937';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}">
  <g stroke="${colour}" stroke-width="${stroke}" fill="none" stroke-linecap="round">
    <line x1="${side}" y1="${top}" x2="${side}" y2="${boxBottom}"/>
    <line x1="${side - tick}" y1="${top}" x2="${side + tick}" y2="${top}"/>
    <line x1="${side - tick}" y1="${boxBottom}" x2="${side + tick}" y2="${boxBottom}"/>
    <line x1="${left}" y1="${bottom}" x2="${boxRight}" y2="${bottom}"/>
    <line x1="${left}" y1="${bottom - tick}" x2="${left}" y2="${bottom + tick}"/>
    <line x1="${boxRight}" y1="${bottom - tick}" x2="${boxRight}" y2="${bottom + tick}"/>
  </g>
  <g fill="${colour}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="${font}" text-anchor="middle">
    <text transform="translate(${labelX} ${middleY}) rotate(-90)">${escapeXml(label(dimensions.height))}</text>
    <text x="${(left + boxRight) / 2}" y="${clampY(bottom + tick + font)}">${escapeXml(label(dimensions.width))}</text>
  </g>
</svg>`;
  return sharp(image)
    .composite([{ input: Buffer.from(svg), left: 0, top: 0 }])
    .png()
    .toBuffer();
}

/** The box of the opaque pixels of an RGBA PNG. */
async function opaqueBox(png: Buffer): Promise<Box> {
  const { data, info } = await sharp(png).ensureAlpha().extractChannel(3).raw().toBuffer({ resolveWithObject: true });
  let minX = info.width;
  let minY = info.height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (data[y * info.width + x]! < 128) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (maxX < 0) return { left: 0, top: 0, width: info.width, height: info.height };
  return { left: minX, top: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/** What differs from the white around a product photographed on white (else the whole placed photo). */
async function contentBox(image: Buffer, placed: Box): Promise<Box> {
  try {
    const { info } = await sharp(image).flatten({ background: '#ffffff' }).trim({ background: '#ffffff', threshold: 40 }).toBuffer({ resolveWithObject: true });
    const left = -(info.trimOffsetLeft ?? 0);
    const top = -(info.trimOffsetTop ?? 0);
    if (info.width < 4 || info.height < 4) return placed;
    return { left, top, width: info.width, height: info.height };
  } catch {
    return placed; // nothing to trim: the photo fills its place
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
