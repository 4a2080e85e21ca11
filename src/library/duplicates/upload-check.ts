// The catalogue workflow: before an upload is stored, is a copy of it already in the library?
import fs, { writeFile } from 'node:fs/promises';
import { isVideoMime } from '../../model/video.js';
import { decodeStoredPixels, makeRenditions } from '../../media/decode.js';
import { instantOf } from '../../media/instant.js';
import { readMetadata } from '../../media/metadata.js';
import { pdqDihedral } from '../../media/pdq-dihedral.js';
import type { Library } from '../library.js';
import { findMatches, type DuplicateProbe } from './candidates.js';
import { thresholdsFrom } from './detect.js';
import { formatFamily } from '../../media/shot-names.js';
import { keptDespite, type CopyFacts } from './provenance.js';
import type { MatchTier } from './rules.js';

export interface ExistingCopy {
  photoId: string;
  tier: MatchTier;
  pdqDistance: number | null;
  pdqOrientation: string | null;
  similarity: number | null;
}

/**
 * Measures a file that is not stored yet as the pipeline would (PDQ of every orientation, the CLIP embedding
 * of its preview when a model is installed, camera and capture time for bursts) and returns the closest copy
 * already in the library, or null. A burst frame is not a copy: it is stored and stacked as usual; nor is a version
 * of one shot with a stored photo (an edit of a stored original, the JPEG of a stored RAW: provenance.ts), a photo
 * taken at another moment, or the original of a stored copy — an upload with the camera's make and model, its maker
 * notes, the capture time, the unedited name, or its pixels without loss or in more bits, that the copy lost (a
 * messenger's copy stored first, its camera file after; a JPEG stored first, the PNG it was made from after); and a RAW is
 * always stored (its sensor data is in no other file). More pixels alone do not make an upload the original (an
 * upscaled copy has them too): such an upload is still refused, naming the stored copy.
 */
export async function findExistingCopy(lib: Library, file: string, mime: string, filename: string): Promise<ExistingCopy | null> {
  if (formatFamily(filename, mime) === 'raw') return null;
  const thresholds = thresholdsFrom(lib.ml.settings);
  const [pixels, meta, clip] = await Promise.all([decodeStoredPixels(file, mime), readMetadata(file, { sidecar: null }).catch(() => null), lib.ml.clip()]);
  const pdq = pdqDihedral(pixels);
  const takenAt = meta?.takenAt ? instantOf(meta.takenAt) : null;
  const upload: CopyFacts = {
    id: '',
    filename,
    mime,
    width: pixels.width,
    height: pixels.height,
    takenAt,
    make: meta?.make ?? null,
    model: meta?.model ?? null,
    stackId: null,
    encoding: meta?.encoding ?? null,
    lineage: meta?.lineage ?? null,
  };
  const probe: DuplicateProbe = {
    photoId: null,
    pdq: { quality: pdq.quality, hashes: pdq.hashes },
    embedding: clip ? await embedPreview(lib, file, mime, clip.embedImage.bind(clip)) : null,
    embeddingModel: clip?.version ?? null,
    make: meta?.make ?? null,
    model: meta?.model ?? null,
    takenAt,
    video: isVideoMime(mime),
    facts: upload,
  };
  const copies = (await findMatches(lib, probe, thresholds)).filter((m) => m.classified.kind === 'duplicate' && copiedBy(m.facts, upload));
  copies.sort(
    (a, b) => (a.evidence.pdqDistance ?? Infinity) - (b.evidence.pdqDistance ?? Infinity) || (b.evidence.similarity ?? -1) - (a.evidence.similarity ?? -1),
  );
  const best = copies[0];
  if (!best) return null;
  return {
    photoId: best.evidence.photoId,
    tier: best.classified.tier,
    pdqDistance: best.evidence.pdqDistance,
    pdqOrientation: best.evidence.pdqOrientation,
    similarity: best.evidence.similarity,
  };
}

/** CLIP looks at the same upright preview the pipeline makes, so the similarity is the one a stored copy gets. */
async function embedPreview(
  lib: Library,
  file: string,
  mime: string,
  embed: (file: string) => Promise<Float32Array | undefined>,
): Promise<Float32Array | null> {
  const preview = `${lib.scratch.tempPath()}.jpg`;
  try {
    const renditions = await makeRenditions(file, mime);
    await writeFile(preview, renditions.preview);
    return (await embed(preview)) ?? null;
  } finally {
    await fs.rm(preview, { force: true });
  }
}

/** Whether the stored photo makes the upload redundant: it has all the upload has but, perhaps, its pixels (pure). */
function copiedBy(stored: CopyFacts, upload: CopyFacts): boolean {
  const reason = keptDespite(stored, upload);
  return reason === null || (reason.kind === 'has-more' && reason.what.every((mark) => mark === 'pixels' || mark === 'shot'));
}
