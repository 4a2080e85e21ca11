import { eq } from 'drizzle-orm';
import { photoCodes } from '../../db/schema.js';
import { CODE_READER_VERSION } from '../../media/codes.js';
import { codeSearchWords, keptCodeText } from '../../model/code-text.js';
import { derivedKey } from '../../storage/keys.js';
import type { PipelineStep } from '../step.js';

/**
 * QR codes and barcodes on the photo (or a clip's poster), for search and the photo page. Read on the 1440 px preview
 * preprocessing stored: a tenth of the cost of the original's pixels, and it finds a QR code from about 5 % of a 12 MP
 * photo's width (bench/codes/run.ts, docs/DECISIONS.md). Boxes are in the photo's pixels (the edited image's for an
 * edited photo, whose preview is the edited one).
 */
export const codesStep: PipelineStep = {
  name: 'codes',
  version: '1',
  modelVersion: () => Promise.resolve(CODE_READER_VERSION),
  async run({ photo, db, ml, localFile }) {
    const preview = await localFile(derivedKey(photo.id, 'preview.jpg'));
    const size = photo.width && photo.height ? { width: photo.width, height: photo.height } : undefined;
    const found = await ml.codeReader().read(preview, size); // a worker thread: the wasm never blocks the server
    const rows = found
      .map((code) => ({ ...code, text: keptCodeText(code.text) }))
      .filter((code) => code.text.trim() !== '')
      .map((code) => ({ photoId: photo.id, ownerId: photo.ownerId, format: code.format, text: code.text, words: codeSearchWords(code.text), ...code.box }));
    await db.transaction(async (tx) => {
      await tx.delete(photoCodes).where(eq(photoCodes.photoId, photo.id));
      if (rows.length > 0) await tx.insert(photoCodes).values(rows);
    });
    return { status: 'done' };
  },
};
