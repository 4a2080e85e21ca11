// Which photos are one stack: pure rules on names, formats, burst identifiers and capture times, no I/O. Precision
// first: a key only proposes; two photos are stacked when their formats or names say why and their clocks agree.
import type { StackKind, StackReason } from '../../model/stack.js';
import { baseName, formatFamily, stemOf } from '../../media/shot-names.js';

export interface StackFile {
  id: string;
  filename: string;
  mime: string;
  takenAt: Date | null;
  make: string | null;
  model: string | null;
  stackKeys: readonly string[] | null;
}

export type { StackKind, StackReason };

/** Burst names phones give their frames, and the burst they name (its capture time is part of it). */
const BURST_NAMES: readonly RegExp[] = [
  /_BURST(\d{14,17})/i, // Google Camera (…IMG_00001_BURST20190101120000123_COVER), Xperia
  /^(IMG_\d{8}_\d{6})_BURST\d{3}/i, // Motorola, Huawei, Xiaomi
  /^(PXL_\d{8}_\d{6,9})\.(?:RAW|BURST)-\d+/i, // Pixel
  /^(\d{8}_\d{6})_\d{3}$/, // Samsung (a single shot is 20190101_120000.jpg)
];

export function burstFromName(filename: string): string | null {
  const stem = stemOf(filename);
  for (const pattern of BURST_NAMES) {
    const match = pattern.exec(stem);
    if (match) return match[1]!.toUpperCase();
  }
  return null;
}

/**
 * The keys that may stack a file with others: its base name (not for clips: a Live Photo's halves are one item
 * already) and its burst, by identifier (Apple's BurstUUID) or by name.
 */
export function stackKeys(file: { filename: string; mime: string; burstId?: string | null }): string[] {
  const keys: string[] = [];
  if (!file.mime.startsWith('video/')) keys.push(`name:${baseName(file.filename).base}`);
  if (file.burstId) keys.push(`burst-id:${file.burstId.toUpperCase()}`);
  const named = burstFromName(file.filename);
  if (named) keys.push(`burst-name:${named}`);
  return keys;
}

/** Capture times this close are the same shot (a camera writes its raw and JPEG with one clock). */
const SAME_SHOT_MS = 2_000;
/** Frames of one burst are taken within this of each other. */
const BURST_MS = 60_000;

/**
 * Why `a` and `b` are one stack, or null. Same name: a raw and a JPEG, a HEIC and a JPEG, or an original and its
 * edited version, with capture times within 2 s and the same camera where both are known; an edited copy without a
 * date only where it is the one candidate (`onlyCandidate`). Same burst: within a minute where both times are known.
 */
export function stackReason(a: StackFile, b: StackFile, onlyCandidate: boolean): StackReason | null {
  const shared = (a.stackKeys ?? []).filter((k) => (b.stackKeys ?? []).includes(k));
  const apart = a.takenAt && b.takenAt ? Math.abs(a.takenAt.getTime() - b.takenAt.getTime()) : null;
  const camerasDiffer = !!(a.make && b.make && a.model && b.model) && (a.make !== b.make || a.model !== b.model);
  if (shared.some((k) => k.startsWith('burst-')) && !camerasDiffer && (apart === null || apart <= BURST_MS)) {
    return shared.some((k) => k.startsWith('burst-id:')) ? 'burst-id' : 'burst-name';
  }
  if (!shared.some((k) => k.startsWith('name:')) || camerasDiffer) return null;
  const nameA = baseName(a.filename);
  const nameB = baseName(b.filename);
  const sameShot = apart !== null && apart <= SAME_SHOT_MS;
  if (nameA.edited !== nameB.edited) {
    const undatedEdit = (nameA.edited ? a : b).takenAt === null;
    return sameShot || (undatedEdit && onlyCandidate) ? 'edited' : null;
  }
  if (!sameShot || nameA.edited) return null;
  const families = new Set([formatFamily(a.filename, a.mime), formatFamily(b.filename, b.mime)]);
  if (families.has('raw') && families.size === 2) return 'raw-jpeg';
  if (families.has('heic') && families.has('jpeg')) return 'heic-jpeg';
  return null; // the same name in one format: a copy (the duplicates' business) or a camera's counter come round
}

/**
 * Frames the duplicates step calls a burst (one camera, seconds apart) are stacked only when they look alike: PDQ
 * within 80 bits (unrelated photos sit at 94–132 on the corpus, burst frames of one scene well under), or CLIP
 * cosine ≥ 0.8 where both have an embedding. Two shots of different things a second apart are not one moment.
 */
export const BURST_MAX_PDQ = 80;
export const BURST_MIN_SIMILARITY = 0.8;

export function framesAlike(pdqDistance: number | null, similarity: number | null): boolean {
  return (pdqDistance !== null && pdqDistance <= BURST_MAX_PDQ) || (similarity !== null && similarity >= BURST_MIN_SIMILARITY);
}

const KIND_OF: Record<StackReason, StackKind> = {
  'raw-jpeg': 'raw-jpeg',
  'heic-jpeg': 'heic-jpeg',
  edited: 'edits',
  'burst-id': 'burst',
  'burst-name': 'burst',
  'burst-time': 'burst',
  'by-user': 'by-user',
};

/** A stack's kind from its members' reasons. */
export function stackKind(reasons: readonly StackReason[]): StackKind {
  const kinds = new Set(reasons.map((r) => KIND_OF[r]));
  return kinds.size === 1 ? [...kinds][0]! : 'mixed';
}
