import type { StepName } from '../state.js';
import type { PipelineStep } from '../step.js';
import { hashesStep } from './hashes.js';
import { metadataStep } from './metadata.js';
import { paletteStep } from './palette.js';
import { preprocessingStep } from './preprocessing.js';

export const PIPELINE_STEPS: Readonly<Record<StepName, PipelineStep>> = {
  preprocessing: preprocessingStep,
  metadata: metadataStep,
  hashes: hashesStep,
  palette: paletteStep,
};
