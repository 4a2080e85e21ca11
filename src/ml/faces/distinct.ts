// The people of a clip, each once: its frames show the same faces again and again. Greedy, clearest face first
// (detector confidence times the square root of the face's area): a face joins the kept ones only when no kept face
// is within `maxDistance` (the people clustering's cosine distance for "may be the same person"). Pure.
import { cosineDistance } from '../people/vectors.js';
import type { DetectedFace } from '../types.js';

export function distinctFaces<T extends { face: DetectedFace }>(found: readonly T[], maxDistance: number): T[] {
  const clarity = ({ face }: T) => face.score * Math.sqrt(Math.max(0, face.box.width * face.box.height));
  const kept: T[] = [];
  for (const candidate of [...found].sort((a, b) => clarity(b) - clarity(a))) {
    if (kept.every((other) => cosineDistance(other.face.embedding, candidate.face.embedding) > maxDistance)) kept.push(candidate);
  }
  return kept;
}
