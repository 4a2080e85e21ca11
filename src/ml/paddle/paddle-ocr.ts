// OCR with PaddleOCR's PP-OCR models on onnxruntime, the pre- and post-processing written here:
// 1. the detector looks at the preview the pipeline made (cheap to decode), at most `detectSide` on its long side
//    (multiples of 32); its map becomes rotated text boxes (./db-postprocess.ts);
// 2. lines small in the preview are read from the original decoded at up to `readSide` (small print stays sharp; a
//    photo of large text is never decoded at full size);
// 3. each box is straightened and recognised, CTC-decoded with the model's character set (./read-lines.ts);
// 4. words with boxes in the photo's upright pixels and confidences (./words.ts).
import '../../config/telemetry-off.js';
import os from 'node:os';
import type * as Ort from 'onnxruntime-node';
import { errorMessage } from '../../media/decoders/common.js';
import { OcrEngineError } from '../ocr-errors.js';
import type { Ocr } from '../ocr.js';
import type { OcrResult, OcrWord } from '../types.js';
import type { RgbImage } from './crop.js';
import { decodeElongated, decodeRgb, isElongated, uprightSize } from './detect.js';
import { createTextDetector, sessionOptions, type TextDetector } from './detector.js';
import type { RotatedRect } from './geometry.js';
import { bundledPaddleModels, loadCharset, type PaddleModelFiles } from './models.js';
import { readBoxes, type ReadModels, type TextBox } from './read-lines.js';
import { lineWords } from './words.js';
import { limiter, releasedWhenIdle } from '../usage.js';

export interface PaddleOcrOptions {
  models?: PaddleModelFiles;
  /** The detector's input: long side at most this. */
  detectSide?: number;
  /** The decode small print is read from: long side at least this (at a native JPEG scale: below twice this). */
  readSide?: number;
  /** Recognitions at once; default 1. */
  concurrency?: number;
  /** onnxruntime threads per model run; default 2 (or the cores, if fewer). */
  threads?: number;
  /** Models unused this long are unloaded; 0 = never (default). */
  idleMs?: number;
  /** The text detector to use (shared with the text gate); one of its own by default. */
  detector?: TextDetector;
}

export const DEFAULT_DETECT_SIDE = 1280;
export const DEFAULT_READ_SIDE = 1800;
/** Bump when pre- or post-processing changes what comes out. */
const REVISION = 1;
/** A line less tall than this in the image it was found on is read from the larger decode, when there is one. */
const SMALL_LINE_PX = 40;

/** What results depend on: the models, the sizes looked at, the processing's revision. */
export function paddleOcrVersion(models: PaddleModelFiles, detectSide = DEFAULT_DETECT_SIDE, readSide = DEFAULT_READ_SIDE): string {
  return `${models.name}+det${detectSide}-read${readSide}-r${REVISION}`;
}

export function createPaddleOcr(options: PaddleOcrOptions = {}): Ocr {
  const models = options.models ?? bundledPaddleModels();
  const detectSide = options.detectSide ?? DEFAULT_DETECT_SIDE;
  const readSide = options.readSide ?? DEFAULT_READ_SIDE;
  const threads = options.threads ?? Math.min(2, os.availableParallelism());
  const concurrency = options.concurrency ?? 1;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`OCR concurrency must be an integer ≥ 1, got ${concurrency}`);
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= os.availableParallelism() * 4))
    throw new RangeError(`OCR threads must be a positive integer, got ${threads}`);
  const version = paddleOcrVersion(models, detectSide, readSide);
  const detector = options.detector ?? createTextDetector({ file: models.detection, threads, idleMs: options.idleMs });
  let sessions: Promise<ReadModels> | null = null;
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  const load = (): Promise<ReadModels> => {
    sessions ??= (async () => {
      const ort = (await import('onnxruntime-node')) as typeof Ort;
      const open = (file: string) => ort.InferenceSession.create(file, sessionOptions(threads));
      const [recognition, classifier, charset] = await Promise.all([open(models.recognition), open(models.classifier), loadCharset(models.charset)]);
      return { ort, recognition, classifier, charset };
    })().catch((error: unknown) => {
      sessions = null;
      throw new OcrEngineError(`the PP-OCR models cannot be loaded: ${errorMessage(error)}`);
    });
    return sessions;
  };

  const unload = async () => {
    const loaded = sessions;
    sessions = null;
    const s = await loaded?.catch(() => null);
    await Promise.allSettled([s?.recognition.release(), s?.classifier.release()]);
  };

  const admit = limiter(concurrency);
  const use = releasedWhenIdle(options.idleMs ?? 0, unload);

  async function recognize(file: string, detail?: string): Promise<OcrResult> {
    const upright = await uprightSize(detail ?? file);
    // a long screenshot or a panorama: the original, its text at a readable size, looked at in tiles
    const elongated = isElongated(upright);
    const seen = elongated ? await decodeElongated(detail ?? file, upright) : await decodeRgb(file, detail ? detectSide : readSide * 2);
    if (closed) throw new OcrEngineError('OCR is closed');
    // the larger decode starts beside the detector (most photos with text have some small print); awaited if needed
    const larger =
      detail && !elongated && Math.max(upright.width, upright.height) > Math.max(seen.width, seen.height) * 1.25 ? decodeRgb(detail, readSide, true) : null;
    larger?.catch(() => {}); // a failure matters only if it is used
    const rects = await detector.boxes(seen, detectSide, elongated);
    const s = await load();
    // small print is read from the larger decode
    const small = (rect: RotatedRect) => Math.min(rect.width, rect.height) < SMALL_LINE_PX;
    const fine: RgbImage | null = larger && rects.some(small) ? await larger : null;
    const boxes: TextBox[] = rects.map((rect) => {
      const image = fine && small(rect) ? fine : seen;
      const k = image.width / seen.width;
      const scaled = k === 1 ? rect : { ...rect, cx: rect.cx * k, cy: rect.cy * k, width: rect.width * k, height: rect.height * k };
      return { rect: scaled, image, scaleX: upright.width / image.width, scaleY: upright.height / image.height };
    });
    const words: OcrWord[] = [];
    const textLines: string[] = [];
    for (const line of await readBoxes(s, boxes)) {
      const found = lineWords(line, upright);
      if (found.length === 0) continue;
      words.push(...found);
      textLines.push(found.map((w) => w.text).join(' '));
    }
    const confidence = words.length ? words.reduce((sum, w) => sum + w.confidence, 0) / words.length : 0;
    return { text: textLines.join('\n'), confidence: Math.round(confidence * 10) / 10, words, languages: models.languages };
  }

  return {
    version,
    get workerCount() {
      return sessions || detector.loaded ? 1 : 0;
    },
    recognize(file, detail) {
      if (closed) return Promise.reject(new OcrEngineError('OCR is closed'));
      const job = admit(() => use.run(() => recognize(file, detail)));
      const tracked = job.catch(() => {}).finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      return job;
    },
    async close() {
      closed = true;
      use.stop();
      await Promise.allSettled([...inFlight]);
      await unload();
      if (!options.detector) await detector.close();
    },
  };
}
