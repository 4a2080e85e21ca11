// Reading the detected boxes with PP-OCR's recogniser: each box straightened into a 48-pixel strip (./crop.ts), a
// column of CJK text as its cells in a row and also as a line written sideways (the better reading kept), strips of
// similar widths batched, CTC-decoded (./ctc.ts). The direction classifier is asked only about lines read poorly (a
// line read well is the right way up): one it finds upside down is read again turned, the better reading kept.
import type * as Ort from 'onnxruntime-node';
import { columnWidth, sampleColumn, sampleStrip, stripWidth, turned, type RgbImage } from './crop.js';
import { ctcDecode } from './ctc.js';
import type { RotatedRect } from './geometry.js';
import { readingOrder, type ReadLine } from './words.js';

export interface ReadModels {
  ort: typeof Ort;
  recognition: Ort.InferenceSession;
  classifier: Ort.InferenceSession;
  charset: readonly string[];
}

/** A detected box and the pixels it is read from (the preview, or a larger decode for small print). */
export interface TextBox {
  rect: RotatedRect;
  image: RgbImage;
  /** From the image's pixels to the photo's upright pixels. */
  scaleX: number;
  scaleY: number;
}

const LINE_HEIGHT = 48;
/** The classifier's input (PaddleOCR: 3 × 48 × 192). */
const CLS_WIDTH = 192;
/** A line's strip is at most this wide (a line longer than 50 × its height is squeezed). */
const MAX_STRIP = LINE_HEIGHT * 50;
const BATCH = 8;
/** A box this much taller than wide is a column (CJK signs) or a line written sideways. */
const COLUMN_RATIO = 1.5;
/** The classifier turns a line only when this sure (PaddleOCR's `cls_thresh`). */
const TURN_CONFIDENCE = 0.9;
/** A line read at least this confidently is taken to be the right way up (the classifier is not asked). */
const UPRIGHT_CONFIDENCE = 0.85;

interface Candidate {
  box: number;
  rect: RotatedRect;
  layout: 'line' | 'column';
}

/** The boxes read, in reading order, each in its better reading. */
export async function readBoxes(models: ReadModels, boxes: readonly TextBox[]): Promise<ReadLine[]> {
  const candidates: Candidate[] = boxes.flatMap(({ rect }, box): Candidate[] =>
    rect.height >= rect.width * COLUMN_RATIO
      ? [
          { box, rect, layout: 'column' },
          { box, rect: turned(rect, 1), layout: 'line' },
        ]
      : [{ box, rect, layout: 'line' }],
  );
  const readings = await recognise(models, boxes, candidates);
  const doubtful = candidates.flatMap((c, i) => (c.layout === 'line' && readings[i]!.decoded.confidence < UPRIGHT_CONFIDENCE ? [i] : []));
  const upsideDown = await classify(
    models,
    doubtful.map((i) => ({ image: boxes[candidates[i]!.box]!.image, rect: candidates[i]!.rect })),
  );
  const turnedOver = doubtful.filter((_, k) => upsideDown[k]).map((i) => ({ ...candidates[i]!, rect: turned(candidates[i]!.rect, 2) }));
  candidates.push(...turnedOver);
  readings.push(...(await recognise(models, boxes, turnedOver)));
  const best = new Map<number, ReadLine>();
  for (const [i, candidate] of candidates.entries()) {
    const reading = readings[i]!;
    const current = best.get(candidate.box);
    if (!current || reading.decoded.confidence > current.decoded.confidence) best.set(candidate.box, reading);
  }
  return readingOrder([...best.values()]);
}

/** Whether each line is upside down. */
async function classify(models: ReadModels, lines: readonly { image: RgbImage; rect: RotatedRect }[]): Promise<boolean[]> {
  const { ort, classifier } = models;
  const result: boolean[] = [];
  for (let start = 0; start < lines.length; start += BATCH) {
    const batch = lines.slice(start, start + BATCH);
    const tensor = new Float32Array(batch.length * 3 * LINE_HEIGHT * CLS_WIDTH);
    for (const [index, { image, rect }] of batch.entries()) {
      sampleStrip(image, rect, stripWidth(rect, LINE_HEIGHT, 1, CLS_WIDTH), { tensor, index, height: LINE_HEIGHT, width: CLS_WIDTH });
    }
    const output = await classifier.run({ [classifier.inputNames[0]!]: new ort.Tensor('float32', tensor, [batch.length, 3, LINE_HEIGHT, CLS_WIDTH]) });
    const probs = output[classifier.outputNames[0]!]!.data as Float32Array;
    for (let i = 0; i < batch.length; i++) result.push(probs[i * 2 + 1]! > TURN_CONFIDENCE);
  }
  return result;
}

/** Each candidate read, in the candidates' order; strips of similar widths batched together. */
async function recognise(models: ReadModels, boxes: readonly TextBox[], candidates: readonly Candidate[]): Promise<ReadLine[]> {
  const { ort, recognition, charset } = models;
  const widths = candidates.map((c) =>
    c.layout === 'column' ? Math.min(MAX_STRIP, columnWidth(c.rect, LINE_HEIGHT)) : stripWidth(c.rect, LINE_HEIGHT, LINE_HEIGHT / 2, MAX_STRIP),
  );
  const order = candidates.map((_, i) => i).sort((a, b) => widths[a]! - widths[b]!);
  const readings = new Array<ReadLine>(candidates.length);
  for (let start = 0; start < order.length; start += BATCH) {
    const batch = order.slice(start, start + BATCH);
    const tensorWidth = Math.ceil(Math.max(...batch.map((i) => widths[i]!)) / 8) * 8;
    const tensor = new Float32Array(batch.length * 3 * LINE_HEIGHT * tensorWidth);
    const strips = batch.map((i, index) => {
      const candidate = candidates[i]!;
      const { image } = boxes[candidate.box]!;
      const target = { tensor, index, height: LINE_HEIGHT, width: tensorWidth };
      if (candidate.layout === 'column') return sampleColumn(image, candidate.rect, target);
      sampleStrip(image, candidate.rect, widths[i]!, target);
      return widths[i]!;
    });
    const output = await recognition.run({ [recognition.inputNames[0]!]: new ort.Tensor('float32', tensor, [batch.length, 3, LINE_HEIGHT, tensorWidth]) });
    const probs = output[recognition.outputNames[0]!]!;
    const [, steps, classes] = probs.dims as [number, number, number];
    const decoded = ctcDecode(probs.data as Float32Array, batch.length, steps, classes, charset);
    for (const [j, i] of batch.entries()) {
      const candidate = candidates[i]!;
      const { scaleX, scaleY } = boxes[candidate.box]!;
      readings[i] = { decoded: decoded[j]!, rect: candidate.rect, layout: candidate.layout, stripWidth: strips[j]!, tensorWidth, scaleX, scaleY };
    }
  }
  return readings;
}
