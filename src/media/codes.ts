// QR codes and barcodes read from a photo's pixels with ZXing-C++ (zxing-wasm). The package fetches its .wasm from a
// CDN unless it is handed the bytes: they are read here from the installed package, so reading a code never leaves
// the machine (test/integration/egress.test.ts runs this step). Decoding is synchronous wasm (35–300 ms a photo): it
// runs in a worker thread (src/ml/codes.ts), never on the server's event loop.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { prepareZXingModule, readBarcodes, ZXING_WASM_VERSION, type ReadOutputBarcodeFormat, type ReadResult } from 'zxing-wasm/reader';

/** Part of the codes step's version: another decoder may read other codes. */
export const CODE_READER_VERSION = `zxing-wasm-${ZXING_WASM_VERSION}`;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DecodedCode {
  /** ZXing 3's format name (`ReadOutputBarcodeFormat`): QRCode, MicroQRCode, RMQRCode, EAN13, EAN8, UPCA, UPCE, Code128, DataMatrix, PDF417, Aztec… */
  format: ReadOutputBarcodeFormat;
  text: string;
  /** The code's corners' bounding box, in the pixels of the size asked for. */
  box: Box;
}

let reader: Promise<unknown> | null = null;

/**
 * The reader's module, made from the package's own .wasm file (never the CDN its default points to). zxing-wasm keeps
 * the module it made and reuses it while the overrides compare equal: fresh bytes (a new ArrayBuffer) make a new one.
 */
function loadReader(): Promise<unknown> {
  reader ??= (async () => {
    const file = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
    const bytes = await readFile(file);
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return prepareZXingModule({ overrides: { wasmBinary }, equalityFn: () => false, fireImmediately: true });
  })().catch((error: unknown) => {
    reader = null;
    throw error;
  });
  return reader;
}

function boundingBox(result: ReadResult, scaleX: number, scaleY: number, size: { width: number; height: number }): Box {
  const corners = Object.values(result.position);
  const xs = corners.map((p) => Math.min(size.width, Math.max(0, p.x * scaleX)));
  const ys = corners.map((p) => Math.min(size.height, Math.max(0, p.y * scaleY)));
  const x = Math.floor(Math.min(...xs));
  const y = Math.floor(Math.min(...ys));
  return { x, y, width: Math.ceil(Math.max(...xs)) - x, height: Math.ceil(Math.max(...ys)) - y };
}

/**
 * The codes in an image file (turned upright by its EXIF orientation), with boxes in pixels of `size` (the photo's
 * upright size, when the file is a smaller rendition of it). Every format ZXing reads; `tryHarder` finds the small
 * and slanted ones (bench/codes/run.ts measured what size each needs on the 1440 px preview).
 */
export async function decodeCodes(image: string | Buffer, size?: { width: number; height: number }): Promise<DecodedCode[]> {
  await loadReader();
  const { data, info } = await sharp(image).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const pixels = { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, colorSpace: 'srgb' };
  const results = await readBarcodes(pixels as ImageData, { tryHarder: true, maxNumberOfSymbols: 32 }).catch((error: unknown) => {
    // A trap (out of bounds, unreachable, an abort) may leave the module's memory broken: the next read makes another.
    if (error instanceof WebAssembly.RuntimeError) reader = null;
    throw error;
  });
  const target = size ?? { width: info.width, height: info.height };
  return results
    .filter((result) => result.isValid && result.text.length > 0)
    .map((result) => ({
      format: result.format,
      text: result.text,
      box: boundingBox(result, target.width / info.width, target.height / info.height, target),
    }));
}
