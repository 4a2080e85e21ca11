// Photos with QR codes and barcodes, made for the tests: codes written with zxing-wasm's writer (its .wasm read from
// node_modules, never its CDN) and laid onto real corpus photos at a phone photo's scale, turned and slanted as a
// code held up to a camera is, and a screenshot-like PNG. Nothing generated is committed.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { prepareZXingModule, writeBarcode, type WriterOptions } from 'zxing-wasm/writer';
import { assets } from './corpus.js';

export const CODE_URL = 'https://www.lighthouse-tours.example/summer-festival/tickets?day=2';
export const CODE_EAN = '4006381333931';
export const CODE_128 = 'SHOEBOX-PARCEL-77815';
export const CODE_MATRIX = 'Locker 42, pin 9911';
/** A link that must stay text: a script URL with markup, NUL, a bell and an escape sequence in it. */
export const HOSTILE_BYTES = Buffer.from('javascript:alert(document.cookie)//\u0000\u0007\u001b[31m<img src=x onerror=alert(1)><b>bold</b>', 'latin1');
/** 4,000 characters: a QR code version 40 holds 4,296 of this alphabet. */
export const LONG_TEXT = 'ABCDEFGHIJ0123456789 '.repeat(200).slice(0, 4000);

let writer: Promise<unknown> | null = null;

/** A code as a PNG, from zxing-wasm's writer. */
export async function code(input: string | Uint8Array, options: WriterOptions): Promise<Buffer> {
  writer ??= (async () => {
    const bytes = await readFile(createRequire(import.meta.url).resolve('zxing-wasm/writer/zxing_writer.wasm'));
    return prepareZXingModule({
      overrides: { wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer },
      fireImmediately: true,
    });
  })();
  await writer;
  const written = await writeBarcode(input, options);
  if (!written.image) throw new Error(`writing ${options.format}: ${written.error}`);
  return Buffer.from(await written.image.arrayBuffer());
}

/** A code at `width` px with a white margin, turned by `degrees` and slanted a little (a code not square to the lens). */
export async function printed(png: Buffer, width: number, degrees: number): Promise<Buffer> {
  const sized = await sharp(png).resize({ width, kernel: 'nearest' }).extend({ top: 16, bottom: 16, left: 16, right: 16, background: '#ffffff' }).toBuffer();
  return sharp(sized)
    .affine([1, 0.05, 0.03, 1], { background: '#ffffff', interpolator: 'bilinear' })
    .rotate(degrees, { background: '#ffffff' })
    .png()
    .toBuffer();
}

/**
 * A 12 MP phone photo (book-beside-flowers.jpg, 3024×4032) with a QR code of a URL held at 330 px (a tenth of its
 * width) and an EAN-13 on a label: the size such codes take in a photo of a poster or a parcel. JPEG, as a camera
 * writes it. Returns the file and where the QR code was put.
 */
export async function phonePhotoWithCodes(dir: string): Promise<{ file: string; qr: { left: number; top: number; width: number } }> {
  const qr = await printed(await code(CODE_URL, { format: 'QRCode', scale: 4, ecLevel: 'M' }), 330, 7);
  const ean = await printed(await code(CODE_EAN, { format: 'EAN-13', scale: 4, withHRT: true }), 620, -4);
  const file = path.join(dir, 'poster-and-parcel.jpg');
  const placed = { left: 1900, top: 700, width: 330 };
  await sharp(path.join(assets, 'albums/text/book-beside-flowers.jpg'))
    .composite([
      { input: qr, left: placed.left, top: placed.top },
      { input: ean, left: 300, top: 3300 },
    ])
    .jpeg({ quality: 88 })
    .toFile(file);
  return { file, qr: placed };
}

/** A screenshot-like PNG (1080×1920, flat colours) with a Code 128, a Data Matrix and a QR code of the URL. */
export async function screenshotWithCodes(dir: string): Promise<string> {
  const code128 = await code(CODE_128, { format: 'Code128', scale: 3 });
  const matrix = await code(CODE_MATRIX, { format: 'DataMatrix', scale: 10 });
  const qr = await code(CODE_URL, { format: 'QRCode', scale: 8 });
  const file = path.join(dir, 'boarding-screenshot.png');
  await sharp({ create: { width: 1080, height: 1920, channels: 3, background: '#f2f4f7' } })
    .composite([
      { input: { create: { width: 1080, height: 180, channels: 3, background: '#1d4ed8' } }, left: 0, top: 0 },
      { input: await sharp(code128).resize({ width: 760, kernel: 'nearest' }).toBuffer(), left: 160, top: 420 },
      { input: await sharp(matrix).resize({ width: 320, kernel: 'nearest' }).toBuffer(), left: 380, top: 1100 },
      { input: await sharp(qr).resize({ width: 300, kernel: 'nearest' }).toBuffer(), left: 390, top: 1450 },
    ])
    .png()
    .toFile(file);
  return file;
}

/** A screenshot-like PNG with two hostile codes: control characters and a script link, and 4,000 characters. */
export async function hostileCodes(dir: string): Promise<string> {
  const script = await code(new Uint8Array(HOSTILE_BYTES), { format: 'QRCode', scale: 4 });
  const long = await code(LONG_TEXT, { format: 'QRCode', scale: 4, ecLevel: 'L' });
  const file = path.join(dir, 'hostile.png');
  await sharp({ create: { width: 1080, height: 1920, channels: 3, background: '#ffffff' } })
    .composite([
      { input: await sharp(script).resize({ width: 360, kernel: 'nearest' }).toBuffer(), left: 360, top: 120 },
      { input: await sharp(long).resize({ width: 900, kernel: 'nearest' }).toBuffer(), left: 90, top: 760 },
    ])
    .png()
    .toFile(file);
  return file;
}
