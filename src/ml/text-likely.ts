// Does a photo likely hold text? A cheap pixel heuristic for when no CLIP model is installed, so OCR (seconds per
// photo, and noise on photos without text) runs only where it can pay off.
//
// It looks for glyphs the way a reader would: small ink marks, thin strokes, on a clean background, in a row
// (or a column) with marks of the same size. Steps, on a greyscale rendition with the long side ≤ 1024 px:
//   1. ink = pixels 20 levels darker (or lighter: white on dark signs) than the mean of their neighbourhood;
//   2. connected ink marks of glyph size and shape, with strokes thin for their height;
//   3. contrast: the mark against the rest of its box, relative to how much that rest varies. This is what
//      tells text (ink on paper, paint on a board) from foliage, gravel or bark, whose marks sit on texture;
//   4. a mark counts when it is strongly contrasted and has two aligned neighbours (a word, a line).
// Measured on the shared corpus (bench/results/text-likely-measurement.md): craft-beer, handwritten-notes and
// book-beside-flowers give 49–138 such glyphs, the photos without text 0–7; japanese-shop (brush lettering
// and vertical signs at night) gives 0–6 and is missed.
import sharp from 'sharp';

export interface TextLikelihood {
  /** 0–1: glyphs / (glyphs + GLYPHS_FOR_LIKELY), so 0.5 means exactly GLYPHS_FOR_LIKELY glyphs. */
  score: number;
  likely: boolean;
}

export interface TextEvidence extends TextLikelihood {
  /** Contrasted glyph-like marks with two aligned neighbours. */
  glyphs: number;
}

/** `likely` when score ≥ this, i.e. at least GLYPHS_FOR_LIKELY glyphs. */
export const TEXT_LIKELY_THRESHOLD = 0.5;
/** Between the text photos (≥ 49) and the photos without text (≤ 7) in the corpus, nearer the latter. */
export const GLYPHS_FOR_LIKELY = 16;
/** Long side the photo is analysed at: handwriting at 800 px still blurs into blobs. */
export const TEXT_LIKELY_SIZE = 1024;

// All sizes below are in pixels of a ~1024 px rendition.
const INK_CONTRAST = 20; // grey levels from the local mean
const WINDOW_FRACTION = 0.025; // local mean window half-size, of the long side: larger than a glyph's strokes
const MIN_GLYPH_HEIGHT = 5;
const MAX_GLYPH_HEIGHT_FRACTION = 0.15; // of the short side
const MAX_ASPECT = 8; // a joined-up handwritten word is still one mark
const MIN_FILL = 0.15;
const MAX_STROKE = 0.4; // mean stroke thickness / height: letters are strokes, flowers and pebbles are blobs
const MAX_RUNS_PER_ROW = 4; // ink runs crossed per row: more is a net of twigs, not a letter
const WEAK_CONTRAST = 3; // may be a neighbour
const STRONG_CONTRAST = 4.5; // may count
const NEIGHBOURS = 2;
const MAX_SIZE_RATIO = 2;
const MAX_GAP = 2; // × the larger height
const MAX_OFFSET = 0.3; // centre offset across the line, × the larger height

interface Mark {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  w: number;
  h: number;
  cx: number;
  cy: number;
  strong: boolean;
}

/** Ink masks: darker and lighter than the local mean by INK_CONTRAST (box mean over an integral image). */
function inkMasks(px: ArrayLike<number>, w: number, h: number): [Uint8Array, Uint8Array] {
  const stride = w + 1;
  const integral = new Float64Array(stride * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += px[y * w + x]!;
      integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1]! + row;
    }
  }
  const r = Math.max(3, Math.round(WINDOW_FRACTION * Math.max(w, h)));
  const dark = new Uint8Array(w * h);
  const light = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const ya = Math.max(0, y - r);
    const yb = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const xa = Math.max(0, x - r);
      const xb = Math.min(w, x + r + 1);
      const sum = integral[yb * stride + xb]! - integral[ya * stride + xb]! - integral[yb * stride + xa]! + integral[ya * stride + xa]!;
      const mean = sum / ((yb - ya) * (xb - xa));
      const v = px[y * w + x]!;
      if (v < mean - INK_CONTRAST) dark[y * w + x] = 1;
      else if (v > mean + INK_CONTRAST) light[y * w + x] = 1;
    }
  }
  return [dark, light];
}

/** 8-connected components of `mask` (two passes, union-find): a label per pixel (−1 outside) and the count. */
function label(mask: Uint8Array, w: number, h: number): { labels: Int32Array; count: number } {
  const labels = new Int32Array(w * h).fill(-1);
  // A new provisional label needs a pixel with none of its 4 earlier neighbours set: at most one per 2×2 cell.
  const parent = new Int32Array(Math.ceil(w / 2) * Math.ceil(h / 2) + 1);
  let next = 0;
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!mask[i]) continue;
      let l = -1;
      for (let k = 0; k < 4; k++) {
        let j: number;
        if (k === 0) j = x > 0 ? i - 1 : -1;
        else if (y === 0) break;
        else if (k === 1) j = x > 0 ? i - w - 1 : -1;
        else if (k === 2) j = i - w;
        else j = x < w - 1 ? i - w + 1 : -1;
        if (j < 0) continue;
        const lj = labels[j]!;
        if (lj < 0) continue;
        const rj = find(lj);
        if (l < 0) l = rj;
        else if (rj !== l) {
          if (rj < l) {
            parent[l] = rj;
            l = rj;
          } else parent[rj] = l;
        }
      }
      if (l < 0) {
        l = next++;
        parent[l] = l;
      }
      labels[i] = l;
    }
  }
  // Resolve to roots, renumbered 0..count-1.
  const final = new Int32Array(next).fill(-1);
  let count = 0;
  for (let l = 0; l < next; l++) {
    const r = find(l);
    if (final[r] === -1) final[r] = count++;
    final[l] = final[r]!;
  }
  for (let i = 0; i < labels.length; i++) if (labels[i]! >= 0) labels[i] = final[labels[i]!]!;
  return { labels, count };
}

/** Glyph-like marks of one polarity, with their contrast against the rest of their box. */
function marks(px: ArrayLike<number>, mask: Uint8Array, w: number, h: number): Mark[] {
  const { labels, count } = label(mask, w, h);
  if (count === 0) return [];
  // Stroke thickness at a pixel ≈ the shorter of its horizontal and vertical ink runs.
  const hrun = new Uint16Array(w * h);
  const vrun = new Uint16Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; ) {
      if (!mask[y * w + x]) {
        x++;
        continue;
      }
      let end = x;
      while (end < w && mask[y * w + end]) end++;
      for (let k = x; k < end; k++) hrun[y * w + k] = end - x;
      x = end;
    }
  }
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; ) {
      if (!mask[y * w + x]) {
        y++;
        continue;
      }
      let end = y;
      while (end < h && mask[end * w + x]) end++;
      for (let k = y; k < end; k++) vrun[k * w + x] = end - y;
      y = end;
    }
  }
  const minX = new Int32Array(count).fill(w);
  const minY = new Int32Array(count).fill(h);
  const maxX = new Int32Array(count).fill(-1);
  const maxY = new Int32Array(count).fill(-1);
  const area = new Int32Array(count);
  const thickness = new Float64Array(count);
  const runs = new Int32Array(count);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const l = labels[i]!;
      if (l < 0) continue;
      area[l]!++;
      thickness[l]! += Math.min(hrun[i]!, vrun[i]!);
      if (x === 0 || !mask[i - 1]) runs[l]!++;
      if (x < minX[l]!) minX[l] = x;
      if (x > maxX[l]!) maxX[l] = x;
      if (y < minY[l]!) minY[l] = y;
      if (y > maxY[l]!) maxY[l] = y;
    }
  }
  const maxHeight = MAX_GLYPH_HEIGHT_FRACTION * Math.min(w, h);
  const out: Mark[] = [];
  for (let l = 0; l < count; l++) {
    const mw = maxX[l]! - minX[l]! + 1;
    const mh = maxY[l]! - minY[l]! + 1;
    if (mh < MIN_GLYPH_HEIGHT || mh > maxHeight || mw > MAX_ASPECT * mh || mw * MAX_ASPECT < mh) continue;
    if (area[l]! / (mw * mh) < MIN_FILL) continue;
    if (thickness[l]! / area[l]! > MAX_STROKE * mh) continue;
    if (runs[l]! > Math.max(MAX_RUNS_PER_ROW, (0.6 * mw) / mh) * mh) continue;
    // Background: the box minus all ink of this polarity (neighbouring letters are not clutter).
    let ink = 0;
    let back = 0;
    let back2 = 0;
    let backCount = 0;
    for (let y = minY[l]!; y <= maxY[l]!; y++) {
      for (let x = minX[l]!; x <= maxX[l]!; x++) {
        const i = y * w + x;
        const v = px[i]!;
        if (labels[i] === l) ink += v;
        else if (!mask[i]) {
          back += v;
          back2 += v * v;
          backCount++;
        }
      }
    }
    let contrast = Infinity;
    if (backCount > 0) {
      const mean = back / backCount;
      const sd = Math.sqrt(Math.max(0, back2 / backCount - mean * mean));
      contrast = Math.abs(ink / area[l]! - mean) / (sd + 4); // + 4: JPEG noise on a flat background
    }
    if (contrast < WEAK_CONTRAST) continue;
    out.push({
      x0: minX[l]!,
      y0: minY[l]!,
      x1: maxX[l]!,
      y1: maxY[l]!,
      w: mw,
      h: mh,
      cx: (minX[l]! + maxX[l]!) / 2,
      cy: (minY[l]! + maxY[l]!) / 2,
      strong: contrast >= STRONG_CONTRAST,
    });
  }
  return out;
}

/**
 * Neighbours of each mark along a line: similar size, small gap, centres aligned. `vertical` swaps the axes
 * (CJK columns, text turned 90°).
 */
function neighbourCounts(list: Mark[], vertical: boolean): Int32Array {
  const start = (m: Mark): number => (vertical ? m.y0 : m.x0);
  const end = (m: Mark): number => (vertical ? m.y1 : m.x1);
  const size = (m: Mark): number => (vertical ? m.w : m.h);
  const along = (m: Mark): number => (vertical ? m.h : m.w);
  const centre = (m: Mark): number => (vertical ? m.cx : m.cy);
  const order = list.map((_, k) => k).sort((a, b) => start(list[a]!) - start(list[b]!));
  const counts = new Int32Array(list.length);
  for (let ia = 0; ia < order.length; ia++) {
    const a = list[order[ia]!]!;
    for (let ib = ia + 1; ib < order.length; ib++) {
      const b = list[order[ib]!]!;
      const gap = start(b) - end(a);
      if (gap > MAX_GAP * MAX_SIZE_RATIO * size(a)) break; // sorted: no later mark can be near enough
      const big = Math.max(size(a), size(b));
      if (big / Math.min(size(a), size(b)) > MAX_SIZE_RATIO) continue;
      if (gap > MAX_GAP * big || gap < -0.2 * Math.min(along(a), along(b))) continue;
      if (Math.abs(centre(a) - centre(b)) > MAX_OFFSET * big) continue;
      counts[order[ia]!]!++;
      counts[order[ib]!]!++;
    }
  }
  return counts;
}

/**
 * The heuristic on raw 8-bit greyscale pixels (row-major, `width × height`), tuned for a rendition with the
 * long side near TEXT_LIKELY_SIZE.
 */
export function textLikelihoodFromPixels(pixels: ArrayLike<number>, width: number, height: number): TextEvidence {
  if (pixels.length < width * height) throw new RangeError(`expected ${width * height} grey pixels, got ${pixels.length}`);
  let glyphs = 0;
  for (const mask of inkMasks(pixels, width, height)) {
    // One polarity at a time: a line of text is all dark-on-light or all light-on-dark.
    const list = marks(pixels, mask, width, height);
    const across = neighbourCounts(list, false);
    const down = neighbourCounts(list, true);
    for (let k = 0; k < list.length; k++) {
      if (list[k]!.strong && (across[k]! >= NEIGHBOURS || down[k]! >= NEIGHBOURS)) glyphs++;
    }
  }
  const score = glyphs / (glyphs + GLYPHS_FOR_LIKELY);
  return { score, likely: score >= TEXT_LIKELY_THRESHOLD, glyphs };
}

/** Decodes `file` (EXIF orientation applied) to greyscale ≤ TEXT_LIKELY_SIZE and runs the heuristic. */
export async function textLikelihood(file: string): Promise<TextLikelihood> {
  const { data, info } = await sharp(file)
    .rotate()
    .greyscale()
    .resize(TEXT_LIKELY_SIZE, TEXT_LIKELY_SIZE, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected 1 grey channel, got ${info.channels}`);
  const { score, likely } = textLikelihoodFromPixels(data, info.width, info.height);
  return { score, likely };
}
