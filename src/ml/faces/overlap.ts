// One face, one box. The SSD's own non-maximum suppression drops a box only when its IoU with a stronger one is
// above 0.5, and a box around the head with a tighter one inside it (or two boxes shifted by half a face) stay
// below that: the same face came out twice, and a name from the file could land on the weaker box. Pure.
import { boxIou, boxOverlapOfSmaller } from '../geometry.js';
import type { Box } from '../types.js';

/** Boxes that overlap this much (IoU) are one face. */
export const SAME_FACE_IOU = 0.3;
/** A box this much inside another (of the smaller one's area) is the same face too. */
export const SAME_FACE_INSIDE = 0.7;

export function sameFace(a: Box, b: Box): boolean {
  return boxIou(a, b) >= SAME_FACE_IOU || boxOverlapOfSmaller(a, b) >= SAME_FACE_INSIDE;
}

/** The detections with each face once: the strongest box of every overlapping group, in their original order. */
export function mergeOverlappingFaces<T extends { box: Box; score: number }>(faces: readonly T[]): T[] {
  const byScore = faces.map((face, index) => ({ face, index })).sort((a, b) => b.face.score - a.face.score || a.index - b.index);
  const kept: { face: T; index: number }[] = [];
  for (const candidate of byScore) {
    if (!kept.some((k) => sameFace(k.face.box, candidate.face.box))) kept.push(candidate);
  }
  return kept.sort((a, b) => a.index - b.index).map((k) => k.face);
}
