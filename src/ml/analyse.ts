// The AI part of `shoebox inspect`: the same models and rules as the pipeline steps, on one file, without a
// library. Each part that cannot run records why in `errors`, like the steps do.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { noTextReason, ocrDetail, type MlServices } from './services.js';
import type { Box, CaptionResult, TagScore } from './types.js';
import { fallbackCaption } from './captions/index.js';
import type { DetectedObject } from './objects/index.js';
import { makeTempFolder } from '../base/process-folders.js';
import type { DecodedCode } from '../media/codes.js';
import { keptCodeText } from '../model/code-text.js';

export interface AnalysisInput {
  /** The upright JPEG preview, as the pipeline makes it. */
  preview: Buffer;
  /** Upright size of the original. */
  width: number;
  height: number;
  /** The original, read by OCR when sharp can decode it (small print needs the pixels). */
  original: string;
  mime: string;
}

export interface AnalysisResult {
  faces: { box: Box; score: number }[] | null;
  /** The objects step's finds: class, confidence, box in upright pixels of the original. */
  objects: DetectedObject[] | null;
  ocr: { text: string } | null;
  /** QR codes and barcodes, read as the codes step reads them (the preview, boxes in the original's upright pixels). */
  codes: DecodedCode[] | null;
  tags: TagScore[] | null;
  caption: CaptionResult | null;
  embedding: { model: string; dimensions: number } | null;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function analyseImage(ml: MlServices, input: AnalysisInput, errors: Record<string, string>): Promise<AnalysisResult> {
  const dir = await makeTempFolder('inspect');
  try {
    const preview = path.join(dir, 'preview.jpg');
    await writeFile(preview, input.preview);
    const result: AnalysisResult = { faces: null, objects: null, ocr: null, codes: null, tags: null, caption: null, embedding: null };

    let imageEmbedding: Float32Array | null = null;
    try {
      const clip = await ml.clip();
      if (clip) {
        imageEmbedding = await clip.embedImage(preview);
        result.embedding = { model: clip.version, dimensions: imageEmbedding.length };
        const tagger = await ml.tagger();
        result.tags = tagger ? tagger.tag(imageEmbedding) : null;
      } else {
        errors.embeddings = await ml.clipMissingReason();
        errors.tags = 'needs embeddings, which was skipped';
      }
    } catch (error) {
      errors.embeddings = message(error);
    }

    const facesOff = ml.facesOff();
    if (facesOff) errors.faces = `skipped: ${facesOff}`;
    const objectsOff = ml.objectsOff();
    if (objectsOff) errors.objects = `skipped: ${objectsOff}`;
    const upright = { width: input.width, height: input.height };
    const [faces, objects, ocr] = await Promise.all([
      facesOff
        ? null
        : ml
            .faces()
            .then((detector) => detector.detect(preview, upright))
            .then((found) => found.map((f) => ({ box: f.box, score: f.score })))
            .catch((error: unknown) => {
              errors.faces = message(error);
              return null;
            }),
      objectsOff
        ? null
        : ml
            .objects()
            .objects(preview, upright)
            .catch((error: unknown) => {
              errors.objects = message(error);
              return null;
            }),
      (async () => {
        const off = ml.ocrOff();
        if (off) {
          errors.ocr = `skipped: ${off}`;
          return null;
        }
        const gate = await ml.textGate(preview, imageEmbedding);
        if (!gate.likely) {
          errors.ocr = `skipped: ${noTextReason(gate)}`;
          return null;
        }
        const engine = await ml.ocr();
        const read = await engine.recognize(preview, await ocrDetail(input.mime, async () => input.original));
        return { text: read.text };
      })().catch((error: unknown) => {
        errors.ocr = message(error);
        return null;
      }),
    ]);
    result.faces = faces;
    result.objects = objects;
    result.ocr = ocr;
    try {
      const codes = await ml.codeReader().read(preview, { width: input.width, height: input.height });
      result.codes = codes.map((code) => ({ ...code, text: keptCodeText(code.text) }));
    } catch (error) {
      errors.codes = message(error);
    }

    try {
      const provider = ml.captionProvider();
      result.caption = provider
        ? await provider.describe({ image: preview, tags: result.tags ?? [], filename: path.basename(input.original) })
        : fallbackCaption(result.tags ?? []);
    } catch (error) {
      errors.captions = message(error);
    }
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
