import { describe, expect, it } from 'vitest';
import {
  classifyMatch,
  closestOrientation,
  DEFAULT_DUPLICATE_THRESHOLDS as T,
  orderedPair,
  type MatchEvidence,
} from '../../src/library/duplicates/rules.js';
import { keptDespite, keptWith, originals, supersededBy, supersedes, versionsOfOneShot, type CopyFacts } from '../../src/library/duplicates/provenance.js';

const evidence = (over: Partial<MatchEvidence>): MatchEvidence => ({
  photoId: 'b',
  pdqDistance: null,
  pdqOrientation: null,
  similarity: null,
  sameCamera: false,
  secondsApart: null,
  ...over,
});

/** A hash with the first `bits` bits of `base` flipped. */
function flip(base: string, bits: number): string {
  const digits = base.split('').map((d) => parseInt(d, 16));
  for (let b = 0; b < bits; b++) digits[b >> 2]! ^= 1 << (b & 3);
  return digits.map((d) => d.toString(16)).join('');
}
const hash = 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f';

describe('duplicate tiers', () => {
  it('PDQ within the distance is a duplicate, one bit further is not', () => {
    expect(classifyMatch(evidence({ pdqDistance: 31 }), T)).toEqual({ kind: 'duplicate', tier: 'pdq' });
    expect(classifyMatch(evidence({ pdqDistance: 32 }), T)).toBeNull();
  });

  it('CLIP similarity at the threshold is a duplicate when PDQ says nothing', () => {
    expect(classifyMatch(evidence({ pdqDistance: 80, similarity: 0.95 }), T)).toEqual({ kind: 'duplicate', tier: 'clip' });
    expect(classifyMatch(evidence({ similarity: 0.949 }), T)).toBeNull();
  });

  it('same camera seconds apart is a burst even within the PDQ distance, and practically identical; the same instant is one shot', () => {
    const burst = { sameCamera: true, secondsApart: 1 };
    expect(classifyMatch(evidence({ ...burst, pdqDistance: 24 }), T)).toEqual({ kind: 'burst', tier: 'burst' });
    expect(classifyMatch(evidence({ ...burst, pdqDistance: 90 }), T)).toEqual({ kind: 'burst', tier: 'burst' });
    // two exposures of a still scene: each is the only file of its frame, never offered for deletion as a copy
    expect(classifyMatch(evidence({ ...burst, pdqDistance: 6 }), T)).toEqual({ kind: 'burst', tier: 'burst' });
    expect(classifyMatch(evidence({ sameCamera: true, secondsApart: 0.2, pdqDistance: 0 }), T)).toEqual({ kind: 'burst', tier: 'burst' });
    expect(classifyMatch(evidence({ sameCamera: true, secondsApart: 4, pdqDistance: 24 }), T)).toEqual({ kind: 'duplicate', tier: 'pdq' });
    expect(classifyMatch(evidence({ sameCamera: false, secondsApart: 1, pdqDistance: 90 }), T)).toBeNull();
    // the same capture instant is the same shot: an edited copy that kept its EXIF date
    expect(classifyMatch(evidence({ sameCamera: true, secondsApart: 0, pdqDistance: 24 }), T)).toEqual({ kind: 'duplicate', tier: 'pdq' });
    expect(classifyMatch(evidence({ sameCamera: true, secondsApart: 0, pdqDistance: 90 }), T)).toBeNull();
  });

  it('compares every orientation of the probe and names the closest; weak hashes are not compared', () => {
    const probe = { quality: 100, hashes: { original: flip(hash, 120), flipy: flip(hash, 4) } };
    expect(closestOrientation(probe, { hash, quality: 90 }, 50)).toEqual({ distance: 4, orientation: 'flipy' });
    expect(closestOrientation(probe, { hash, quality: 49 }, 50)).toBeNull();
    expect(closestOrientation({ ...probe, quality: 10 }, { hash, quality: 90 }, 50)).toBeNull();
    expect(closestOrientation(probe, { hash: null, quality: null }, 50)).toBeNull();
  });
});

describe('dismissals', () => {
  it('orders dismissal pairs', () => {
    expect(orderedPair('b', 'a')).toEqual(['a', 'b']);
  });
});

describe('provenance: which member of a group may go', () => {
  const at = new Date('2024-05-01T10:00:00.000Z');
  const camera = { make: 'Canon', model: 'Canon EOS R5', takenAt: at };
  const file = (id: string, filename: string, over: Partial<CopyFacts> = {}): CopyFacts => ({
    id,
    filename,
    mime: filename.endsWith('.CR2') ? 'image/x-canon-cr2' : 'image/jpeg',
    width: 1600,
    height: 1068,
    make: null,
    model: null,
    takenAt: null,
    stackId: null,
    ...over,
  });
  // a camera's pair (its RAW's embedded preview smaller than its JPEG), and a messenger's copy of the JPEG
  const raw = file('raw', 'IMG_1.CR2', { ...camera, width: 1440, height: 961, stackId: 's' });
  const jpeg = file('jpeg', 'IMG_1.JPG', { ...camera, stackId: 's' });
  const chat = file('chat', 'IMG-20240501-WA0001.jpg', { width: 800, height: 534 });

  it('a RAW and its JPEG, an original and its edit, a stack\'s frames are versions of one shot, not copies', () => {
    expect(versionsOfOneShot(raw, jpeg)).toBe(true);
    expect(versionsOfOneShot({ ...raw, stackId: null }, { ...jpeg, stackId: null })).toBe(true); // by their names, stacked or not
    const original = file('o', 'PXL_1.jpg', camera);
    const edit = file('e', 'PXL_1-edited.jpg', camera);
    expect(versionsOfOneShot(original, edit)).toBe(true);
    expect(keptDespite(original, edit)).toEqual({ kind: 'version', of: 'o' });
    expect(keptDespite(edit, original)).toEqual({ kind: 'version', of: 'e' });
    const frame = (id: string, ms: number) => file(id, `${id}.jpg`, { ...camera, takenAt: new Date(at.getTime() + ms), stackId: 'burst' });
    expect(versionsOfOneShot(frame('f1', 0), frame('f2', 250))).toBe(true);
    // the same JPEG stored twice is a copy, even in the RAW's stack
    const again = file('again', 'IMG_1.JPG', { ...camera, stackId: 's', width: 1600 });
    expect(versionsOfOneShot(jpeg, again)).toBe(false);
    expect(supersedes(jpeg, again)).toBe(true);
    expect(versionsOfOneShot(raw, again)).toBe(true);
    // the same name in one format with nothing else to tie them: no version (a copy that kept its name)
    expect(versionsOfOneShot(file('a', 'IMG_9.jpg', camera), file('b', 'IMG_9.jpg'))).toBe(false);
  });

  it('never proposes a RAW, nor a source for its smaller, stripped or edited copy; the copy goes for its source', () => {
    expect(keptDespite(jpeg, raw)).toEqual({ kind: 'raw' });
    expect(keptDespite(file('raw2', 'IMG_2.CR2', { ...camera, width: 1440, height: 961 }), raw)).toEqual({ kind: 'raw' });
    expect(supersedes(jpeg, chat)).toBe(true);
    expect(supersedes(raw, chat)).toBe(true);
    expect(keptDespite(chat, jpeg)).toEqual({ kind: 'has-more', of: 'chat', what: ['pixels', 'camera', 'date'] });
    const edited = file('x', 'IMG_1-edited.jpg', { width: 1600, height: 1068 });
    const stripped = file('y', 'copy.jpg');
    expect(keptDespite(edited, stripped)).toEqual({ kind: 'has-more', of: 'x', what: ['original'] });
    // taken at another instant: another shot, however alike
    expect(keptDespite(file('a', 'a.jpg', camera), file('b', 'b.jpg', { ...camera, takenAt: new Date(at.getTime() + 4000) }))).toEqual({
      kind: 'another-moment',
      of: 'a',
    });
  });

  it('keeps the best shot among the originals, and with it whatever the kept photo does not make redundant', () => {
    const group = [raw, jpeg, chat];
    expect(originals(group).map((m) => m.id)).toEqual(['raw', 'jpeg']);
    expect(Object.fromEntries(supersededBy(group))).toEqual({ raw: [], jpeg: [], chat: ['raw', 'jpeg'] });
    expect(keptWith(group, ['jpeg'])).toEqual(['jpeg', 'raw']);
    expect(keptWith(group, ['chat'])).toEqual(['chat', 'raw', 'jpeg']);
    // copies of equal standing (same size, nothing recorded): either may go for the other
    const a = file('a', 'a.jpg');
    const b = file('b', 'b.jpg');
    expect(originals([a, b, chat]).map((m) => m.id)).toEqual(['a', 'b']);
    expect(keptWith([a, b, chat], ['b'])).toEqual(['b']);
    // signals that disagree (more pixels, but no camera facts): neither goes for the other; the user chooses
    const upscaled = file('up', 'up.jpg', { width: 3200, height: 2136 });
    const small = file('small', 'small.jpg', { ...camera, width: 800, height: 534 });
    expect(originals([upscaled, small]).map((m) => m.id)).toEqual(['up', 'small']);
    expect(keptWith([upscaled, small], ['up'])).toEqual(['up', 'small']);
    // more pixels but a clearly worse shot (an upscaled, shaken copy): neither goes for the other; a darker copy goes
    const sharp = file('sharp', 'f.jpg', { width: 800, height: 533, score: 0.8 });
    const shaken = file('shaken', 'f-shaken.jpg', { width: 1000, height: 666, score: 0.5 });
    const dark = file('dark', 'f-dark.jpg', { width: 800, height: 533, score: 0.4 });
    expect(keptDespite(shaken, sharp)).toEqual({ kind: 'has-more', of: 'shaken', what: ['shot'] });
    expect(keptDespite(sharp, shaken)).toEqual({ kind: 'has-more', of: 'sharp', what: ['pixels'] });
    expect(originals([sharp, shaken, dark]).map((m) => m.id)).toEqual(['sharp', 'shaken']);
    expect(keptWith([sharp, shaken, dark], ['sharp'])).toEqual(['sharp', 'shaken']);
  });
});
