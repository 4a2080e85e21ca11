// The test photos, kept in the repository (test/corpus; each file's source and licence are in its README). The
// one place that names the folder: tests and benchmarks reach the corpus through these.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const corpusDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../corpus');
/** Photos from Immich's test assets: albums/, formats/, metadata/, problems/. */
export const assets = path.join(corpusDir, 'immich-test-assets');
/** ThreatExchange's PDQ test images and their published hashes. */
export const pdqCorpus = path.join(corpusDir, 'threatexchange-pdq');

/** A path inside the corpus, e.g. corpusPath('immich-test-assets', 'albums', 'nature'). */
export const corpusPath = (...parts: string[]): string => path.join(corpusDir, ...parts);
