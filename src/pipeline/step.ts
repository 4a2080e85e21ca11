import type { Db } from '../db/connection.js';
import type { PhotoRow } from '../db/schema.js';
import type { LocalStorage } from '../storage/local.js';
import type { StepName } from './state.js';

export interface StepContext {
  photo: PhotoRow;
  db: Db;
  storage: LocalStorage;
  /** Absolute path of the original. */
  originalPath: string;
  /** Absolute path of the photo's XMP sidecar, if it came with one. */
  sidecarPath: string | null;
}

export type StepResult = { status: 'done' } | { status: 'skipped'; reason: string };

/** A pipeline step: idempotent, writes only its own columns or files, throws to fail. */
export interface PipelineStep {
  name: StepName;
  /** Bumped when the step's output changes, so old results can be found and redone. */
  version: string;
  run(ctx: StepContext): Promise<StepResult>;
}
