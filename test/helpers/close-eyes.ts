// Closes the eyes of a face in a photo, the way a retoucher would: each eye's opening (from face-api's 68 landmarks)
// filled with the skin of the lid just above it, its edge feathered, and a dark lash line drawn from corner to
// corner where closed lids meet. Test photos "with closed eyes" for the best shot (bench/best-shot, tests): the
// corpus has no photo of a person blinking next to one of the same person with eyes open.
import sharp from 'sharp';

interface Point {
  x: number;
  y: number;
}

/** Writes `out`: `file` (upright) with the eyes of each face whose 68 landmarks are given closed. */
export async function closeEyes(file: string, faces: readonly (readonly Point[])[], out: string): Promise<void> {
  const { data, info } = await sharp(file).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const width = info.width;
  const height = info.height;
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height;
  const blend = (x: number, y: number, rgb: readonly number[], alpha: number) => {
    const at = (y * width + x) * 3;
    for (let c = 0; c < 3; c++) data[at + c] = Math.round(alpha * rgb[c]! + (1 - alpha) * data[at + c]!);
  };
  for (const landmarks of faces) {
    for (const start of [36, 42]) {
      const eye = landmarks.slice(start, start + 6);
      const x0 = Math.min(...eye.map((p) => p.x));
      const x1 = Math.max(...eye.map((p) => p.x));
      const w = x1 - x0;
      const cx = (x0 + x1) / 2;
      const cy = eye.reduce((sum, p) => sum + p.y, 0) / eye.length;
      const rx = w * 0.7;
      const ry = w * 0.42;
      // the lid's colour per column: the mean of a band of skin above the opening
      const lid = (x: number): number[] => {
        const sum = [0, 0, 0];
        let n = 0;
        for (let y = Math.round(cy - ry * 1.6); y <= Math.round(cy - ry * 1.15); y++) {
          for (let dx = -1; dx <= 1; dx++) {
            if (!inside(x + dx, y)) continue;
            for (let c = 0; c < 3; c++) sum[c]! += data[(y * width + x + dx) * 3 + c]!;
            n++;
          }
        }
        return n ? sum.map((v) => v / n) : [128, 110, 100];
      };
      for (let x = Math.floor(cx - rx); x <= Math.ceil(cx + rx); x++) {
        const skin = lid(x);
        for (let y = Math.floor(cy - ry); y <= Math.ceil(cy + ry); y++) {
          const d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
          if (d > 1 || !inside(x, y)) continue;
          // the closed lid is a little darker towards the lash line
          const shade = 1 - 0.12 * Math.max(0, (y - (cy - ry)) / (2 * ry));
          blend(
            x,
            y,
            skin.map((v) => v * shade),
            d < 0.55 ? 1 : (1 - d) / 0.45,
          );
        }
      }
      const thick = Math.max(1, w * 0.05);
      for (let x = Math.floor(x0); x <= Math.ceil(x1); x++) {
        const t = (x - cx) / (w / 2);
        const line = cy + ry * 0.3 * (1 - t * t);
        for (let y = Math.floor(line - thick); y <= Math.ceil(line + thick); y++) {
          if (inside(x, y)) blend(x, y, [40, 30, 28], Math.max(0, 1 - Math.abs(y - line) / thick) * 0.8);
        }
      }
    }
  }
  await sharp(data, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 92 })
    .toFile(out);
}
