import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { measureImageQuality, subjectSharpness } from '../../src/media/image-quality.js';
import { faceSharpness } from '../../src/ml/faces/face-quality.js';
import {
  DUPLICATE_SCORE_TIE,
  pickBestShot,
  pickBestVersion,
  scoreShot,
  whyBest,
  type BestShotCandidate,
  type ShotScore,
} from '../../src/library/best-shot/score.js';
import { assets } from '../helpers/corpus.js';

/** The grey levels of a corpus photo made into a 1,440 px preview, after `edit`, as the hashes step measures them. */
async function previewGrey(file: string, edit: (s: Sharp, longSide: number) => Sharp = (s) => s) {
  const meta = await sharp(file).metadata();
  const edited = await edit(sharp(file).rotate(), Math.max(meta.width!, meta.height!)).jpeg({ quality: 92 }).toBuffer();
  const preview = await sharp(edited).resize(1440, 1440, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 82 }).toBuffer();
  const { data, info } = await sharp(preview).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const blur = (s: Sharp, longSide: number) => s.blur(longSide * 0.0015);
const darken = (s: Sharp) => s.linear(0.3, 0);
const brighten = (s: Sharp) => s.linear(2.2, 10);

const candidate = (photoId: string, shot: ShotScore | null, over: Partial<BestShotCandidate> = {}): BestShotCandidate => ({
  photoId,
  shot,
  width: 4000,
  height: 3000,
  sizeBytes: 3_000_000,
  date: new Date('2024-05-01T10:00:00Z'),
  ...over,
});

describe('image quality measures', () => {
  const falcon = path.join(assets, 'albums/nature/prairie_falcon.jpg');

  it('a blurred copy is far less sharp; a darker or brighter one about as sharp (sharpness is divided by the mean level)', async () => {
    const measure = async (edit?: Parameters<typeof previewGrey>[1]) => {
      const grey = await previewGrey(falcon, edit);
      return measureImageQuality(grey.data, grey.width, grey.height);
    };
    const [original, blurred, dark, bright] = await Promise.all([measure(), measure(blur), measure(darken), measure(brighten)]);
    expect(original.cols * original.rows).toBe(original.tiles.length);
    expect(Math.max(original.cols, original.rows)).toBe(16);
    expect(subjectSharpness(blurred)).toBeLessThan(subjectSharpness(original) / 3);
    expect(subjectSharpness(dark)).toBeGreaterThan(subjectSharpness(original) * 0.6);
    expect(subjectSharpness(bright)).toBeGreaterThan(subjectSharpness(original) * 0.6);
    // the tonal range: an underexposed frame never reaches the highlights, an overexposed one blows them
    expect(original.high).toBeGreaterThan(200);
    expect(dark.high).toBeLessThan(100);
    expect(bright.highlights).toBeGreaterThan(0.3);
    expect(original.highlights).toBeLessThan(0.02);
  });

  it('versions of one capture: an over-sharpened edit measures sharper, in a larger file, yet the original is the best version', async () => {
    const rocks = path.join(assets, 'albums/nature/el_torcal_rocks.jpg');
    // a 1,600 px copy, as a phone's export is, and the same over-sharpened
    const export1600 = (s: Sharp) => s.resize(1600, 1600, { fit: 'inside' });
    const oversharpen = (s: Sharp) => export1600(s).sharpen({ sigma: 2, m1: 4, m2: 10, x1: 1 });
    const measure = async (edit: (s: Sharp) => Sharp) => {
      const grey = await previewGrey(rocks, edit);
      return scoreShot({ quality: measureImageQuality(grey.data, grey.width, grey.height), width: grey.width, height: grey.height, faces: [] });
    };
    const [plain, sharpened] = [await measure(export1600), await measure(oversharpen)];
    expect(sharpened.score!).toBeGreaterThan(plain.score! + DUPLICATE_SCORE_TIE); // the measure rewards the halos
    const original = candidate('original', plain, { edited: false });
    const edit = candidate('edit', sharpened, { edited: true, sizeBytes: 4_500_000 });
    expect(pickBestShot([edit, original])!.photoId).toBe('edit'); // a burst's frames: the sharper frame
    expect(pickBestVersion([edit, original])!.photoId).toBe('original');
    // the exposure still counts among versions: an edit that brings a dark original up is the better version
    const dark = candidate('dark', { ...plain, exposure: 0.4 }, { edited: false });
    expect(pickBestVersion([dark, edit])!.photoId).toBe('edit');
    expect(pickBestVersion([])).toBeNull();
  });

  it('scores name what is wrong: blurred, too dark, too bright', async () => {
    const shot = async (edit?: Parameters<typeof previewGrey>[1]) => {
      const grey = await previewGrey(falcon, edit);
      return scoreShot({ quality: measureImageQuality(grey.data, grey.width, grey.height), width: grey.width, height: grey.height, faces: [] });
    };
    const [original, blurred, dark, bright] = await Promise.all([shot(), shot(blur), shot(darken), shot(brighten)]);
    expect(original.reasons).toEqual(['sharp', 'well exposed']);
    expect(blurred.reasons.filter((r) => r === 'soft focus' || r === 'blurred')).toHaveLength(1);
    expect(dark.reasons).toContain('too dark');
    expect(bright.reasons.some((r) => r.startsWith('too bright'))).toBe(true);
    for (const worse of [blurred, dark, bright]) expect(worse.score!).toBeLessThan(original.score! - 0.15);
  });

  it("a face's focus is measured inside its box: blurring the face alone lowers it, the rest of the picture does not", async () => {
    const file = path.join(assets, 'metadata/faces/portrait.jpg');
    // Marie Curie's face in the 840 × 700 portrait (found there by the faces step)
    const box = { x: 274, y: 158, width: 79, height: 128 };
    const sharp0 = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
    const faceOnly = await sharp(file)
      .composite([
        { input: await sharp(file).extract({ left: box.x, top: box.y, width: box.width, height: box.height }).blur(3).toBuffer(), left: box.x, top: box.y },
      ])
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const at = (img: typeof sharp0) => faceSharpness(img.data, img.info.width, img.info.height, box);
    expect(at(faceOnly)).toBeLessThan(at(sharp0) / 2);
    const elsewhere = { x: 600, y: 400, width: 100, height: 100 };
    expect(faceSharpness(faceOnly.data, 840, 700, elsewhere)).toBeCloseTo(faceSharpness(sharp0.data, 840, 700, elsewhere), 0);
  });
});

describe('the best shot', () => {
  const quality = { width: 1440, height: 1080, cols: 16, rows: 12, tiles: Array(192).fill(40), luma: 100, shadows: 0, highlights: 0, low: 5, high: 240 };

  it('faces count: out of focus or cut off at the edge lowers the score and says so', () => {
    const face = { x: 1000, y: 800, width: 600, height: 700, sharpness: 8 };
    const inFocus = scoreShot({ quality, width: 4000, height: 3000, faces: [face] });
    const soft = scoreShot({ quality, width: 4000, height: 3000, faces: [{ ...face, sharpness: 2.2 }] });
    const cut = scoreShot({ quality, width: 4000, height: 3000, faces: [{ ...face, x: 0 }] });
    const tiny = scoreShot({ quality, width: 4000, height: 3000, faces: [{ ...face, width: 60, height: 60, sharpness: 1 }] });
    expect(inFocus.reasons).toContain('face in focus');
    expect(soft.reasons).toContain('a face out of focus');
    expect(cut.reasons).toContain('a face cut off at the edge');
    expect(soft.score!).toBeLessThan(inFocus.score! - 0.2);
    expect(cut.score!).toBeLessThan(inFocus.score! - 0.1);
    // a face in the distance is not judged: the picture is scored as one without faces
    expect(tiny.faces).toBeNull();
    expect(scoreShot({ quality: null, width: 1, height: 1, faces: [] }).score).toBeNull();
  });

  it('eyes count where measured: closed eyes lower the score below the duplicate tie and say so; unmeasured eyes change nothing', () => {
    const face = { x: 1000, y: 800, width: 600, height: 700, sharpness: 8 };
    const unmeasured = scoreShot({ quality, width: 4000, height: 3000, faces: [face] });
    const open = scoreShot({ quality, width: 4000, height: 3000, faces: [{ ...face, eyesOpen: 0.36 }] });
    const closed = scoreShot({ quality, width: 4000, height: 3000, faces: [{ ...face, eyesOpen: 0.08 }] });
    const oneOfTwo = scoreShot({
      quality,
      width: 4000,
      height: 3000,
      faces: [
        { ...face, eyesOpen: 0.34 },
        { ...face, x: 2000, eyesOpen: 0.1 },
      ],
    });
    expect(unmeasured.eyes).toBeNull();
    expect(unmeasured.reasons).not.toContain('eyes open');
    expect(open.eyes).toBe(1);
    expect(open.reasons).toContain('eyes open');
    expect(open.score!).toBeGreaterThanOrEqual(unmeasured.score!);
    expect(closed.eyes).toBe(0);
    expect(closed.reasons).toContain('eyes closed');
    expect(oneOfTwo.reasons).toContain('a face with eyes closed');
    expect(closed.score!).toBeLessThan(open.score! - DUPLICATE_SCORE_TIE);
    expect(oneOfTwo.score!).toBeLessThan(open.score!);
    expect(oneOfTwo.score!).toBeGreaterThan(closed.score!);
    const keep = candidate('open', open);
    const blink = candidate('blink', closed, { width: 5000, height: 3750, sizeBytes: 4_000_000 });
    expect(pickBestShot([blink, keep], DUPLICATE_SCORE_TIE)!.photoId).toBe('open');
    expect(whyBest(keep, [blink, keep], DUPLICATE_SCORE_TIE)).toEqual(['eyes open']);
  });

  it('highest score; a near tie goes to more pixels, then the larger file, then the earliest; unmeasured last', () => {
    const shot = (score: number | null, sharpness = score): ShotScore => ({ score, sharpness, exposure: 1, faces: null, eyes: null, reasons: [] });
    const blurred = candidate('a', shot(0.4), { width: 8000, height: 6000 });
    const best = candidate('b', shot(0.9));
    const smallCopy = candidate('c', shot(0.89), { width: 2000, height: 1500 });
    expect(pickBestShot([blurred, best, smallCopy])!.photoId).toBe('b');
    expect(whyBest(best, [blurred, best, smallCopy])).toEqual(['sharper', 'more pixels']);
    const fullSize = candidate('d', shot(0.88), { width: 8000, height: 6000 });
    expect(pickBestShot([best, fullSize])!.photoId).toBe('d');
    expect(whyBest(fullSize, [best, fullSize])).toEqual(['more pixels']);
    const later = candidate('e', shot(0.9), { date: new Date('2024-06-01T00:00:00Z') });
    expect(pickBestShot([later, best])!.photoId).toBe('b');
    expect(whyBest(best, [later, best])).toEqual(['taken earlier']);
    expect(pickBestShot([candidate('f', null, { width: 9000, height: 9000 }), blurred])!.photoId).toBe('a');
    expect(pickBestShot([])).toBeNull();
    // copies of one picture tie more widely: a sharpened half-size copy does not beat its original by a little
    const sharpenedCopy = candidate('g', shot(0.95), { width: 2000, height: 1500 });
    const original = candidate('h', shot(0.87), { width: 4000, height: 3000 });
    expect(pickBestShot([sharpenedCopy, original])!.photoId).toBe('g');
    expect(pickBestShot([sharpenedCopy, original], DUPLICATE_SCORE_TIE)!.photoId).toBe('h');
    expect(whyBest(original, [sharpenedCopy, original], DUPLICATE_SCORE_TIE)).toEqual(['more pixels']);
    expect(pickBestShot([candidate('i', shot(0.5), { width: 8000, height: 6000 }), original], DUPLICATE_SCORE_TIE)!.photoId).toBe('h');
  });
});
