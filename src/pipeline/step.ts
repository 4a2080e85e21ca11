import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import type { PhotoRow } from '../db/schema.js';
import type { MlServices } from '../ml/services.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { StepName } from '../model/photo-state.js';
import type { Hwaccel } from '../model/video.js';

export interface StepContext {
  /**
   * The photo's row as the lane run began: what earlier lanes wrote (dimensions, dates) is in it; what a step
   * earlier in the same lane writes is not (no step reads a column written by one of its own lane).
   */
  photo: PhotoRow;
  db: Db;
  storage: BlobStore;
  ml: MlServices;
  logger: Logger;
  /**
   * A local file with a stored blob's bytes, for tools that need a path (the stored file itself in the embedded
   * mode, a copy from object storage in a cluster); lent for the lane's run, released by the runner after it.
   */
  localFile(key: string): Promise<string>;
  /** The original, as localFile. */
  original(): Promise<string>;
  /** The photo's XMP sidecar, as localFile, if it came with one. */
  sidecar(): Promise<string | null>;
  /** Which ffmpeg runs, and how clips are made playable (settings.video). */
  video: { ffmpeg: string | null; ffprobe: string | null; maxHeight: number; hwaccel: Hwaccel; vaapiDevice: string };
  /**
   * What the steps of one lane run share (the decoded pixels: one decode for the thumbnail, the preview, PDQ and
   * the palette). Lives for one lane run; a step must work without it.
   */
  shared: Map<string, unknown>;
  /**
   * Aborted when the step is to stop: the process is stopping (the step runs again at the next start), its item was
   * deleted, or the step was reset meanwhile. A long step (a transcode) passes it on to what it runs.
   */
  signal: AbortSignal;
  /**
   * Resolves once no photo's work waits or runs ahead of this item's (at once but for background work, a video): a
   * step with many parts (a clip's frames) calls it between them, so that a photo import is not slowed down by a
   * clip's minutes of work. Rejects when `signal` aborts. The time waited does not count in the step's duration.
   */
  giveWay(): Promise<void>;
}

/**
 * A step's outcome. `redo`: steps (of this photo) whose results this one just made stale, e.g. the metadata
 * step finding other people named in the file: the runner puts them and their dependents back to pending.
 * `note`: what a step that did its work still left out (a sidecar not read, keywords past the cap), recorded as
 * the step's error text so that the photo's steps show it. `others`: other photos whose steps this one reset (a Live
 * Photo's still, given its MOV): put on the queue once the result is recorded.
 */
export type StepResult = { status: 'done'; redo?: StepName[]; note?: string; others?: string[] } | { status: 'skipped'; reason: string };

/** A pipeline step: idempotent, writes only its own columns, rows or files, throws to fail. */
export interface PipelineStep {
  name: StepName;
  /** Bumped when the step's code changes its output, so old results can be found and redone. */
  version: string;
  /**
   * The model the step would use now (`none` when it is not installed). It is part of the version recorded
   * with each result, so installing or changing a model redoes the step where it ran with another one.
   */
  modelVersion?(ml: MlServices): Promise<string>;
  run(ctx: StepContext): Promise<StepResult>;
}

/** The version recorded with a step's result: code version, plus the model's when the step uses one. */
export async function currentStepVersion(step: PipelineStep, ml: MlServices): Promise<string> {
  return step.modelVersion ? `${step.version}+${await step.modelVersion(ml)}` : step.version;
}
