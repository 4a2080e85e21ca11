// CenterNet's detections as objects, pure. The graph (Human's MB3-CenterNet) already decodes its heat map into its
// 100 best peaks, each `x1, y1, x2, y2, score, class` in pixels of its square input; the image was stretched to
// that square, so x and y scale back separately. Overlapping boxes of one class are cut to the best (greedy NMS), and
// so is a box that holds a better one of its class almost whole (the Curie portrait's loose third "person" round Marie).
import { boxIou, boxShareInside } from '../geometry.js';
import type { Box } from '../types.js';
import { OBJECT_CLASSES } from '../../model/object-classes.js';

export interface DetectedObject {
  label: string;
  /** The detector's score, 0–1. */
  confidence: number;
  /** Upright pixels of the original. */
  box: Box;
}

export interface DecodeOptions {
  /** The model's square input side. */
  inputSize: number;
  /** The size the boxes come back in (the upright original). */
  upright: { width: number; height: number };
  /** Detections under this score are dropped. */
  minScore: number;
  /** A box overlapping a better one of its class by more than this (IoU) is the same object. */
  maxOverlap: number;
}

/**
 * A box holding this share of a better box of its class is the same object, seen loosely. Only that way round: a
 * smaller box inside a better one is another object (a child in front of an adult, a cup in front of a cup).
 */
const CONTAINS = 0.9;

const VALUES = 6;

/** The objects in the graph's `detections` output, best first. */
export function decodeDetections(values: ArrayLike<number>, options: DecodeOptions): DetectedObject[] {
  const sx = options.upright.width / options.inputSize;
  const sy = options.upright.height / options.inputSize;
  const found: DetectedObject[] = [];
  for (let at = 0; at + VALUES <= values.length; at += VALUES) {
    const score = values[at + 4]!;
    const label = OBJECT_CLASSES[Math.round(values[at + 5]!)]?.name;
    if (!(score >= options.minScore) || !label) continue;
    const x1 = clamp(values[at]! * sx, options.upright.width);
    const y1 = clamp(values[at + 1]! * sy, options.upright.height);
    const x2 = clamp(values[at + 2]! * sx, options.upright.width);
    const y2 = clamp(values[at + 3]! * sy, options.upright.height);
    if (x2 <= x1 || y2 <= y1) continue;
    found.push({ label, confidence: round(score), box: { x: round(x1), y: round(y1), width: round(x2 - x1), height: round(y2 - y1) } });
  }
  return suppressOverlaps(found, options.maxOverlap);
}

/** Greedy non-maximum suppression within each class: the best box of an object stays. */
export function suppressOverlaps(objects: readonly DetectedObject[], maxOverlap: number): DetectedObject[] {
  const kept: DetectedObject[] = [];
  for (const candidate of [...objects].sort((a, b) => b.confidence - a.confidence)) {
    const same = (k: DetectedObject) => boxIou(k.box, candidate.box) > maxOverlap || boxShareInside(k.box, candidate.box) > CONTAINS;
    if (kept.some((k) => k.label === candidate.label && same(k))) continue;
    kept.push(candidate);
  }
  return kept;
}

const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value));
const round = (value: number) => Math.round(value * 1000) / 1000;
