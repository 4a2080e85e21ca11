import { z } from 'zod';

// What a photo's pixels say in words: the text OCR read and the QR codes and barcodes decoded (GET /api/photos/:id).

export const pixelBox = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

export const photoOcrText = z
  .object({
    text: z.string(),
    confidence: z.number().nullable(),
    languages: z.array(z.string()),
    words: z.array(z.object({ text: z.string(), confidence: z.number(), box: pixelBox })),
  })
  .nullable();

export const photoCodeList = z
  .array(
    z.object({
      format: z
        .string()
        .describe(
          'ZXing 3’s format name: QRCode, MicroQRCode, RMQRCode, DataMatrix, Aztec, PDF417, MicroPDF417, MaxiCode, EAN13, EAN8, UPCA, UPCE, ISBN, Code128, Code39, Code93, Codabar, ITF, DataBar, DataBarExp, DataBarLtd, DXFilmEdge…',
        ),
      text: z.string().describe('as decoded, control characters taken out; a link in it is never fetched'),
      box: pixelBox.describe("the code's bounding box in the photo's upright pixels"),
    }),
  )
  .describe('QR codes and barcodes on the photo (the codes step), top to bottom');
