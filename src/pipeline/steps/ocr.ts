import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { photoEmbeddings, photoOcr, type PhotoRow } from '../../db/schema.js';
import { noTextReason, ocrDetail } from '../../ml/services.js';
import { scaleOcrResult } from '../../ml/ocr-text.js';
import type { OcrResult } from '../../ml/types.js';
import { activeEdit } from '../../model/photo-edit.js';
import { TURNED_OFF } from '../../model/photo-state.js';
import type { PipelineStep } from '../step.js';
import { derivedKey } from '../../storage/keys.js';

/**
 * Text on the photo, for full-text search. OCR is slow and reads noise into photos without text, so it runs
 * only where text is likely: CLIP decides when the photo has an embedding, else a measured pixel heuristic.
 */
export const ocrStep: PipelineStep = {
  name: 'ocr',
  version: '1',
  async modelVersion(ml) {
    const engine = await ml.ocrVersion();
    return engine === TURNED_OFF ? engine : `${engine}|gate:${await ml.clipVersion()}`;
  },
  async run({ photo, db, ml, localFile, original }) {
    // turned off: text read before stays (turning it on again reads every photo recorded so: the version differs)
    const off = ml.ocrOff();
    if (off) return { status: 'skipped', reason: off };
    const preview = await localFile(derivedKey(photo.id, 'preview.jpg'));
    const [row] = await db.select({ embedding: photoEmbeddings.embedding }).from(photoEmbeddings).where(eq(photoEmbeddings.photoId, photo.id));
    const gate = await ml.textGate(preview, row ? Float32Array.from(row.embedding) : null);
    if (!gate.likely) {
      await db.delete(photoOcr).where(eq(photoOcr.photoId, photo.id));
      return { status: 'skipped', reason: noTextReason(gate) };
    }
    const ocr = await ml.ocr();
    // an edited photo is read as it is shown (its preview): the original's pixels are another frame. Word boxes are in
    // the photo's pixels (the edited image's for an edited one), as its faces' are
    const detail = activeEdit(photo.edit) ? undefined : await ocrDetail(photo.mime, original);
    const read = await ocr.recognize(preview, detail);
    const result = detail ? read : await inPhotoPixels(read, preview, photo);
    // the configured recogniser not installed: read with the bundled one, and said so on the step
    const missing = ml.ocrModelMissing();
    const done = { status: 'done', ...(missing ? { note: missing } : {}) } as const;
    if (!result.text.trim()) {
      await db.delete(photoOcr).where(eq(photoOcr.photoId, photo.id));
      return done;
    }
    const values = { text: result.text, confidence: result.confidence, words: result.words, languages: result.languages };
    await db
      .insert(photoOcr)
      .values({ photoId: photo.id, ...values })
      .onConflictDoUpdate({ target: photoOcr.photoId, set: { ...values, createdAt: new Date() } });
    return done;
  },
};

/** Boxes read on the preview, in the photo's pixels. */
async function inPhotoPixels(result: OcrResult, preview: string, photo: PhotoRow): Promise<OcrResult> {
  const { width, height } = await sharp(preview).metadata();
  if (!width || !height || !photo.width || !photo.height) return result;
  return scaleOcrResult(result, photo.width / width, photo.height / height);
}
