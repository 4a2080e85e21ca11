// The measures of a picture's sharpness and exposure, as stored with a photo (photos.quality) and read by the best
// shot (library/best-shot/score.ts). Measured by media/image-quality.ts.

export interface ImageQuality {
  /** Size of the analysed image (the upright preview). */
  width: number;
  height: number;
  cols: number;
  rows: number;
  /** RMS of the 4-neighbour Laplacian per tile, in grey levels, row by row: high where the picture is in focus. */
  tiles: number[];
  /** Mean grey level (0–255). */
  luma: number;
  /** Shares of the pixels that are crushed to black and blown to white. */
  shadows: number;
  highlights: number;
  /** Grey levels below which 1 % (above which 1 %) of the pixels lie: how much of the tonal range the picture uses. */
  low: number;
  high: number;
}
