// The best shot of a group of near-identical photos (a duplicate group, a burst): how sharp the subject is, how well
// exposed, whether the faces are in focus and inside the frame, and their eyes open. Pure: the measures come from the
// hashes and faces steps (media/image-quality.ts, ml/faces/face-quality.ts, ml/faces/eyes.ts).
import { subjectSharpness } from '../../media/image-quality.js';
import type { ImageQuality } from '../../model/image-quality.js';

export interface ShotFace {
  /** Box in upright pixels of the original. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Luma-normalised RMS Laplacian of the inner face; null before the faces step measured it. */
  sharpness: number | null;
  /** How open its eyes are (ml/faces/eyes.ts); null when not measured (older faces, a region the file named). */
  eyesOpen?: number | null;
}

export interface ShotInput {
  quality: ImageQuality | null;
  /** Upright size of the original. */
  width: number | null;
  height: number | null;
  faces: readonly ShotFace[];
}

export interface ShotScore {
  /** 0–1; null when the photo was not measured yet. */
  score: number | null;
  /** Each part 0–1; faces null without a face big enough to judge, eyes null without such a face's eyes measured. */
  sharpness: number | null;
  exposure: number | null;
  faces: number | null;
  eyes: number | null;
  /** What stands out, good or bad, in words: "sharp", "too dark", "a face cut off at the edge". */
  reasons: string[];
}

/** Sharpness (luma-normalised RMS Laplacian) that counts as fully blurred, and as fully sharp (log scale between). */
const BLURRED = 4;
const SHARP = 60;
/**
 * The same for a face (its inner box, at the preview's size): skin is smoother than the textures the sharpest tiles
 * hold. Measured on the faces of face-api's sample photos: 3.3–11.7 in focus, 1.8–3.8 after a 0.15 % blur.
 */
const FACE_BLURRED = 2;
const FACE_SHARP = 8;
/** Faces smaller than this share of the short side are too small to judge (a crowd in the distance). */
const MIN_FACE_SHARE = 0.06;
/** A face box within this share of the frame's edge is cut off (the detector's boxes are clipped to the frame). */
const EDGE_SHARE = 0.004;

/**
 * Eye openness (lids' gap over the eye's width) taken as closed, and as fully open (linear between). Measured on
 * face-api's sample photos: 0.21–0.46 for eyes open to the camera (0.3 and more for most), 0.05–0.24 with the same
 * eyes closed; 0.10–0.23 for eyes looking down, which is how a blink looks in a photo too.
 */
const EYES_CLOSED = 0.2;
const EYES_OPEN = 0.3;
/** Below this the reasons say the eyes are closed. */
const EYES_CLOSED_WORDS = 0.235;

/** 0 (blurred) … 1 (sharp) on a log scale: the eye judges focus by ratios. */
export function sharpnessPart(value: number, blurred = BLURRED, sharp = SHARP): number {
  return clamp01(Math.log(Math.max(value, 1e-6) / blurred) / Math.log(sharp / blurred));
}

/**
 * 0 (unreadable) … 1: dark when even the brightest percent stays dim (an underexposed frame never reaches the
 * highlights a lit scene has), bright by the share blown to white beyond 2 % — gently: a backlit scene with its
 * window blown (12 % on face-api's samples) is still better than the same frame a stop and a half darker.
 */
export function exposurePart(q: Pick<ImageQuality, 'high' | 'highlights'>): number {
  const under = clamp01((140 - q.high) / 100);
  const over = clamp01((q.highlights - 0.02) / 0.3);
  return 1 - Math.max(under, over);
}

export function scoreShot(input: ShotInput): ShotScore {
  const q = input.quality;
  if (!q) return { score: null, sharpness: null, exposure: null, faces: null, eyes: null, reasons: [] };
  const reasons: string[] = [];
  const subject = subjectSharpness(q);
  const sharpness = sharpnessPart(subject);
  reasons.push(sharpness >= 0.5 ? 'sharp' : sharpness >= 0.25 ? 'soft focus' : 'blurred');
  const exposure = exposurePart(q);
  if (q.high < 140 && exposure < 0.8) reasons.push('too dark');
  else if (q.highlights > 0.02 && exposure < 0.8) reasons.push(`too bright (${Math.round(q.highlights * 100)} % blown to white)`);
  else reasons.push('well exposed');
  const judged = judgedFaces(input);
  const faces = facesPart(input, judged, reasons);
  const eyes = eyesPart(judged, reasons);
  const score =
    faces === null
      ? 0.6 * sharpness + 0.4 * exposure
      : eyes === null
        ? 0.35 * sharpness + 0.3 * exposure + 0.35 * faces
        : 0.3 * sharpness + 0.25 * exposure + 0.25 * faces + 0.2 * eyes;
  const part = (v: number | null) => (v === null ? null : round3(v));
  return { score: round3(score), sharpness: round3(sharpness), exposure: round3(exposure), faces: part(faces), eyes: part(eyes), reasons };
}

/** Faces big enough to judge (not a crowd in the distance), with their focus measured. */
function judgedFaces(input: ShotInput): ShotFace[] {
  const { width, height } = input;
  if (!width || !height) return [];
  const short = Math.min(width, height);
  return input.faces.filter((f) => f.sharpness !== null && Math.min(f.width, f.height) >= short * MIN_FACE_SHARE);
}

/** The eyes' part: how open the judged faces' eyes are, on average; null when none of them had its eyes measured. */
function eyesPart(judged: readonly ShotFace[], reasons: string[]): number | null {
  const measured = judged.flatMap((f) => (f.eyesOpen === null || f.eyesOpen === undefined ? [] : [f.eyesOpen]));
  if (measured.length === 0) return null;
  const closed = measured.filter((v) => v < EYES_CLOSED_WORDS).length;
  if (closed === 0) reasons.push('eyes open');
  else reasons.push(measured.length === 1 ? 'eyes closed' : closed === 1 ? 'a face with eyes closed' : `${closed} faces with eyes closed`);
  return measured.reduce((sum, v) => sum + clamp01((v - EYES_CLOSED) / (EYES_OPEN - EYES_CLOSED)), 0) / measured.length;
}

/** The faces' part: their focus, halved when one is cut off by the frame; null without a face to judge. */
function facesPart(input: ShotInput, judged: readonly ShotFace[], reasons: string[]): number | null {
  const { width, height } = input;
  if (!width || !height || judged.length === 0) return null;
  const short = Math.min(width, height);
  const focus = judged.map((f) => sharpnessPart(f.sharpness!, FACE_BLURRED, FACE_SHARP));
  const mean = focus.reduce((s, v) => s + v, 0) / focus.length;
  const edge = Math.max(1, short * EDGE_SHARE);
  const cut = judged.filter((f) => f.x <= edge || f.y <= edge || f.x + f.width >= width - edge || f.y + f.height >= height - edge);
  const soft = focus.filter((v) => v < 0.3).length;
  if (soft === 0) reasons.push(judged.length === 1 ? 'face in focus' : 'faces in focus');
  else reasons.push(soft === 1 ? 'a face out of focus' : `${soft} faces out of focus`);
  if (cut.length > 0) reasons.push(cut.length === 1 ? 'a face cut off at the edge' : `${cut.length} faces cut off at the edge`);
  return cut.length > 0 ? mean * 0.5 : mean;
}

/** A photo's score as the API gives it with the photo: the score and its reasons (nothing yet when unmeasured). */
export function shotBrief(shot: ShotScore | null | undefined): { score: number | null; reasons: string[] } {
  return { score: shot?.score ?? null, reasons: shot?.reasons ?? [] };
}

export interface BestShotCandidate {
  photoId: string;
  /** null when not measured (not found). */
  shot: ShotScore | null;
  width: number | null;
  height: number | null;
  sizeBytes: number;
  /** Capture time, else upload time. */
  date: Date;
  /** An edited version by its name (IMG_1-edited.jpg, IMG_E1): at a tie, the original is kept before it. */
  edited?: boolean;
}

/** Scores this close are a tie: the photo with more pixels (then the larger file, then the earlier) is kept. */
export const SCORE_TIE = 0.03;
/**
 * Copies of one picture (a duplicate group) tie more widely: a downscaled copy a messenger sharpened may measure a
 * little sharper than the original, and resolving the group trashes what is not kept. Only a clearly better copy
 * (blur, exposure, faces) beats the one with more pixels.
 */
export const DUPLICATE_SCORE_TIE = 0.1;

/**
 * The best shot of a group: the highest score, unless another is within `tie` of it and has more pixels (a
 * full-size original beats its equally sharp downscaled copy), then the larger file, the earlier, the id. Members
 * not measured yet rank after every measured one.
 */
export function pickBestShot<T extends BestShotCandidate>(members: readonly T[], tie = SCORE_TIE): T | null {
  const top = Math.max(...members.map((m) => m.shot?.score ?? -1));
  const contenders = members.filter((m) => (m.shot?.score ?? -1) >= top - tie);
  const pixels = (m: T) => (m.width ?? 0) * (m.height ?? 0);
  return (
    [...contenders].sort(
      (a, b) =>
        pixels(b) - pixels(a) ||
        Number(a.edited ?? false) - Number(b.edited ?? false) ||
        b.sizeBytes - a.sizeBytes ||
        (b.shot?.score ?? -1) - (a.shot?.score ?? -1) ||
        a.date.getTime() - b.date.getTime() ||
        (a.photoId < b.photoId ? -1 : a.photoId > b.photoId ? 1 : 0),
    )[0] ?? null
  );
}

/**
 * The best of the versions of one capture (an original and its edits, a RAW and its JPEG): they share its focus, so a
 * version that measures sharper was sharpened — halos and raised noise, and a larger file — not focused better. Among
 * them sharpness (the subject's and the faces') counts for nothing: the exposure decides, then the tie-breaks, the
 * original before an edit before the larger file. A burst's frames are other captures: `pickBestShot`.
 */
export function pickBestVersion<T extends BestShotCandidate>(members: readonly T[]): T | null {
  const byExposure = members.map((m) => ({ member: m, candidate: { ...m, shot: m.shot && { ...m.shot, score: m.shot.exposure } } }));
  const best = pickBestShot(byExposure.map((v) => v.candidate));
  return byExposure.find((v) => v.candidate === best)?.member ?? null;
}

/**
 * Why the best shot beat the others, in words: against each one it clearly outscored, the parts where it is better
 * ("sharper", "better exposed", "faces sharper and in frame"); against each near tie, the tie-break ("more pixels",
 * "a larger file", "taken earlier"). Empty alone.
 */
export function whyBest<T extends BestShotCandidate>(best: T, members: readonly T[], tie = SCORE_TIE): string[] {
  const why = new Set<string>();
  const pixels = (m: T) => (m.width ?? 0) * (m.height ?? 0);
  const score = (m: T) => m.shot?.score ?? -1;
  for (const other of members) {
    if (other.photoId === best.photoId) continue;
    if (score(other) < score(best) - tie) {
      const before = why.size;
      for (const [part, words] of PART_WORDS) {
        const mine = best.shot?.[part] ?? null;
        const theirs = other.shot?.[part] ?? null;
        if (mine !== null && (theirs === null || theirs <= mine - 0.05)) why.add(words);
      }
      if (why.size === before && (other.shot?.score ?? null) === null) why.add('measured');
    } else if (pixels(best) > pixels(other)) why.add('more pixels');
    else if (best.sizeBytes > other.sizeBytes) why.add('a larger file');
    else if (best.date.getTime() < other.date.getTime()) why.add('taken earlier');
    else why.add('as good as the others');
  }
  return [...why];
}

const PART_WORDS: readonly (readonly ['sharpness' | 'exposure' | 'faces' | 'eyes', string])[] = [
  ['sharpness', 'sharper'],
  ['exposure', 'better exposed'],
  ['faces', 'faces sharper and in frame'],
  ['eyes', 'eyes open'],
];

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
