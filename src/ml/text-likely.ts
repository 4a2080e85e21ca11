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

/** Polarities of ink in the ink map. */
const DARK = 1;
const LIGHT = 2;

/**
 * The ink map: DARK where a pixel is INK_CONTRAST darker than the mean of its neighbourhood (a box mean over an
 * integral image), LIGHT where it is that much lighter, 0 elsewhere. The test is `v·area < sum − 20·area`
 * rather than `v < sum/area − 20`: the same answer in integers, without a division per pixel.
 */
function inkMap(px: ArrayLike<number>, w: number, h: number): Uint8Array {
  const stride = w + 1;
  const integral = new Float64Array(stride * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    const above = y * stride;
    const here = above + stride;
    for (let x = 0; x < w; x++) {
      row += px[y * w + x]!;
      integral[here + x + 1] = integral[above + x + 1]! + row;
    }
  }
  const r = Math.max(3, Math.round(WINDOW_FRACTION * Math.max(w, h)));
  const ink = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const ya = y - r < 0 ? 0 : y - r;
    const yb = y + r + 1 > h ? h : y + r + 1;
    const top = ya * stride;
    const bottom = yb * stride;
    const rows = yb - ya;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const xa = x - r < 0 ? 0 : x - r;
      const xb = x + r + 1 > w ? w : x + r + 1;
      const sum = integral[bottom + xb]! - integral[top + xb]! - integral[bottom + xa]! + integral[top + xa]!;
      const area = rows * (xb - xa);
      const v = px[row + x]! * area;
      const margin = INK_CONTRAST * area;
      if (v < sum - margin) ink[row + x] = DARK;
      else if (v > sum + margin) ink[row + x] = LIGHT;
    }
  }
  return ink;
}

/** Per component of one polarity's ink: box, area, summed stroke thickness, horizontal runs, summed grey. */
interface Components {
  count: number;
  minX: Int32Array;
  minY: Int32Array;
  maxX: Int32Array;
  maxY: Int32Array;
  area: Int32Array;
  thickness: Float64Array;
  runs: Int32Array;
  inkSum: Float64Array;
}

/**
 * 8-connected components of the ink of polarity `p`, labelled run by run (a horizontal run of ink is one
 * node of a union-find; runs touching across rows, diagonals included, are joined), numbered in the order of
 * their first pixel. Each component's statistics are summed from its runs: no label per pixel is needed.
 */
function components(px: ArrayLike<number>, ink: Uint8Array, p: number, w: number, h: number): Components {
  // Stroke thickness at a pixel ≈ the shorter of its horizontal and vertical ink runs.
  const vrun = verticalRuns(ink, p, w, h);
  // Runs counted first: sized for the worst case (⌈w/2⌉ a row), the arrays would take 6 MB a polarity.
  let capacity = 0;
  for (let row = 0; row < w * h; row += w) {
    for (let i = row; i < row + w; i++) if (ink[i] === p && (i === row || ink[i - 1] !== p)) capacity++;
  }
  const runStart = new Int32Array(capacity);
  const runEnd = new Int32Array(capacity); // exclusive
  const runY = new Int32Array(capacity);
  const parent = new Int32Array(capacity);
  let runCount = 0;
  let previous = 0; // first run of the previous row
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const first = runCount;
    let j = previous;
    for (let x = 0; x < w;) {
      if (ink[row + x] !== p) {
        x++;
        continue;
      }
      let end = x + 1;
      while (end < w && ink[row + end] === p) end++;
      const k = runCount++;
      runStart[k] = x;
      runEnd[k] = end;
      runY[k] = y;
      parent[k] = k;
      // Runs of the row above that touch [x, end), diagonals included: start ≤ end and end ≥ x.
      while (j < first && runEnd[j]! < x) j++;
      let root = k;
      for (let m = j; m < first && runStart[m]! <= end; m++) {
        let r = m;
        while (parent[r] !== r) {
          parent[r] = parent[parent[r]!]!;
          r = parent[r]!;
        }
        if (r === root) continue;
        // The smaller (earlier) run stays the root: a component is named by its first run.
        if (r < root) {
          parent[root] = r;
          root = r;
        } else parent[r] = root;
      }
      x = end;
    }
    previous = first;
  }
  // Roots, renumbered 0..count-1 in the order of their first run.
  const index = new Int32Array(runCount);
  let count = 0;
  for (let k = 0; k < runCount; k++) {
    // Roots come before their members, so a member's root is already numbered (and fully compressed below).
    const r = parent[k]!;
    index[k] = r === k ? count++ : index[parent[r]!]!;
    parent[k] = r === k ? k : parent[r]!;
  }
  const c: Components = {
    count,
    minX: new Int32Array(count).fill(w),
    minY: new Int32Array(count).fill(h),
    maxX: new Int32Array(count).fill(-1),
    maxY: new Int32Array(count).fill(-1),
    area: new Int32Array(count),
    thickness: new Float64Array(count),
    runs: new Int32Array(count),
    inkSum: new Float64Array(count),
  };
  for (let k = 0; k < runCount; k++) {
    const l = index[k]!;
    const x = runStart[k]!;
    const end = runEnd[k]!;
    const y = runY[k]!;
    const length = end - x;
    let thick = 0;
    let grey = 0;
    for (let i = y * w + x; i < y * w + end; i++) {
      thick += vrun[i]! < length ? vrun[i]! : length;
      grey += px[i]!;
    }
    c.area[l]! += length;
    c.thickness[l]! += thick;
    c.inkSum[l]! += grey;
    c.runs[l]!++;
    if (x < c.minX[l]!) c.minX[l] = x;
    if (end - 1 > c.maxX[l]!) c.maxX[l] = end - 1;
    if (y < c.minY[l]!) c.minY[l] = y;
    if (y > c.maxY[l]!) c.maxY[l] = y;
  }
  return c;
}

/**
 * Vertical ink run through each ink pixel of polarity `p` (0 elsewhere), in two row-major passes: the run's
 * length so far going down, then the whole length carried back up from the run's last pixel.
 */
function verticalRuns(ink: Uint8Array, p: number, w: number, h: number): Uint16Array {
  const runs = new Uint16Array(w * h);
  for (let i = 0; i < w; i++) if (ink[i] === p) runs[i] = 1;
  for (let i = w; i < w * h; i++) if (ink[i] === p) runs[i] = runs[i - w]! + 1;
  for (let i = w * (h - 1) - 1; i >= 0; i--) if (ink[i] === p && ink[i + w] === p) runs[i] = runs[i + w]!;
  return runs;
}

/** Glyph-like marks of one polarity, with their contrast against the rest of their box. */
function marks(px: ArrayLike<number>, ink: Uint8Array, p: number, w: number, h: number): Mark[] {
  const { count, minX, minY, maxX, maxY, area, thickness, runs, inkSum } = components(px, ink, p, w, h);
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
    let back = 0;
    let back2 = 0;
    let backCount = 0;
    for (let y = minY[l]!; y <= maxY[l]!; y++) {
      for (let i = y * w + minX[l]!; i <= y * w + maxX[l]!; i++) {
        if (ink[i] === p) continue;
        const v = px[i]!;
        back += v;
        back2 += v * v;
        backCount++;
      }
    }
    let contrast = Infinity;
    if (backCount > 0) {
      const mean = back / backCount;
      const sd = Math.sqrt(Math.max(0, back2 / backCount - mean * mean));
      contrast = Math.abs(inkSum[l]! / area[l]! - mean) / (sd + 4); // + 4: JPEG noise on a flat background
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
  const ink = inkMap(pixels, width, height);
  for (const polarity of [DARK, LIGHT]) {
    // One polarity at a time: a line of text is all dark-on-light or all light-on-dark.
    const list = marks(pixels, ink, polarity, width, height);
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
