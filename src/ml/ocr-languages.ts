// Tesseract's language data, from the `@tesseract.js-data/<lang>` npm packages: which folder holds each language,
// a check that the data is whole before tesseract.js reads it, and one folder for several languages.
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, readFile, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { errorMessage } from '../media/decoders/common.js';
import { OcrEngineError, OcrLanguageMissingError } from './ocr-errors.js';
import { makeTempFolder } from '../base/process-folders.js';

const require = createRequire(import.meta.url);

export interface LanguageData {
  code: string;
  /** Folder holding `<code>.traineddata.gz`. */
  dir: string;
  /** Package version and model variant, for `version`. */
  label: string;
}

/** LSTM-only best_int data is what tesseract.js itself downloads for the LSTM engine (3 MB for eng, not 11). */
const VARIANTS = [
  { subdir: '4.0.0_best_int', label: 'best_int' },
  { subdir: '4.0.0', label: '4.0.0' },
];

/** Where a language's data is installed (best_int first); OcrLanguageMissingError, naming the package, when it is not. */
export function resolveLanguage(code: string): LanguageData {
  if (!/^[a-z][a-z0-9_]*$/.test(code)) throw new RangeError(`"${code}" is not a tesseract language code such as eng`);
  let packageJson: string;
  try {
    packageJson = require.resolve(`@tesseract.js-data/${code}/package.json`);
  } catch {
    throw new OcrLanguageMissingError(code);
  }
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  for (const variant of VARIANTS) {
    const dir = path.join(path.dirname(packageJson), variant.subdir);
    if (existsSync(path.join(dir, `${code}.traineddata.gz`))) return { code, dir, label: `${code}-${version}-${variant.label}` };
  }
  throw new Error(`@tesseract.js-data/${code} ${version} holds no ${code}.traineddata.gz; reinstall it`);
}

/** The version of an installed npm package. */
export function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

/**
 * tesseract.js 7 crashes the whole process (an uncaught TypeError in its message handler) when Tesseract cannot
 * initialise from the language data, so damaged data is caught here first: it must unzip, and its table of
 * contents (int32 entry count, then one int64 offset per entry, −1 = absent) must fit the file.
 */
export async function checkLanguageData(l: LanguageData): Promise<void> {
  const file = path.join(l.dir, `${l.code}.traineddata.gz`);
  const damaged = (why: string): OcrEngineError => new OcrEngineError(`OCR language data ${file} is damaged (${why}): reinstall @tesseract.js-data/${l.code}`);
  let data: Buffer;
  try {
    data = await promisify(gunzip)(await readFile(file));
  } catch (error) {
    throw damaged(errorMessage(error));
  }
  const entries = data.length >= 4 ? data.readInt32LE(0) : 0;
  if (entries < 1 || entries > 64 || data.length < 4 + 8 * entries) throw damaged('no table of contents');
  let last = 4 + 8 * entries - 1;
  for (let k = 0; k < entries; k++) {
    const offset = Number(data.readBigInt64LE(4 + 8 * k));
    if (offset === -1) continue;
    if (offset <= last || offset >= data.length) throw damaged(`entry ${k} at ${offset} of ${data.length} bytes`);
    last = offset;
  }
  if (last < 4 + 8 * entries) throw damaged('no entries');
}

/**
 * tesseract.js reads every language from one `langPath`; several packages mean several folders, so they are
 * linked (copied where links are not allowed) into one temporary folder, removed on close.
 */
export async function languageFolder(languages: LanguageData[]): Promise<{ dir: string; dispose(): Promise<void> }> {
  const first = languages[0]!;
  if (languages.every((l) => l.dir === first.dir)) return { dir: first.dir, dispose: async () => {} };
  const dir = await makeTempFolder('tessdata');
  for (const l of languages) {
    const file = `${l.code}.traineddata.gz`;
    await symlink(path.join(l.dir, file), path.join(dir, file)).catch(() => copyFile(path.join(l.dir, file), path.join(dir, file)));
  }
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}
