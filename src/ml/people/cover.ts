// Which face shows a person. Pure, and apart from the clustering rules: it ranks a person's faces by how they look,
// not by whom they belong to.

export interface CoverCandidate {
  id: string;
  /** Detector confidence. */
  score: number;
  box: { width: number; height: number };
}

/**
 * The face to show for a person: highest score × size, size = √(width × height) (a length, so that a large
 * blurry face does not beat a sharp one by area alone); ties go to the smaller id, so the pick is stable.
 */
export function pickCoverFace<T extends CoverCandidate>(faces: readonly T[]): T | null {
  let best: T | null = null;
  let bestValue = -Infinity;
  for (const face of faces) {
    const raw = face.score * Math.sqrt(Math.max(0, face.box.width) * Math.max(0, face.box.height));
    const value = Number.isFinite(raw) ? raw : -Infinity;
    if (best === null || value > bestValue || (value === bestValue && face.id < best.id)) {
      best = face;
      bestValue = value;
    }
  }
  return best;
}
