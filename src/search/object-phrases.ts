// Search explanations' words for a detected object: "a dog, top left". Pure.
import { objectSearchWords } from '../model/object-classes.js';

export interface PlacedObject {
  label: string;
  /** Fractions (0–1) of the photo's width and height. */
  box: { x: number; y: number; width: number; height: number };
}

const article = (label: string) => (/^[aeiou]/.test(label) ? 'an' : 'a');

/** Where a box's centre lies, in thirds: "top left", "centre", "bottom". */
export function placeWords(box: PlacedObject['box']): string {
  const third = (v: number) => (v < 1 / 3 ? 0 : v < 2 / 3 ? 1 : 2);
  const row = ['top', '', 'bottom'][third(box.y + box.height / 2)]!;
  const column = ['left', '', 'right'][third(box.x + box.width / 2)]!;
  return [row, column].filter(Boolean).join(' ') || 'centre';
}

/** "a dog, top left": an object with its place on the photo. */
export function objectPhrase(object: PlacedObject): string {
  return `${article(object.label)} ${object.label}, ${placeWords(object.box)}`;
}

/** Whether a word the search matched in the tags names the object (its class, plural, translation or parent word). */
export function wordNamesObject(word: string, label: string): boolean {
  const wanted = word.toLowerCase();
  return objectSearchWords(label).some((w) => w.toLowerCase().split(/\s+/).includes(wanted));
}
