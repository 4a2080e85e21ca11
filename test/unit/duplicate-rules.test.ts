import { describe, expect, it } from 'vitest';
import { classifyMatch, closestOrientation, DEFAULT_DUPLICATE_THRESHOLDS as T, orderedPair, type MatchEvidence } from '../../src/library/duplicates/rules.js';
import {
  keeperCandidates,
  keptDespite,
  keptWith,
  originals,
  supersededBy,
  supersedes,
  versionsOfOneShot,
  type CopyFacts,
} from '../../src/library/duplicates/provenance.js';
import { keptWords } from '../../src/library/duplicates/kept-words.js';
import type { Lineage } from '../../src/model/file-facts.js';

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

  it("a RAW and its JPEG, an original and its edit, a stack's frames are versions of one shot, not copies", () => {
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

  it('keeps a lossless or deeper file for its lossy copy of the same size, however much better the copy scores', () => {
    const png = file('png', 'scan.png', { mime: 'image/png', encoding: { lossless: true, bitDepth: 8 }, score: 0.5 });
    const sharper = file('jpg', 'scan-web.jpg', { encoding: { lossless: false, bitDepth: 8 }, score: 0.65 });
    expect(keptDespite(sharper, png)).toEqual({ kind: 'has-more', of: 'jpg', what: ['lossless'] });
    expect(keptWords(keptDespite(sharper, png)!, png, () => sharper)).toBe('it has what scan-web.jpg lacks: its pixels stored without loss');
    expect(keptWith([png, sharper], ['jpg'])).toEqual(['jpg', 'png']);
    // an even shot: the PNG is the source, its JPEG goes for it and never the reverse
    const jpeg = { ...sharper, score: 0.5 };
    expect(originals([png, jpeg]).map((m) => m.id)).toEqual(['png']);
    expect(supersedes(png, jpeg)).toBe(true);
    // a photo stored before its file facts were read: a PNG by its format, a JPEG too
    expect(supersedes({ ...jpeg, encoding: null }, { ...png, encoding: null })).toBe(false);
    // more bits per colour: a 10-bit HEIF, a 16-bit TIFF (lossless as well)
    const heif = file('heif', 'shot.heic', { mime: 'image/heic', encoding: { lossless: null, bitDepth: 10 } });
    expect(keptDespite(jpeg, heif)).toEqual({ kind: 'has-more', of: 'jpg', what: ['depth', 'maybe-source'] });
    const tiff = file('tif', 'shot.tif', { mime: 'image/tiff', encoding: { lossless: true, bitDepth: 16 } });
    expect(keptDespite(png, tiff)).toEqual({ kind: 'has-more', of: 'png', what: ['depth'] });
    // a palette PNG or an 8-bit HEIF may be lossless: beside a lossy JPEG of as many pixels nothing tells which came
    // first (a drawing and its JPEG, or a photo cut to 256 colours from its JPEG), so neither goes for the other
    const palette = { ...png, encoding: { lossless: null, bitDepth: null } };
    expect(keptDespite(jpeg, palette)).toEqual({ kind: 'has-more', of: 'jpg', what: ['maybe-source'] });
    expect(keptDespite(palette, jpeg)).toEqual({ kind: 'has-more', of: 'png', what: ['maybe-source'] });
    expect(keptWords(keptDespite(jpeg, palette)!, palette, () => jpeg)).toBe(
      'it has what scan-web.jpg lacks: perhaps the source (one lossy, the other perhaps lossless: which came first cannot be told)',
    );
    expect(keptWith([jpeg, palette], ['png'])).toEqual(['png', 'jpg']);
    expect(supersedes(jpeg, { ...heif, encoding: { lossless: null, bitDepth: 8 } })).toBe(false);
    // unless one has an original's mark over the other: the camera's JPEG goes for no 256-colour PNG without its facts
    const cameraJpeg = { ...jpeg, ...camera };
    expect(supersedes(cameraJpeg, palette)).toBe(true);
    expect(supersedes(palette, cameraJpeg)).toBe(false);
    // nor is a smaller PNG a source (a thumbnail)
    expect(supersedes(jpeg, { ...png, width: 320, height: 214 })).toBe(true);
    expect(supersedes(jpeg, { ...palette, width: 320, height: 214 })).toBe(true);
  });

  it('knows an edit by the marks an editor leaves, whatever its name: never chosen over its source, neither trashed for the other', () => {
    const lineage = (over: Partial<Lineage> = {}): Lineage => ({
      makerNotes: false,
      software: [],
      documentId: null,
      instanceId: null,
      originalDocumentId: null,
      derivedFrom: [],
      ...over,
    });
    const original = file('o', 'DSC_0042.JPG', { ...camera, lineage: lineage({ makerNotes: true, software: ['Ver.1.00'] }), score: 0.5 });
    const edit = file('e', 'holiday.jpg', { ...camera, lineage: lineage({ software: ['Adobe Photoshop Lightroom Classic 13.1 (Windows)'] }), score: 0.7 });
    const chat = file('c', 'IMG-20240501-WA0003.jpg', { width: 800, height: 534, lineage: lineage() });
    expect(versionsOfOneShot(original, edit)).toBe(true);
    expect(keptDespite(edit, original)).toEqual({ kind: 'version', of: 'e' });
    expect(keptDespite(original, edit)).toEqual({ kind: 'version', of: 'o' });
    expect(keptWords(keptDespite(edit, original)!, original, () => edit)).toBe(
      'the original of holiday.jpg, its edit (an editor’s marks): one shot, not a copy',
    );
    // the better shot is the edit; the keeper is its source, the edit kept beside it, the messenger's copy proposed
    expect(keeperCandidates([original, edit, chat]).map((m) => m.id)).toEqual(['o']);
    expect(keptWith([original, edit, chat], ['o'])).toEqual(['o', 'e']);
    // and so for an edit by its name
    const pixel = file('p', 'PXL_1.jpg', { ...camera, score: 0.5 });
    expect(keeperCandidates([pixel, file('pe', 'PXL_1-edited.jpg', { ...camera, score: 0.9 })]).map((m) => m.id)).toEqual(['p']);
    // an XMP link to the file it was derived from, whatever wrote it
    const master = file('m', 'master.tif', { mime: 'image/tiff', lineage: lineage({ documentId: 'xmp.did:1' }) });
    const exported = file('x', 'export.jpg', { lineage: lineage({ derivedFrom: ['xmp.did:1', 'xmp.iid:2'] }), score: 0.9 });
    expect(keptDespite(exported, master)).toEqual({ kind: 'version', of: 'x' });
    // marks that tie nothing: an editor's file and a copy with no camera facts, or taken at another instant, or files
    // whose facts were not read yet (stored before them)
    expect(versionsOfOneShot(edit, chat)).toBe(false);
    expect(versionsOfOneShot(original, { ...edit, takenAt: new Date(at.getTime() + 1000) })).toBe(false);
    expect(versionsOfOneShot({ ...original, lineage: null }, edit)).toBe(false);
    // a camera's file re-saved without its maker notes goes for the camera's file, never the reverse
    const resaved = file('r', 'DSC_0042 copy.jpg', { ...camera, lineage: lineage({ software: ['Ver.1.00'] }) });
    expect(keptDespite(resaved, original)).toEqual({ kind: 'has-more', of: 'r', what: ['maker-notes'] });
    expect(supersedes(original, resaved)).toBe(true);
  });
});
