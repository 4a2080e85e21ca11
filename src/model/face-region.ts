// A face region named in a file's metadata (media/face-regions.ts reads them), as photos.face_regions stores it.

/** A named face region, on the upright image: x, y of the top-left corner and its size, each 0–1. */
export interface FaceRegion {
  name: string;
  box: { x: number; y: number; width: number; height: number };
  source: 'mwg' | 'microsoft';
}
