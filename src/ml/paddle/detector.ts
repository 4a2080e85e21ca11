// PP-OCR's text detector as a service of its own: loaded on first use, unloaded after `idleMs` without use, shared
// by the OCR engine and the text gate (one session, one copy of its weights).
import '../../config/telemetry-off.js';
import type * as Ort from 'onnxruntime-node';
import { errorMessage } from '../../media/decoders/common.js';
import { OcrEngineError } from '../ocr-errors.js';
import type { RgbImage } from './crop.js';
import { decodeRgb, detectText, detectTiled } from './detect.js';
import type { RotatedRect } from './geometry.js';
import { bundledPaddleModels } from './models.js';
import { releasedWhenIdle } from '../usage.js';

export interface TextDetector {
  /** Text boxes in the image's pixels, looked for at most `side` pixels on its long side (in tiles if `tiled`). */
  boxes(image: RgbImage, side: number, tiled?: boolean): Promise<RotatedRect[]>;
  /** Whether the detector's model is loaded now. */
  readonly loaded: boolean;
  close(): Promise<void>;
}

/** onnxruntime options for PP-OCR's models: threads waiting for work sleep (the other lanes need the cores). */
export function sessionOptions(threads: number): Ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
    // no arena: a run's buffers (a 1,280 px detector pass, a batch of long lines) go back when it ends instead of
    // staying with the session (measured: 977 → 726 MB more resident after five text photos, 3 % slower)
    enableCpuMemArena: false,
  };
}

export function createTextDetector(options: { file?: string; threads: number; idleMs?: number }): TextDetector {
  let session: Promise<{ ort: typeof Ort; session: Ort.InferenceSession }> | null = null;
  const load = () => {
    session ??= (async () => {
      const ort = (await import('onnxruntime-node')) as typeof Ort;
      return { ort, session: await ort.InferenceSession.create(options.file ?? bundledPaddleModels().detection, sessionOptions(options.threads)) };
    })().catch((error: unknown) => {
      session = null;
      throw new OcrEngineError(`the PP-OCR text detector cannot be loaded: ${errorMessage(error)}`);
    });
    return session;
  };
  const unload = async () => {
    const loaded = session;
    session = null;
    await (await loaded?.catch(() => null))?.session.release();
  };
  const use = releasedWhenIdle(options.idleMs ?? 0, unload);
  return {
    get loaded() {
      return session !== null;
    },
    boxes(image, side, tiled = false) {
      return use.run(async () => {
        const { ort, session: s } = await load();
        return tiled ? detectTiled(ort, s, image, side) : detectText(ort, s, image, side);
      });
    },
    async close() {
      use.stop();
      await unload();
    },
  };
}

/** The text gate's look: the preview at this size (measured: bench/README.md, OCR gate). */
export const GATE_SIDE = 640;
/** A photo with this many text boxes at GATE_SIDE likely holds text. */
export const GATE_BOXES = 5;

/** How many text boxes the detector finds on the preview at the gate's size. */
export async function gateBoxes(detector: TextDetector, preview: string): Promise<number> {
  return (await detector.boxes(await decodeRgb(preview, GATE_SIDE), GATE_SIDE)).length;
}
