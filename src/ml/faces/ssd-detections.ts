// What face-api's SsdMobilenetv1.locateFaces does with the network's decoded boxes and scores: its non-maximum
// suppression, then the boxes clipped to the padded square and scaled to the photo. Pure.

import { SSD_INPUT_SIZE } from './ssd-input.js';

/** face-api's NMS IoU threshold (SsdMobilenetv1.locateFaces). */
const IOU_THRESHOLD = 0.5;

/** Raw SSD output for one 512×512 input: decoded boxes [ymin, xmin, ymax, xmax] (relative to the padded square) and scores. */
export interface SsdRaw {
  boxes: Float64Array;
  scores: Float64Array;
}

function iou(b: Float64Array, i: number, j: number): number {
  const yminI = Math.min(b[4 * i]!, b[4 * i + 2]!);
  const xminI = Math.min(b[4 * i + 1]!, b[4 * i + 3]!);
  const ymaxI = Math.max(b[4 * i]!, b[4 * i + 2]!);
  const xmaxI = Math.max(b[4 * i + 1]!, b[4 * i + 3]!);
  const yminJ = Math.min(b[4 * j]!, b[4 * j + 2]!);
  const xminJ = Math.min(b[4 * j + 1]!, b[4 * j + 3]!);
  const ymaxJ = Math.max(b[4 * j]!, b[4 * j + 2]!);
  const xmaxJ = Math.max(b[4 * j + 1]!, b[4 * j + 3]!);
  const areaI = (ymaxI - yminI) * (xmaxI - xminI);
  const areaJ = (ymaxJ - yminJ) * (xmaxJ - xminJ);
  if (areaI <= 0 || areaJ <= 0) return 0;
  const inter = Math.max(Math.min(ymaxI, ymaxJ) - Math.max(yminI, yminJ), 0) * Math.max(Math.min(xmaxI, xmaxJ) - Math.max(xminI, xminJ), 0);
  return inter / (areaI + areaJ - inter);
}

/** face-api's nonMaxSuppression.ts, unchanged in behaviour: greedy, IoU 0.5, candidates above `minScore`. */
export function ssdNonMaxSuppression(raw: SsdRaw, maxResults: number, minScore: number): number[] {
  const candidates = Array.from(raw.scores, (score, index) => ({ score, index }))
    .filter((c) => c.score > minScore)
    .sort((x, y) => y.score - x.score);
  const outputSize = Math.min(maxResults, raw.scores.length);
  const selected: number[] = [];
  for (const c of candidates) {
    if (selected.length >= outputSize) break;
    let score = c.score;
    for (let j = selected.length - 1; j >= 0; --j) {
      const o = iou(raw.boxes, c.index, selected[j]!);
      if (o === 0) continue;
      if (o > IOU_THRESHOLD) score = 0;
      if (score <= minScore) break;
    }
    if (score === c.score) selected.push(c.index);
  }
  return selected;
}

export interface SsdDetection {
  score: number;
  /** Pixels of the image given to face-api (before padding), as face-api's FaceDetection.box. */
  box: { x: number; y: number; width: number; height: number };
  /** Relative to the image (may exceed 0..1 slightly on the padded side), as face-api's relativeBox. */
  relative: { x: number; y: number; width: number; height: number };
}

/** locateFaces from SsdMobilenetv1.ts: NMS, clip to [0, 1] of the padded square, rescale to the image. */
export function ssdDetections(raw: SsdRaw, size: { width: number; height: number }, maxResults: number, minScore: number): SsdDetection[] {
  const scale = SSD_INPUT_SIZE / Math.max(size.width, size.height);
  const padX = SSD_INPUT_SIZE / Math.round(size.width * scale);
  const padY = SSD_INPUT_SIZE / Math.round(size.height * scale);
  return ssdNonMaxSuppression(raw, maxResults, minScore).map((i) => {
    const top = Math.max(0, raw.boxes[4 * i]!) * padY;
    const bottom = Math.min(1, raw.boxes[4 * i + 2]!) * padY;
    const left = Math.max(0, raw.boxes[4 * i + 1]!) * padX;
    const right = Math.min(1, raw.boxes[4 * i + 3]!) * padX;
    const relative = { x: left, y: top, width: right - left, height: bottom - top };
    return {
      score: raw.scores[i]!,
      relative,
      box: { x: left * size.width, y: top * size.height, width: relative.width * size.width, height: relative.height * size.height },
    };
  });
}
