// The models a library uses, loaded lazily, once, and shared by every pipeline step and request.
// A model that is not installed gives `null` (its steps are skipped with the reason); installing it later
// is noticed on the next call, without a restart.
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import type { MlSettings } from '../config/settings.js';
import { ImageDecodeError } from '../media/decoders/common.js';
import { createCaptionProvider, type CaptionProvider } from './captions/index.js';
import { createFaceDetector, cropFaceThumbnail, type FaceDetectorPool } from './faces/index.js';
import { createOcr, type Ocr } from './ocr.js';
import { GATE_BOXES } from './paddle/detector.js';
import { bundledPaddleModels, DEFAULT_OCR_MODEL, hubPaddleModels, type PaddleModelFiles } from './paddle/models.js';
import { createPaddleThreads, type PaddleThreads } from './paddle/threaded.js';
import type { ClusteringParams } from './people/params.js';
import { clipToInstall, modelDir, modelsDir, MODELS, type ModelKind } from './model-catalogue.js';
import { installedVersion, isInstalled } from './registry.js';
import { loadTagMatrix } from './tags/tag-embeddings.js';
import { embedTextPrompts, textLikelyFromClip } from './tags/text-gate.js';
import { zeroShotTags, type TagMatrix } from './tags/zero-shot.js';
import { textLikelihood, TEXT_LIKELY_THRESHOLD } from './text-likely.js';
import type { Box, ClipModel, TagScore } from './types.js';
import { createCodeReader, type CodeReader } from './codes.js';
import { TURNED_OFF, type StepName } from '../model/photo-state.js';

export interface Tagger {
  tag(imageEmbedding: Float32Array): TagScore[];
}

export interface TextGateDecision {
  likely: boolean;
  score: number;
  threshold: number;
  method: 'clip' | 'detector' | 'pixels';
}

/** Why OCR did not run, as the step records it and `inspect` reports it. */
export function noTextReason(gate: TextGateDecision): string {
  return `no text expected (${gate.method} score ${gate.score.toFixed(3)} below ${gate.threshold})`;
}

/** Types sharp reads directly: OCR may read small print from those originals; others are read from the preview. */
const SHARP_READABLE = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/tiff', 'image/gif', 'image/avif']);

/** The original OCR may read small print from (Ocr.recognize's `detail`); asked for only then (it may be fetched). */
export async function ocrDetail(mime: string, original: () => Promise<string>): Promise<string | undefined> {
  return SHARP_READABLE.has(mime) ? original() : undefined;
}

/** Loads once; a failed load is forgotten so the next call tries again (a model may be installed meanwhile). */
function once<T>(load: () => Promise<T>): { get(): Promise<T>; peek(): Promise<T> | null; reset(): void } {
  let pending: Promise<T> | null = null;
  return {
    get() {
      pending ??= load().catch((error: unknown) => {
        pending = null;
        throw error;
      });
      return pending;
    },
    peek: () => pending,
    reset() {
      pending = null;
    },
  };
}

export class MlServices {
  private readonly clipLoader = once(() => this.loadClipModel());
  private readonly tagLoader = once(() => this.loadTagger());
  private readonly gateLoader = once(async () => {
    const clip = await this.clip();
    return clip ? { clip, prompts: await embedTextPrompts(clip) } : null;
  });
  private facePool: FaceDetectorPool | null = null;
  private ocrEngine: { engine: Ocr; models: string } | null = null;
  /** The configured recogniser, when the last `ocr()` found it not installed. */
  private ocrMissing: string | null = null;
  private paddle: PaddleThreads | null = null;
  private codes: CodeReader | null = null;
  private caption: CaptionProvider | null | undefined;

  constructor(
    readonly dataDir: string,
    readonly settings: MlSettings,
    private readonly logger: Logger,
  ) {}

  get modelsDir(): string {
    return modelsDir(this.dataDir);
  }

  // --- CLIP ---------------------------------------------------------------------------------------------

  /** The CLIP model in use: SHOEBOX_CLIP_MODEL, or the one an admin chose (app/clip-choice.ts). */
  get clipModelName(): string {
    return this.settings.clipModel;
  }

  /**
   * Uses another CLIP model from now on (the settings' name changes with it, for every reader). The one loaded,
   * and the tag vocabulary embedded with it, are let go; steps already running with it may finish first, so it is
   * closed only after `graceMs`.
   */
  useClipModel(name: string, graceMs = 60_000): void {
    if (name === this.settings.clipModel) return;
    this.settings.clipModel = name;
    const previous = this.clipLoader.peek();
    this.clipLoader.reset();
    this.tagLoader.reset();
    this.gateLoader.reset();
    if (!previous) return;
    this.retire(() => previous.then((clip) => clip?.close()), graceMs);
  }

  /** Models let go by a switch, closed once the steps still using them are done (`close` does it at once). */
  private readonly retiring = new Map<NodeJS.Timeout, () => Promise<unknown>>();

  private retire(close: () => Promise<unknown>, graceMs: number): void {
    const timer = setTimeout(() => {
      this.retiring.delete(timer);
      void close().catch(() => undefined);
    }, graceMs).unref();
    this.retiring.set(timer, close);
  }

  /** Why CLIP work is skipped, naming the model to install: the one the web app offers (`clipToInstall`). */
  async clipMissingReason(): Promise<string> {
    const inUse = this.settings.clipModel;
    const clips = MODELS.filter((m) => m.kind === 'clip').map((m) => m.name);
    const installed = (await Promise.all(clips.map(async (name) => ((await isInstalled(this.dataDir, name)) ? name : null)))).filter((name) => name !== null);
    const name = clipToInstall({ inUse, pinned: this.settings.clipModelPinned, installed });
    return `${name === inUse ? `model ${inUse} not installed` : 'no CLIP model installed'}: run shoebox models pull ${name}`;
  }

  /** The CLIP version results are recorded with, `none` when the model is not installed; loads nothing. */
  async clipVersion(): Promise<string> {
    const loaded = this.clipLoader.peek();
    if (loaded) {
      const clip = await loaded.catch(() => null);
      if (clip) return clip.version;
    }
    return (await installedVersion(this.dataDir, this.settings.clipModel)) ?? 'none';
  }

  /** The CLIP model, or null when it is not installed. A model that is installed but broken throws. */
  async clip(): Promise<ClipModel | null> {
    const clip = await this.clipLoader.get();
    if (clip) return clip;
    this.clipLoader.reset(); // not installed now; look again next time
    return null;
  }

  private async loadClipModel(): Promise<ClipModel | null> {
    const name = this.settings.clipModel;
    if (!(await isInstalled(this.dataDir, name))) return null;
    const started = performance.now();
    // transformers.js is loaded with the first CLIP model, not with the server
    const { loadClip } = await import('./clip.js');
    const clip = await loadClip(modelDir(this.dataDir, name), { name, device: this.settings.device });
    this.logger.info(
      { model: clip.version, dimensions: clip.dimensions, device: this.settings.device, ms: Math.round(performance.now() - started) },
      'CLIP model loaded',
    );
    return clip;
  }

  /** Zero-shot tagging over the shipped vocabulary; the vocabulary's text embeddings are cached per model. */
  async tagger(): Promise<Tagger | null> {
    const tagger = await this.tagLoader.get();
    if (tagger) return tagger;
    this.tagLoader.reset();
    return null;
  }

  private async loadTagger(): Promise<Tagger | null> {
    const clip = await this.clip();
    if (!clip) return null;
    const matrix: TagMatrix & { cached: boolean; millis: number } = await loadTagMatrix(clip, path.join(this.modelsDir, '.cache'));
    this.logger.info({ model: clip.version, tags: matrix.names.length, cached: matrix.cached, ms: Math.round(matrix.millis) }, 'tag vocabulary ready');
    const options = { topK: this.settings.tagsTopK, minConfidence: this.settings.tagsMinConfidence };
    return { tag: (embedding) => zeroShotTags(embedding, matrix, options) };
  }

  /**
   * Whether a photo likely holds text: CLIP's judgement when the photo has an embedding from the model loaded now,
   * else PP-OCR's text detector run small on the preview (more accurate than the pixel heuristic at about its cost:
   * bench/README.md, OCR gate), else — its model missing — the pixel heuristic.
   */
  async textGate(preview: string, embedding: Float32Array | null): Promise<TextGateDecision> {
    if (embedding) {
      const gate = await this.gateLoader.get().catch(() => null);
      if (!gate) this.gateLoader.reset();
      else if (gate.clip.dimensions === embedding.length) {
        const { score, likely } = textLikelyFromClip(embedding, gate.prompts.text, gate.prompts.noText);
        return { likely, score, threshold: 0.5, method: 'clip' };
      }
    }
    const boxes = await this.paddleThreads()
      .gateBoxes(preview)
      .catch((error: unknown) => {
        if (error instanceof ImageDecodeError) throw error;
        return null; // the detector's model is missing or broken: the pixel heuristic still decides
      });
    if (boxes !== null) {
      // score 0.5 at exactly GATE_BOXES boxes, as the pixel heuristic's at its count of glyphs
      return { likely: boxes >= GATE_BOXES, score: boxes / (boxes + GATE_BOXES), threshold: 0.5, method: 'detector' };
    }
    const { score, likely } = await textLikelihood(preview);
    return { likely, score, threshold: TEXT_LIKELY_THRESHOLD, method: 'pixels' };
  }

  /** The QR code and barcode reader (a worker thread, started by the first read). */
  codeReader(): CodeReader {
    this.codes ??= createCodeReader({ idleMs: this.settings.modelIdleSeconds * 1000 });
    return this.codes;
  }

  // --- faces and people ---------------------------------------------------------------------------------

  private facePoolNow(): FaceDetectorPool {
    this.facePool ??= createFaceDetector({ concurrency: this.settings.facesConcurrency, idleMs: this.settings.modelIdleSeconds * 1000 });
    return this.facePool;
  }

  async faces(): Promise<FaceDetectorPool> {
    const off = this.facesOff();
    if (off) throw new Error(off);
    return this.facePoolNow();
  }

  /** Why a step, or the kind of model it runs (the two share the names `faces` and `ocr`), does nothing now: a setting turned it off; or null. */
  turnedOff(stepOrKind: StepName | ModelKind): string | null {
    if (stepOrKind === 'objects') return this.objectsOff();
    return stepOrKind === 'faces' ? this.facesOff() : stepOrKind === 'ocr' ? this.ocrOff() : null;
  }

  /** Why faces are not looked for (a setting turned them off), or null. */
  facesOff(): string | null {
    return this.settings.faces === 'off' ? 'face recognition is turned off (SHOEBOX_FACES=off)' : null;
  }

  /** The detector's version, or `off` (a step recorded so is redone once faces are turned on again). */
  facesVersion(): string {
    return this.facesOff() ? TURNED_OFF : this.facePoolNow().version;
  }

  /** Why objects are not looked for (a setting turned them off), or null. */
  objectsOff(): string | null {
    return this.settings.objects === 'off' ? 'object detection is turned off (SHOEBOX_OBJECTS=off)' : null;
  }

  /** The objects detector: it runs in the faces worker threads (whether faces are looked for or not). */
  objects(): Pick<FaceDetectorPool, 'objects'> {
    return this.facePoolNow();
  }

  faceThumbnail(image: string, box: Box, upright: { width: number; height: number }): Promise<Buffer> {
    return cropFaceThumbnail(image, box, upright);
  }

  peopleParams(): Partial<ClusteringParams> {
    return { minFaces: this.settings.peopleMinFaces, maxDistance: this.settings.peopleMaxDistance };
  }

  // --- OCR ----------------------------------------------------------------------------------------------

  /**
   * The OCR engine. PP-OCR reads with SHOEBOX_OCR_MODEL's recogniser when it is installed, else with the bundled one;
   * one installed later is taken at the next call (the engine is made again; its step version changes with it, so
   * photos read before are read again).
   */
  async ocr(): Promise<Ocr> {
    const { ocrEngine, ocrLanguages, ocrConcurrency, modelIdleSeconds } = this.settings;
    const idleMs = modelIdleSeconds * 1000;
    if (ocrEngine === 'off') throw new Error(this.ocrOff()!);
    if (ocrEngine === 'tesseract') {
      this.ocrEngine ??= { engine: createOcr({ languages: ocrLanguages, concurrency: ocrConcurrency, idleMs }), models: 'tesseract' };
      return this.ocrEngine.engine;
    }
    const { files, missing } = await this.paddleModels();
    this.ocrMissing = missing;
    if (this.ocrEngine?.models !== files.name) {
      const old = this.ocrEngine?.engine;
      this.ocrEngine = { engine: this.paddleThreads().ocr(files), models: files.name };
      // a step that took the old engine a moment ago still reads with it
      if (old) this.retire(() => old.close(), 60_000);
    }
    return this.ocrEngine.engine;
  }

  /** Why text is not read (a setting turned OCR off), or null. */
  ocrOff(): string | null {
    return this.settings.ocrEngine === 'off' ? 'reading text is turned off (SHOEBOX_OCR_ENGINE=off)' : null;
  }

  /** The engine's version, or `off` (a step recorded so is redone once OCR is turned on again). */
  async ocrVersion(): Promise<string> {
    return this.ocrOff() ? TURNED_OFF : (await this.ocr()).version;
  }

  /** Why the engine the last `ocr()` gave does not read with the configured model (not installed), or null. */
  ocrModelMissing(): string | null {
    const missing = this.settings.ocrEngine === 'tesseract' ? null : this.ocrMissing;
    return missing ? `${missing} is not installed (shoebox models pull ${missing}): read with the bundled ${DEFAULT_OCR_MODEL}` : null;
  }

  /** The PP-OCR files to read with: SHOEBOX_OCR_MODEL's recogniser when installed, else the bundled set. */
  private async paddleModels(): Promise<{ files: PaddleModelFiles; missing: string | null }> {
    const name = this.settings.ocrModel;
    if (name === DEFAULT_OCR_MODEL) return { files: bundledPaddleModels(), missing: null };
    const version = await installedVersion(this.dataDir, name);
    if (!version) return { files: bundledPaddleModels(), missing: name };
    return { files: hubPaddleModels(name, modelDir(this.dataDir, name), version), missing: null };
  }

  /** PP-OCR's worker threads: the text gate's detector and the OCR engine's models. */
  private paddleThreads(): PaddleThreads {
    const { ocrConcurrency, modelIdleSeconds } = this.settings;
    this.paddle ??= createPaddleThreads({ concurrency: ocrConcurrency, threads: Math.min(2, os.availableParallelism()), idleMs: modelIdleSeconds * 1000 });
    return this.paddle;
  }

  // --- captions -----------------------------------------------------------------------------------------

  /** The configured endpoint, or null: the step then composes a caption from the tags. */
  captionProvider(): CaptionProvider | null {
    if (this.caption === undefined) this.caption = createCaptionProvider(this.settings.caption);
    return this.caption;
  }

  /** Names the models, not the endpoint: moving a server to another host does not redo every caption. */
  async captionVersion(): Promise<string> {
    const { url, model, textUrl, textModel } = this.settings.caption;
    if (!url) return 'fallback';
    return textUrl || textModel ? `two-stage:${model}+${textModel ?? model}` : `llm:${model}`;
  }

  async close(): Promise<void> {
    for (const [timer, close] of this.retiring) {
      clearTimeout(timer);
      await close().catch(() => undefined);
    }
    this.retiring.clear();
    const clip = await this.clipLoader.peek()?.catch(() => null);
    await Promise.all([clip?.close(), this.facePool?.close(), this.ocrEngine?.engine.close(), this.codes?.close()]);
    this.codes = null;
    await this.paddle?.close();
    this.paddle = null;
    this.facePool = null;
    this.ocrEngine = null;
    this.clipLoader.reset();
    this.tagLoader.reset();
    this.gateLoader.reset();
  }
}
