// face-api's SSD input (its NetInput.toBatchTensor): the photo padded to a square and resized to 512×512, in plain
// JavaScript. Pure.

/** SSD's input side: face-api pads the image to a square (bottom / right, zeros) and resizes it to this. */
export const SSD_INPUT_SIZE = 512;

/** Upright RGB pixels, 3 bytes per pixel, row by row. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * face-api's SSD input (NetInput.toBatchTensor(512, false)): the image padded to a square at the bottom / right
 * with zeros, resized to 512×512 as tf.image.resizeBilinear does without corner alignment or half-pixel centres,
 * as float 0..255 [512, 512, 3]. Plain JavaScript: the same ops on tfjs-wasm cost ~200 ms per photo here.
 */
export function ssdInput(image: RgbImage): Float32Array {
  const { data, width, height } = image;
  if (data.length !== width * height * 3) throw new Error(`expected ${width}×${height}×3 bytes, got ${data.length}`);
  const side = Math.max(width, height);
  const out = new Float32Array(SSD_INPUT_SIZE * SSD_INPUT_SIZE * 3);
  const scale = side / SSD_INPUT_SIZE;
  // Source columns and weights are the same on every row: worked out once (float32-rounded as tfjs computes them).
  const columns0 = new Int32Array(SSD_INPUT_SIZE);
  const columns1 = new Int32Array(SSD_INPUT_SIZE);
  const weightsX = new Float64Array(SSD_INPUT_SIZE);
  for (let ox = 0; ox < SSD_INPUT_SIZE; ox++) {
    const fx = Math.fround(ox * scale);
    columns0[ox] = Math.floor(fx);
    columns1[ox] = Math.min(side - 1, Math.ceil(fx));
    weightsX[ox] = Math.fround(fx - columns0[ox]!);
  }
  // The padding reads as 0; `at` is only needed where a row or column lies in it.
  const at = (y: number, x: number, c: number) => (y < height && x < width ? data[(y * width + x) * 3 + c]! : 0);
  for (let oy = 0; oy < SSD_INPUT_SIZE; oy++) {
    const fy = Math.fround(oy * scale);
    const y0 = Math.floor(fy);
    const y1 = Math.min(side - 1, Math.ceil(fy));
    const dy = Math.fround(fy - y0);
    if (y0 >= height) break; // this row and every later one are all padding: zeros
    const inside = y1 < height;
    const row0 = y0 * width * 3;
    const row1 = y1 * width * 3;
    for (let ox = 0; ox < SSD_INPUT_SIZE; ox++) {
      const x0 = columns0[ox]!;
      const x1 = columns1[ox]!;
      const dx = weightsX[ox]!;
      const o = (oy * SSD_INPUT_SIZE + ox) * 3;
      if (inside && x1 < width) {
        const a = row0 + x0 * 3;
        const b = row0 + x1 * 3;
        const d = row1 + x0 * 3;
        const e = row1 + x1 * 3;
        for (let c = 0; c < 3; c++) {
          const tl = data[a + c]!;
          const top = tl + (data[b + c]! - tl) * dx;
          const bl = data[d + c]!;
          const bottom = bl + (data[e + c]! - bl) * dx;
          out[o + c] = top + (bottom - top) * dy;
        }
        continue;
      }
      if (x0 >= width) break; // the rest of the row is padding
      for (let c = 0; c < 3; c++) {
        const tl = at(y0, x0, c);
        const tr = at(y0, x1, c);
        const bl = at(y1, x0, c);
        const br = at(y1, x1, c);
        const top = tl + (tr - tl) * dx;
        const bottom = bl + (br - bl) * dx;
        out[o + c] = top + (bottom - top) * dy;
      }
    }
  }
  return out;
}
