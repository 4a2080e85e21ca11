// The objects step's pure parts: CenterNet's output decoded into upright boxes, the class → words table, the tags'
// fusion with CLIP's, and the explanations' phrases.
import { describe, expect, it } from 'vitest';
import { decodeDetections } from '../../src/ml/objects/decode.js';
import { OBJECT_CLASSES, objectClassesTagged, objectSearchWords, objectTags } from '../../src/model/object-classes.js';
import { fuseTags } from '../../src/model/tag-fusion.js';
import { objectPhrase, wordNamesObject } from '../../src/search/object-phrases.js';

const options = { inputSize: 512, upright: { width: 1024, height: 768 }, minScore: 0.25, maxOverlap: 0.5 };

describe('CenterNet detections', () => {
  it('scales each axis from the square input back to the upright size, drops low scores and duplicate boxes of a class', () => {
    // x1, y1, x2, y2, score, class (index 16 is dog, 0 person)
    const values = [
      [0, 0, 256, 256, 0.8, 16],
      [8, 8, 256, 256, 0.5, 16], // the same dog, worse
      [8, 8, 256, 256, 0.6, 0], // a person at the same place stays
      [0, 0, 640, 100, 0.9, 0], // clipped to the frame
      [300, 300, 400, 400, 0.2, 15], // under the cut
    ].flat();
    expect(decodeDetections(values, options)).toEqual([
      { label: 'person', confidence: 0.9, box: { x: 0, y: 0, width: 1024, height: 150 } },
      { label: 'dog', confidence: 0.8, box: { x: 0, y: 0, width: 512, height: 384 } },
      { label: 'person', confidence: 0.6, box: { x: 16, y: 12, width: 496, height: 372 } },
    ]);
  });

  it('drops a loose box round a better one of its class', () => {
    const values = [
      [100, 100, 200, 300, 0.6, 0],
      [60, 60, 260, 400, 0.3, 0],
    ].flat();
    expect(decodeDetections(values, options).map((o) => o.confidence)).toEqual([0.6]);
  });
});

describe('object classes', () => {
  it("lists COCO's 80 classes in the detector's order, each word table complete", () => {
    expect(OBJECT_CLASSES).toHaveLength(80);
    expect(OBJECT_CLASSES[0]!.name).toBe('person');
    expect(OBJECT_CLASSES[79]!.name).toBe('toothbrush');
    for (const c of OBJECT_CLASSES) expect([c.plural, c.fr, c.de].every(Boolean)).toBe(true);
  });

  it('gives parents, plurals and translations', () => {
    expect(objectTags('dog')).toEqual(['dog', 'pet', 'animal']);
    expect(objectTags('bus')).toEqual(['bus', 'vehicle']);
    expect(objectSearchWords('dog')).toEqual(expect.arrayContaining(['dogs', 'chien', 'Hund', 'pets', 'Haustier', 'animals', 'Tier']));
    expect(objectSearchWords('person')).toEqual(expect.arrayContaining(['people', 'personne']));
    expect(objectClassesTagged('pet').sort()).toEqual(['cat', 'dog']);
    expect(objectClassesTagged('food')).toEqual(expect.arrayContaining(['pizza', 'banana', 'broccoli']));
    expect(objectClassesTagged('electronics')).toEqual(expect.arrayContaining(['laptop', 'tv', 'cell phone']));
  });
});

describe('tags fused', () => {
  it('keeps one tag a name, its best confidence and every model that found it', () => {
    const fused = fuseTags([
      { name: 'dog', confidence: 0.3, source: 'clip' },
      { name: 'beach', confidence: 0.4, source: 'clip' },
      { name: 'dog', confidence: 0.7, source: 'objects' },
      { name: 'dog', confidence: 0.5, source: 'objects' },
    ]);
    expect(fused).toEqual([
      { name: 'dog', confidence: 0.7, sources: ['objects', 'clip'] },
      { name: 'beach', confidence: 0.4, sources: ['clip'] },
    ]);
  });
});

describe('explanations', () => {
  it('names an object with where it is', () => {
    expect(objectPhrase({ label: 'dog', box: { x: 0, y: 0, width: 0.2, height: 0.2 } })).toBe('a dog, top left');
    expect(objectPhrase({ label: 'elephant', box: { x: 0.4, y: 0.4, width: 0.2, height: 0.2 } })).toBe('an elephant, centre');
    expect(objectPhrase({ label: 'cat', box: { x: 0.4, y: 0.8, width: 0.2, height: 0.1 } })).toBe('a cat, bottom');
    expect(wordNamesObject('dogs', 'dog')).toBe(true);
    expect(wordNamesObject('pet', 'cat')).toBe(true);
    expect(wordNamesObject('phone', 'cell phone')).toBe(true);
    expect(wordNamesObject('beach', 'dog')).toBe(false);
  });
});
