import type { StepName } from '../../model/photo-state.js';
import type { PipelineStep } from '../step.js';
import { captionsStep } from './captions.js';
import { catalogueStep } from './catalogue.js';
import { codesStep } from './codes.js';
import { duplicatesStep } from './duplicates.js';
import { embeddingsStep } from './embeddings.js';
import { facesStep } from './faces.js';
import { hashesStep } from './hashes.js';
import { metadataStep } from './metadata.js';
import { objectsStep } from './objects.js';
import { ocrStep } from './ocr.js';
import { paletteStep } from './palette.js';
import { preprocessingStep } from './preprocessing.js';
import { tagsStep } from './tags.js';
import { transcodeStep } from './transcode.js';

export const PIPELINE_STEPS: Readonly<Record<StepName, PipelineStep>> = {
  preprocessing: preprocessingStep,
  metadata: metadataStep,
  hashes: hashesStep,
  palette: paletteStep,
  embeddings: embeddingsStep,
  faces: facesStep,
  objects: objectsStep,
  tags: tagsStep,
  ocr: ocrStep,
  codes: codesStep,
  captions: captionsStep,
  catalogue: catalogueStep,
  duplicates: duplicatesStep,
  transcode: transcodeStep,
};
