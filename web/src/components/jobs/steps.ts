// What the pipeline's steps are called and what each does, for people rather than for logs (the jobs page and
// the photo page's step table).

const LABELS: Record<string, string> = {
  preprocessing: 'Preprocessing',
  metadata: 'Metadata',
  hashes: 'Hashes',
  palette: 'Colour palette',
  embeddings: 'Embeddings',
  faces: 'Faces',
  objects: 'Objects',
  tags: 'Tags',
  ocr: 'Text (OCR)',
  codes: 'QR codes and barcodes',
  captions: 'Captions',
  catalogue: 'Catalogue',
  duplicates: 'Duplicates',
  transcode: 'Playable copy',
};

const HINTS: Record<string, string> = {
  preprocessing: 'decode check, dimensions, thumbnail and preview',
  metadata: 'date, camera, place, keywords (EXIF, XMP)',
  hashes: 'PDQ perceptual hash',
  palette: 'dominant colours',
  embeddings: 'CLIP image embedding for semantic search',
  faces: 'faces found and grouped into people',
  objects: 'people, animals, vehicles, food and other things found, as tags',
  tags: 'zero-shot tags and categories (CLIP)',
  ocr: 'text on signs, documents, screens',
  codes: 'QR codes and barcodes decoded into searchable text (links never opened)',
  captions: 'caption and description',
  catalogue: 'product fields, for product shots',
  duplicates: 'copies and bursts among your photos',
  transcode: 'an H.264 copy of a video browsers cannot play as it is',
};

export const stepLabel = (step: string): string => LABELS[step] ?? step;
export const stepHint = (step: string): string | null => HINTS[step] ?? null;

const FEATURES: Record<string, string> = {
  embeddings: 'image embeddings',
  'semantic-search': 'search by meaning',
  'zero-shot-tags': 'automatic tags and categories',
  'ocr-gating': 'OCR only where there is text',
  'image-search': 'search by image',
  'near-duplicates': 'near-duplicates by similarity',
  faces: 'face detection',
  people: 'people',
  ocr: 'text recognition (OCR)',
  captions: 'captions',
};

/** A feature a model enables, in words. */
export const featureLabel = (feature: string): string => FEATURES[feature] ?? feature.replace(/-/g, ' ');
