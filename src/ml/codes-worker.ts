// Entry of the codes worker thread: reads the QR codes and barcodes of one image a job (zxing-wasm is synchronous
// wasm, so it runs here and not on the server's event loop).
import { decodeCodes, type DecodedCode } from '../media/codes.js';
import { serveWorkerJobs } from './worker-pool.js';

export interface CodesJob {
  image: string | Uint8Array;
  size?: { width: number; height: number };
}

serveWorkerJobs<CodesJob, DecodedCode[]>(async ({ image, size }) => {
  const input = typeof image === 'string' ? image : Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  return { result: await decodeCodes(input, size) };
});
