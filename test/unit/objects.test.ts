// The objects step's pure parts: CenterNet's output decoded into upright boxes, the class → words table, the tags'
// fusion with CLIP's, and the explanations' phrases.
import { describe, expect, it } from 'vitest';
import { decodeDetections } from '../../src/ml/objects/decode.js';
import {
  OBJECT_CLASSES,
  objectBroaderWords,
  objectClassesTagged,
  objectNameWords,
  objectSearchWords,
  objectTagName,
  objectTags,
  parentWords,
} from '../../src/model/object-classes.js';
import { VOCABULARY } from '../../src/ml/tags/vocabulary.js';
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

  it('keeps a smaller, worse box inside a better one of its class: another object in front (a child before an adult)', () => {
    const values = [
      [60, 60, 260, 400, 0.6, 0],
      [100, 200, 160, 300, 0.3, 0],
    ].flat();
    expect(decodeDetections(values, options).map((o) => o.confidence)).toEqual([0.6, 0.3]);
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
    expect(objectSearchWords('dog')).toEqual(expect.arrayContaining(['dogs', 'chien', 'Hund', 'pets', 'Haustier', 'animals']));
    expect(objectSearchWords('person')).toEqual(expect.arrayContaining(['people', 'personne']));
    expect(objectClassesTagged('pet').sort()).toEqual(['cat', 'dog']);
    expect(objectClassesTagged('food')).toEqual(expect.arrayContaining(['pizza', 'banana', 'broccoli']));
    expect(objectClassesTagged('electronics')).toEqual(expect.arrayContaining(['laptop', 'tv', 'cell phone']));
  });
});

// As search reads a typed word, roughly: no accents, lowercase, English stemming (a plural's s, a final e, y → i),
// then a prefix of every stored word. Rough on the strict side: a stored word is compared unstemmed.
const fold = (w: string) => w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const stem = (w: string) => {
  const folded = fold(w);
  // Snowball's rule: a final s goes when a vowel comes before the letter before it (bus stays, boats goes)
  const bare = /[^s]s$/.test(folded) && /[aeiouy]/.test(folded.slice(0, -2)) ? folded.slice(0, -1) : folded;
  return (bare.length > 4 ? bare.replace(/e$/, '') : bare).replace(/([^aeiou])y$/, '$1i');
};
const tokens = (words: string[]) => words.flatMap((w) => fold(w).split(/[\s'-]+/));
// the review's examples (issue 64): German Tier, kitchenware, Handy and Handtasche, Boot, Bank, bateau
const TYPED = ['tie', 'kitchen', 'hands', 'boots', 'bank', 'bat'];

describe('object words in search', () => {
  it('adds no translation or parent word that an English word of another class, or a common one, finds', () => {
    const english = new Set([...TYPED, ...tokens(OBJECT_CLASSES.flatMap((c) => [c.name, c.plural, ...c.parents.flatMap((p) => [p, parentWords(p).plural])]))]);
    const collisions = OBJECT_CLASSES.flatMap((c) => {
      // what the class's own English words already answer is no noise of the translations
      const own = tokens(objectNameWords(c.name).concat(c.parents.flatMap((p) => [p, parentWords(p).plural])));
      const added = tokens(objectBroaderWords(c.name));
      return [...english]
        .filter((typed) => !own.some((w) => w.startsWith(stem(typed))))
        .flatMap((typed) => added.filter((w) => w.startsWith(stem(typed))).map((w) => `${typed} → ${w} (${c.name})`));
    });
    expect(collisions).toEqual([]);
  });

  it('leaves French stop words out and keeps a doubtful detection to its class name', () => {
    expect(objectSearchWords('dog')).toContain('animal compagnie');
    expect(objectSearchWords('fire hydrant')).toContain('bouche incendie');
    expect(tokens(OBJECT_CLASSES.flatMap((c) => objectSearchWords(c.name)))).not.toEqual(expect.arrayContaining(['de']));
    expect(tokens(OBJECT_CLASSES.flatMap((c) => objectSearchWords(c.name)))).not.toEqual(expect.arrayContaining(['en']));
    expect(objectNameWords('dog')).toEqual(['dog', 'dogs']);
    expect(objectBroaderWords('dog')).not.toContain('dog');
  });
});

describe("object tags in CLIP's names", () => {
  it("names a class's tag as CLIP's vocabulary does, so the two fuse and CLIP's rodent and colour stay apart", () => {
    expect(objectTags('mouse')).toEqual(['computer mouse', 'electronics']);
    expect(objectTags('orange')).toEqual(['orange fruit', 'fruit', 'food']);
    expect(objectClassesTagged('mouse')).toEqual([]);
    expect(objectClassesTagged('orange')).toEqual([]);
    expect(objectClassesTagged('computer mouse')).toEqual(['mouse']);
    expect(objectClassesTagged('sofa')).toEqual(['couch']);
    expect(objectClassesTagged('smartphone')).toEqual(['cell phone']);
    // every class's tag is a name of CLIP's vocabulary, or a class CLIP does not name
    const clip = new Set(VOCABULARY.map((v) => v.name));
    const renamed = OBJECT_CLASSES.filter((c) => objectTagName(c.name) !== c.name);
    expect(renamed.length).toBeGreaterThan(8);
    for (const c of renamed) expect(clip.has(objectTagName(c.name)), c.name).toBe(true);
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
