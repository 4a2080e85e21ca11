// A hub model's manifest (`shoebox-model.json`): the files of an install with their sizes and digests, written last so
// that its presence marks the model installed; the version recorded with results; and the checks on the files.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { open, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { ModelInstallError } from './model-catalogue.js';

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
  source: 'hub' | 'folder' | 'archive';
  /** Digest of the file list (paths + sha256): the same weights give the same digest however installed. */
  digest: string;
}

export function manifestDigest(files: readonly ManifestFile[]): string {
  const lines = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => `${f.path} ${f.size} ${f.sha256}\n`);
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
export async function writeManifest(dir: string, manifest: Omit<ModelManifest, 'digest' | 'installedAt'>): Promise<ModelManifest> {
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

/** The largest JSON file of a model that is read (and parsed whole) to check it. */
export const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

/**
 * Cheap checks that a model file is what it claims to be: JSON parses, an ONNX file is a protobuf and not a
 * Git LFS pointer (what a clone without `git lfs` leaves behind).
 */
export async function validateModelFile(file: string, relative: string): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new ModelInstallError(`${relative} is missing`);
  if (info.size === 0) throw new ModelInstallError(`${relative} is empty`);
  if (relative.endsWith('.json')) {
    // read whole to be parsed: no model's JSON (a tokenizer's is the largest, ~17 MB) comes near this
    if (info.size > MAX_MODEL_JSON_BYTES)
      throw new ModelInstallError(`${relative} is larger than ${MAX_MODEL_JSON_BYTES / 1024 / 1024} MB: not a model's JSON file`);
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
