// Which member of a duplicate group may go: pure rules on what each file is, no I/O. Versions of one shot (a RAW and
// its JPEG, an original and its edit, a stack's frames) are not copies of each other; a copy goes only for a kept
// photo that has everything it has. What cannot be told apart this way is kept: the user chooses.
import { encodingByFormat } from '../../media/file-facts.js';
import type { Encoding, Lineage } from '../../model/file-facts.js';
import { DUPLICATE_SCORE_TIE } from '../best-shot/score.js';
import { baseName, formatFamily } from '../../media/shot-names.js';
import { madeFrom } from './made-from.js';

/** What a group member is, as far as telling an original from its copies goes. */
export interface CopyFacts {
  id: string;
  filename: string;
  mime: string;
  width: number | null;
  height: number | null;
  takenAt: Date | null;
  make: string | null;
  model: string | null;
  /** The stack it is in, null when none. */
  stackId: string | null;
  /** Its best-shot score (0–1), null before it was measured (or for an upload being checked). */
  score?: number | null;
  /** How its file stores the pixels; null or absent: not read (the format alone then says what it can). */
  encoding?: Encoding | null;
  /** What its file's tags say of its making; null or absent: not read (nothing is told of it). */
  lineage?: Lineage | null;
}

/** What marks a copy as more than another: what the other would lose if it were kept instead. */
export type Mark = 'pixels' | 'lossless' | 'maybe-source' | 'depth' | 'camera' | 'maker-notes' | 'date' | 'original' | 'shot';

/** Why the automatic choice keeps a photo it does not keep as the best shot. */
export type KeptReason =
  /** A RAW file: its sensor data is in no other file, so it is never proposed for the trash. */
  | { kind: 'raw' }
  /** A version of one shot with `of` (RAW and JPEG, HEIC and JPEG, an original and its edit, a stack's frames). */
  | { kind: 'version'; of: string }
  /** Taken at another instant than `of`: another shot, however alike. */
  | { kind: 'another-moment'; of: string }
  /**
   * It has what `of` lacks: more pixels, pixels stored without loss or in more bits, the camera, its maker notes or
   * capture time its file records, the original's name, or a clearly better shot (an upscaled, blurred copy has more
   * pixels, its source the better shot: neither goes for the other).
   */
  | { kind: 'has-more'; of: string; what: Mark[] };

const family = (f: CopyFacts) => formatFamily(f.filename, f.mime);
const pixels = (f: CopyFacts) => (f.width ?? 0) * (f.height ?? 0);
const instant = (f: CopyFacts) => f.takenAt?.getTime() ?? null;
const hasCamera = (f: CopyFacts) => f.make !== null && f.model !== null;
const encoding = (f: CopyFacts) => f.encoding ?? encodingByFormat(f.mime);

/**
 * Two files of one shot that are not copies of each other: a RAW and its JPEG, a HEIC and its JPEG, an original and its
 * edit (by the names the stack rules read, or by the marks an editor leaves: made-from.ts), or two photos of one stack.
 * Within a stack, two files of one format, both edits or neither, with the same capture time (or none) are copies all
 * the same: the same JPEG stored twice.
 */
export function versionsOfOneShot(a: CopyFacts, b: CopyFacts): boolean {
  // an edit and its source by their marks, whatever their names (each made from the other: the marks disagree, and
  // neither goes for the other all the same)
  if (madeFrom(a, b) || madeFrom(b, a)) return true;
  const nameA = baseName(a.filename);
  const nameB = baseName(b.filename);
  if (family(a) === family(b) && nameA.edited === nameB.edited && instant(a) === instant(b)) return false;
  if (a.stackId !== null && a.stackId === b.stackId) return true;
  const camerasDiffer = hasCamera(a) && hasCamera(b) && (a.make !== b.make || a.model !== b.model);
  if (nameA.base !== nameB.base || camerasDiffer) return false;
  if (nameA.edited !== nameB.edited) return true;
  const families = new Set([family(a), family(b)]);
  return families.size === 2 && (families.has('raw') || (families.has('heic') && families.has('jpeg')));
}

/**
 * `a` is an edit of `b`, which is no edit of it: by their names (IMG_1-edited.jpg of IMG_1.jpg, one camera where both
 * say), or by the marks an editor leaves (made-from.ts).
 */
export function editOf(a: CopyFacts, b: CopyFacts): boolean {
  if (madeFrom(b, a)) return false;
  if (madeFrom(a, b)) return true;
  const [nameA, nameB] = [baseName(a.filename), baseName(b.filename)];
  const camerasDiffer = hasCamera(a) && hasCamera(b) && (a.make !== b.make || a.model !== b.model);
  return nameA.edited && !nameB.edited && nameA.base === nameB.base && !camerasDiffer;
}

/**
 * What `b` has of an original that `a` lacks: more pixels, as many kept without loss or in more bits, the camera's facts
 * and maker notes, an unedited name. A lossless file of unknown depth has no more bits than any; a file that may be
 * lossless replaces no lossless one.
 */
function originalMarks(a: CopyFacts, b: CopyFacts): Mark[] {
  const what: Mark[] = [];
  if (pixels(b) > pixels(a)) what.push('pixels');
  // at as many pixels: a smaller file is no source of a larger one, however it is stored (a PNG thumbnail of a JPEG)
  if (pixels(b) >= pixels(a) && encoding(b).lossless === true && encoding(a).lossless !== true) what.push('lossless');
  if (pixels(b) >= pixels(a) && (encoding(b).bitDepth ?? 0) > Math.max(8, encoding(a).bitDepth ?? 8)) what.push('depth');
  if (hasCamera(b) && (a.make !== b.make || a.model !== b.model)) what.push('camera');
  if (b.lineage?.makerNotes && !a.lineage?.makerNotes) what.push('maker-notes');
  if (b.takenAt !== null && a.takenAt === null) what.push('date');
  if (baseName(a.filename).edited && !baseName(b.filename).edited) what.push('original');
  return what;
}

/**
 * What `b` has that `a` lacks: the marks of an original, or a clearly better shot; or that `b` may be `a`'s source where
 * nothing tells which came first — as many pixels, one lossy and the other perhaps lossless (a palette PNG, a GIF, an
 * AVIF, a JPEG XL: the file does not say; a drawing and its JPEG, or a photo cut to 256 colours), and `a` has no
 * original's mark over `b`: then neither goes for the other.
 */
function lacks(a: CopyFacts, b: CopyFacts): Mark[] {
  const what = originalMarks(a, b);
  const losses = new Set([encoding(a).lossless, encoding(b).lossless]);
  if (pixels(b) >= pixels(a) && losses.has(null) && losses.has(false) && originalMarks(b, a).length === 0) what.push('maybe-source');
  if (a.score != null && b.score != null && b.score > a.score + DUPLICATE_SCORE_TIE) what.push('shot');
  return what;
}

/**
 * Why keeping `kept` does not make `other` redundant, or null when it does: `other` may go to the trash for `kept`
 * only when it is a copy of it (not a RAW, not a version of one shot with it, not taken at another instant) and
 * `kept` has all it has (as many pixels, kept without loss and in as many bits where `other` is, the camera, maker
 * notes and capture time its file records, an unedited name where it has one, a shot not clearly worse).
 */
export function keptDespite(kept: CopyFacts, other: CopyFacts): KeptReason | null {
  if (family(other) === 'raw') return { kind: 'raw' };
  if (versionsOfOneShot(kept, other)) return { kind: 'version', of: kept.id };
  const [a, b] = [instant(kept), instant(other)];
  if (a !== null && b !== null && a !== b) return { kind: 'another-moment', of: kept.id };
  const what = lacks(kept, other);
  return what.length > 0 ? { kind: 'has-more', of: kept.id, what } : null;
}

/** Whether keeping `kept` lets `other` go to the trash. */
export function supersedes(kept: CopyFacts, other: CopyFacts): boolean {
  return kept.id !== other.id && keptDespite(kept, other) === null;
}

/**
 * The members no other member supersedes without being superseded back: the originals among them, where the best
 * shot is chosen (never a smaller, stripped or edited copy of another member).
 */
export function originals<T extends CopyFacts>(members: readonly T[]): T[] {
  return members.filter((m) => !members.some((o) => supersedes(o, m) && !supersedes(m, o)));
}

/**
 * Where the suggested keeper is chosen: the originals that are no edit of another member, so that the automatic choice
 * never prefers an edit, however much better a shot, to its source (both are kept: versions of one shot). All the
 * originals where each is an edit of another.
 */
export function keeperCandidates<T extends CopyFacts>(members: readonly T[]): T[] {
  const found = originals(members);
  const sources = found.filter((m) => !members.some((o) => o.id !== m.id && editOf(m, o)));
  return sources.length > 0 ? sources : found;
}

/** Each member's supersessors: the members whose keeping lets it go (empty: nothing ever proposes it for the trash). */
export function supersededBy(members: readonly CopyFacts[]): Map<string, string[]> {
  return new Map(members.map((m) => [m.id, members.filter((k) => supersedes(k, m)).map((k) => k.id)]));
}

/** What keeping `chosen` keeps: them (first), and every member none of them supersedes (the rest may go to the trash). */
export function keptWith(members: readonly CopyFacts[], chosen: readonly string[]): string[] {
  const kept = members.filter((m) => chosen.includes(m.id));
  return [...kept, ...members.filter((m) => !chosen.includes(m.id) && !kept.some((k) => supersedes(k, m)))].map((m) => m.id);
}
