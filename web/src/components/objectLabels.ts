// What the objects overlay draws (ObjectOverlay.tsx): pure, so the cap and the labels are tested without a browser.
import type { PhotoDetail } from '../api.js';

/** More boxes than this hide the photo under frames; the surest are drawn. */
export const MOST_OBJECT_BOXES = 20;

type DetectedObject = PhotoDetail['objects'][number];

/** The objects to draw: the surest first, at most MOST_OBJECT_BOXES. */
export function objectsToDraw(objects: readonly DetectedObject[]): DetectedObject[] {
  return [...objects].sort((a, b) => b.confidence - a.confidence).slice(0, MOST_OBJECT_BOXES);
}

/** A box's label with the detector's confidence: "person 87 %" (in the text, as no pointer reaches the boxes). */
export function objectLabel(object: Pick<DetectedObject, 'label' | 'confidence'>): string {
  return `${object.label} ${Math.round(object.confidence * 100)} %`;
}
